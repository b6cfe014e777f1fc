//! Length limits of free text, in characters. The use-cases refuse longer input with a
//! validation error naming the field; check constraints (migration
//! `20261207100000_limit_text_lengths`) enforce the same limits in the database, so an
//! import or a future code path cannot store more. Documented in `docs/api-billing.md`.

use crate::Error;

/// A customer's name (also what the import reads).
pub const NAME: usize = 120;
/// A postal address (a customer's, the business's).
pub const ADDRESS: usize = 500;
/// Free notes (a customer's, a payment's).
pub const NOTES: usize = 2_000;
/// A payment's reference (a bank transfer number, a receipt number).
pub const REFERENCE: usize = 100;
/// A reason given for an adjustment, refund, discount, void or rejection.
pub const REASON: usize = 500;

/// Refuses `value` when it is longer than `max` characters.
pub fn check(field: &'static str, value: &str, max: usize) -> Result<(), Error> {
    if value.chars().count() > max {
        return Err(Error::validation(
            field,
            format!("{field} is at most {max} characters"),
        ));
    }
    Ok(())
}

/// [`check`] for an optional value.
pub fn check_opt(field: &'static str, value: Option<&str>, max: usize) -> Result<(), Error> {
    value.map_or(Ok(()), |v| check(field, v, max))
}
