//! Hotspot vouchers: profiles on every router, batches written all or nothing, a monitor that
//! records first logins and usage and ends used-up vouchers, resellers with a deposit, sales.
//!
//! Expiry holds while the app is closed: online time and data are router limits
//! (`limit-uptime`, `limit-bytes-total`), and calendar validity is an expiry the profile's
//! on-login script writes on the user at the first login, enforced by one sweeper scheduler
//! per router that survives reboots and clock jumps (see [`expiry`]).

pub mod batches;
pub mod codes;
pub mod expiry;
pub mod monitor;
pub mod print;
pub mod profiles;
pub mod query;
pub mod resellers;
pub mod shop;

pub use batches::BatchProgress;

/// Every profile we own on a router carries this in its `on-login` script, and every voucher
/// we write in its comment.
pub const MARKER: &str = "VOUCHER_SYSTEM";
