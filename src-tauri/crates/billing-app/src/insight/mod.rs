//! What the owner reads: the home screen, reports, monitoring (samples, metrics, alerts) and
//! the system health page.

pub mod health;
pub mod home;
pub mod monitoring;
pub mod reports;
