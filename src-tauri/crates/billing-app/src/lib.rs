//! Use-cases. HTTP handlers, Tauri commands and jobs parse input, call one function
//! here and map its result; the rules and the transaction boundaries live here.

pub mod audit;
pub mod auth;
pub mod backups;
pub mod business;
mod context;
pub mod crypto;
pub mod customers;
pub mod dashboard;
pub mod database_setup;
mod error;
pub mod events;
pub mod failure;
pub mod gateways;
pub mod health;
pub mod imports;
pub mod instances;
pub mod invoices;
pub mod invoicing;
pub mod isolation;
pub mod ledger;
pub mod monitoring;
pub mod notify;
pub mod online;
pub mod operations;
pub mod outbox;
pub mod password;
pub mod payments;
pub mod plans;
pub mod ports;
pub mod pppoe;
pub mod reconcile;
pub mod reports;
pub mod routers;
pub mod sample_data;
pub mod schedule;
pub mod security;
pub mod subscriptions;
pub mod text;
pub mod totp;
pub mod users;
pub mod vouchers;

pub use context::{AppContext, AuthConfig};
pub use error::Error;
