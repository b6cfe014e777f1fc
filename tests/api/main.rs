//! End-to-end tests: the real app over HTTP on a real PostgreSQL.

mod auth;
mod backups;
mod billing;
mod database;
mod health;
mod imports;
mod jobs;
mod listeners;
mod local_cluster;
mod openapi;
mod payments;
mod rbac;
mod routers;
mod setup;
mod vouchers;
mod whatsapp;
