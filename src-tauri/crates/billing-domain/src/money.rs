//! Money in integer minor units. For IDR the minor unit is one rupiah.

use serde::{Deserialize, Serialize};

/// An amount of rupiah. Arithmetic is checked; there is no floating point anywhere.
///
/// Outside it is a plain integer: JSON `150000`, a `bigint` column, and `{type: integer,
/// format: int64}` in the OpenAPI document (fields holding one say
/// `#[schema(value_type = i64)]`; [`utoipa::PartialSchema`] gives the same inline schema).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    sqlx::Type,
)]
#[serde(transparent)]
#[sqlx(transparent)]
pub struct Money(i64);

impl utoipa::PartialSchema for Money {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <i64 as utoipa::PartialSchema>::schema()
    }
}

impl utoipa::ToSchema for Money {}

impl std::fmt::Display for Money {
    /// The plain number of rupiah (`150000`), as the API and the logs show it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_minor(v: i64) -> Money {
        Money(v)
    }

    pub const fn minor(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, rhs: Money) -> Option<Money> {
        self.0.checked_add(rhs.0).map(Money)
    }

    pub fn checked_sub(self, rhs: Money) -> Option<Money> {
        self.0.checked_sub(rhs.0).map(Money)
    }

    /// `-self`; `None` only for the one amount no bigint can negate.
    pub fn checked_neg(self) -> Option<Money> {
        self.0.checked_neg().map(Money)
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn min(self, other: Money) -> Money {
        Money(self.0.min(other.0))
    }

    /// `self × numerator / denominator`, rounded half up, without overflow for any i64 input.
    pub fn mul_div_round(self, numerator: i64, denominator: i64) -> Option<Money> {
        if denominator <= 0 {
            return None;
        }
        let product = i128::from(self.0) * i128::from(numerator);
        let den = i128::from(denominator);
        let half = den / 2;
        let rounded = if product >= 0 {
            (product + half) / den
        } else {
            (product - half) / den
        };
        i64::try_from(rounded).ok().map(Money)
    }
}

/// The largest amount one money input may carry: Rp 1.000.000.000 (one billion rupiah) per
/// entry — an adjustment, refund, payment, price, deposit, discount or imported balance.
///
/// Why this number: the largest real entry of a small ISP (a year of a business line, a
/// reseller's deposit for a season of vouchers) is a few tens of millions of rupiah, so a
/// billion is never a legitimate single entry, while a typo with extra zeros or a hostile
/// `9223372036854775807` is refused. And sums stay safe: a bigint holds 9.2 × 10^18, so
/// more than nine billion entries at the bound would be needed to overflow a total.
pub const MAX_INPUT: i64 = 1_000_000_000;

/// Which signs a money input accepts (besides the [`MAX_INPUT`] bound on its size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputSign {
    /// 1 ..= MAX_INPUT: payments, refunds, deposits, discounts, plan prices.
    Positive,
    /// 0 ..= MAX_INPUT: prices that may be free, opening balances.
    NonNegative,
    /// -MAX_INPUT ..= MAX_INPUT except 0: manual adjustments.
    NonZero,
}

/// A money input outside its allowed range; the message names the range in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MoneyInputError(String);

/// Checks one amount typed by a person or read from a file or request.
pub fn check_input(amount: i64, sign: InputSign) -> Result<Money, MoneyInputError> {
    let (ok, range) = match sign {
        InputSign::Positive => ((1..=MAX_INPUT).contains(&amount), "from 1"),
        InputSign::NonNegative => ((0..=MAX_INPUT).contains(&amount), "from 0"),
        InputSign::NonZero => (
            amount != 0 && (-MAX_INPUT..=MAX_INPUT).contains(&amount),
            "not zero, from -1.000.000.000",
        ),
    };
    if ok {
        Ok(Money(amount))
    } else {
        Err(MoneyInputError(format!(
            "the amount must be a whole number of rupiah, {range} to 1.000.000.000"
        )))
    }
}

/// How a payment of `amount` meets an invoice that still owes `owed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocation {
    /// Goes to the invoice.
    pub applied: Money,
    /// Left over: becomes credit.
    pub excess: Money,
}

/// Exact → all applied; less → all applied (partial); more → `owed` applied, the rest is credit.
pub fn allocate(amount: Money, owed: Money) -> Allocation {
    let owed = owed.max(Money::ZERO);
    let applied = amount.min(owed).max(Money::ZERO);
    Allocation {
        applied,
        excess: Money(amount.0 - applied.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    #[rstest]
    #[case(InputSign::Positive, 1, true)]
    #[case(InputSign::Positive, 0, false)]
    #[case(InputSign::Positive, -1, false)]
    #[case(InputSign::Positive, MAX_INPUT, true)]
    #[case(InputSign::Positive, MAX_INPUT + 1, false)]
    #[case(InputSign::NonNegative, 0, true)]
    #[case(InputSign::NonNegative, -1, false)]
    #[case(InputSign::NonZero, -MAX_INPUT, true)]
    #[case(InputSign::NonZero, -MAX_INPUT - 1, false)]
    #[case(InputSign::NonZero, 0, false)]
    #[case(InputSign::NonZero, i64::MAX, false)]
    #[case(InputSign::NonZero, i64::MIN, false)]
    fn money_inputs_are_bounded(#[case] sign: InputSign, #[case] amount: i64, #[case] ok: bool) {
        assert_eq!(check_input(amount, sign).is_ok(), ok);
    }

    #[test]
    fn money_is_a_plain_integer_outside() {
        assert_eq!(
            serde_json::to_string(&Money(150_000)).expect("json"),
            "150000"
        );
        let back: Money = serde_json::from_str("-2500").expect("json");
        assert_eq!(back, Money(-2_500));
        assert_eq!(Money(7).to_string(), "7");
        use utoipa::PartialSchema;
        assert_eq!(
            serde_json::to_value(Money::schema()).expect("json"),
            serde_json::to_value(i64::schema()).expect("json")
        );
    }

    #[test]
    fn checked_arithmetic_refuses_overflow() {
        assert_eq!(Money(2).checked_add(Money(3)), Some(Money(5)));
        assert_eq!(Money(i64::MAX).checked_add(Money(1)), None);
        assert_eq!(Money(i64::MIN).checked_sub(Money(1)), None);
        assert_eq!(Money(5).checked_neg(), Some(Money(-5)));
        assert_eq!(Money(i64::MIN).checked_neg(), None);
    }

    #[rstest]
    #[case(150_000, 150_000, 150_000, 0)]
    #[case(100_000, 150_000, 100_000, 0)]
    #[case(250_000, 200_000, 200_000, 50_000)]
    #[case(10_000, 0, 0, 10_000)]
    fn allocation_cases(
        #[case] amount: i64,
        #[case] owed: i64,
        #[case] applied: i64,
        #[case] excess: i64,
    ) {
        let a = allocate(Money(amount), Money(owed));
        assert_eq!((a.applied.minor(), a.excess.minor()), (applied, excess));
    }

    #[rstest]
    #[case(150_000, 15, 30, 75_000)]
    #[case(100_000, 1, 3, 33_333)]
    #[case(100_000, 2, 3, 66_667)]
    #[case(5, 1, 2, 3)]
    fn proration_rounds_half_up(#[case] v: i64, #[case] n: i64, #[case] d: i64, #[case] want: i64) {
        assert_eq!(Money(v).mul_div_round(n, d), Some(Money(want)));
    }

    proptest! {
        #[test]
        fn allocation_conserves_money(amount in 1i64..10_000_000_000, owed in 0i64..10_000_000_000) {
            let a = allocate(Money(amount), Money(owed));
            prop_assert_eq!(a.applied.minor() + a.excess.minor(), amount);
            prop_assert!(a.applied.minor() <= owed);
            prop_assert!(a.applied.minor() >= 0 && a.excess.minor() >= 0);
        }

        #[test]
        fn mul_div_never_panics(v in any::<i64>(), n in any::<i64>(), d in any::<i64>()) {
            let _ = Money(v).mul_div_round(n, d);
        }
    }
}
