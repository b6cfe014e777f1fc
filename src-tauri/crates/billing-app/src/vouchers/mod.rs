//! Hotspot vouchers: profiles on every router, batches written all or nothing, a monitor that
//! records first logins and usage and ends used-up vouchers, resellers with a deposit, sales.
//!
//! Expiry holds while the app is closed: online time and data are router limits
//! (`limit-uptime`, `limit-bytes-total`), and calendar validity is a scheduler the profile's
//! on-login script creates on the router at the first login (see [`profiles::on_login_script`]).

pub mod batches;
pub mod codes;
pub mod monitor;
pub mod print;
pub mod profiles;
pub mod query;
pub mod resellers;

pub use batches::BatchProgress;
