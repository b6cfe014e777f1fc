//! The routers: their records and credentials, PPPoE secrets, the outbox of router commands
//! (queued in the transaction that decides them, delivered and retried), and reconciliation
//! of what the router holds against the database.

pub mod marker;
pub mod outbox;
pub mod pppoe;
pub mod rates;
pub mod reachability;
pub mod reconcile;
pub mod routers;
