//! Pure types and rules of mikrobill. No I/O lives here.

pub mod clock;
pub mod money;
pub mod period;
pub mod permission;
pub mod phone;
pub mod user;

pub use clock::{Clock, FixedClock, SystemClock};
pub use money::{allocate, Allocation, Money};
pub use period::Period;
pub use permission::Permission;
pub use phone::PhoneNumber;
pub use user::{Password, Role, UserId, Username, ValidationError};
