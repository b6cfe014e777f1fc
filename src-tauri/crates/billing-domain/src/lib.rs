//! Pure types and rules of mikrobill. No I/O lives here.

pub mod clock;
pub mod user;

pub use clock::{Clock, FixedClock, SystemClock};
pub use user::{Password, Role, UserId, Username, ValidationError};
