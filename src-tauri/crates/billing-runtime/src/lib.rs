//! The composition root of mikrobill: settings, secrets, the database (embedded or
//! remote), logging, the two HTTP listeners, the scheduler, and the command line.
//! The desktop shell, `mikrobill serve` and the tests all start the app through
//! [`Application::build`].

mod app;
pub mod cli;
pub mod database;
mod demo;
pub mod instance;
mod jobs;
mod owner_only;
pub mod secret_file;
pub mod secrets;
pub mod settings;
mod telemetry;

pub use app::{Application, Ports, StartupError};
pub use demo::DemoError;
pub use jobs::{catch_up, whatsapp_round};
pub use settings::{DatabaseMode, Settings};
pub use telemetry::{init_tracing, TracingGuard};
