//! End-to-end tests: the real app over HTTP on a real PostgreSQL.

mod auth;
mod database;
mod listeners;
mod local_cluster;
mod openapi;
mod setup;
