//! End-to-end tests: the real app over HTTP on a real PostgreSQL.

mod auth;
mod backups;
mod billing;
mod database;
mod demo;
mod health;
mod hostile_input;
mod imports;
mod instances;
mod jobs;
mod listeners;
mod local_cluster;
mod monitoring;
mod openapi;
mod payments;
mod rbac;
mod reports;
mod routers;
mod secrets;
mod secrets_scan;
mod sessions;
mod setup;
mod setup_database;
mod vouchers;
mod whatsapp;
mod wizard;
