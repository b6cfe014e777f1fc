//! Use-cases. HTTP handlers, Tauri commands and jobs parse input, call one function
//! here and map its result; the rules and the transaction boundaries live here.
//!
//! Grouped by business area (the map: `ARCHITECTURE.md`). Each use-case's SQL sits beside
//! it, in the same module; there is no separate query layer. The floor every area stands on
//! is at the top level: the context, the error and failure words, the ports to the outside
//! world (router, keyring), events, encryption and text helpers.

pub mod access;
pub mod billing;
pub mod insight;
pub mod messaging;
pub mod network;
pub mod online;
pub mod ops;
pub mod portal;
pub mod vouchers;

pub mod calendar;
mod context;
pub mod crypto;
mod error;
pub mod events;
pub mod failure;
pub mod operations;
pub mod ports;
pub mod text;

pub use context::{AppContext, AuthConfig};
pub(crate) use error::is_constraint_violation;
pub use error::Error;
