//! MikroTik RouterOS API client, with a RouterOS simulator behind the `simulator` feature.
//!
//! - [`proto`]: sans-IO protocol (length prefixes, words, sentences, replies).
//! - [`codec`]: `tokio_util` framing shared by client and simulator.
//! - [`Client`]: cheap cloneable handle; commands are pipelined by `.tag` on one connection,
//!   with a bounded in-flight window, timeouts, keepalive and reconnect with backoff.
//! - [`hotspot`], [`ppp`], [`system`], [`interface`], [`user`]: typed helpers for the menus billing needs.
//! - [`parse`]: durations, counters and both RouterOS date formats.
//! - `sim` (feature `simulator`): an in-process RouterOS API server for tests and demos.
//!
//! ```no_run
//! # async fn demo() -> Result<(), routeros_api::Error> {
//! use routeros_api::{Client, Command, ConnectOptions};
//! let client = Client::connect(ConnectOptions::new("192.0.2.1", "admin", "")).await?;
//! let users = client.run(Command::new("/ip/hotspot/user/print").proplist(["name"])).await?;
//! # let _ = users; Ok(()) }
//! ```

pub mod codec;
pub mod encoding;
pub mod parse;
pub mod proto;

mod client;
mod command;
mod connection;
mod error;
mod login;
mod menus;
mod options;
mod row;
mod stream;
mod tls;

#[cfg(feature = "simulator")]
pub mod sim;

pub use client::{Client, Response};
pub use command::Command;
pub use encoding::Encoding;
pub use error::{Error, ErrorKind, Trap, TrapKind};
pub use login::challenge_response;
pub use menus::{hotspot, interface, ppp, system, user, ItemId};
pub use options::{CertFingerprint, ConnectOptions, ReconnectPolicy, TlsOptions};
pub use row::Row;
pub use stream::RowStream;
