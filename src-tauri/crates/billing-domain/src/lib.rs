//! Pure types and rules of mikrobill. No I/O lives here.

pub mod clock;
pub mod ids;
pub mod money;
pub mod period;
pub mod permission;
pub mod phone;
pub mod status;
pub mod user;

pub use clock::{Clock, FixedClock, SystemClock};
pub use ids::{CustomerId, InvoiceId, PaymentId, PlanId, RouterId, SubscriptionId};
pub use money::{allocate, Allocation, Money};
pub use period::Period;
pub use permission::Permission;
pub use phone::PhoneNumber;
pub use status::{
    BatchStatus, CustomerStatus, InvoiceStatus, PaymentStatus, SubscriptionStatus, UnknownStatus,
};
pub use user::{Password, Role, UserId, Username, ValidationError};
