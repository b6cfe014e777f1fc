//! Use-cases. HTTP handlers, Tauri commands and jobs parse input, call one function
//! here and map its result; the rules and the transaction boundaries live here.

pub mod auth;
mod context;
mod error;
pub mod health;
pub mod password;

pub use context::{AppContext, AuthConfig};
pub use error::Error;
