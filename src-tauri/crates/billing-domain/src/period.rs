//! Monthly billing periods anchored on a billing day (1–28).

use chrono::{Datelike, Months, NaiveDate};

use crate::money::Money;

/// `[start, end)`: from the billing day of one month to the billing day of the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    /// The period that contains `date`.
    pub fn containing(date: NaiveDate, billing_day: u32) -> Period {
        let day = billing_day.clamp(1, 28);
        let this_month = date.with_day(day).unwrap_or(date);
        let start = if date.day() >= day {
            this_month
        } else {
            this_month
                .checked_sub_months(Months::new(1))
                .unwrap_or(this_month)
        };
        Period::starting(start)
    }

    pub fn starting(start: NaiveDate) -> Period {
        Period {
            start,
            end: start.checked_add_months(Months::new(1)).unwrap_or(start),
        }
    }

    pub fn next(self) -> Period {
        Period::starting(self.end)
    }

    pub fn days(self) -> i64 {
        (self.end - self.start).num_days()
    }

    /// The fee for the part of the period from `from` on (the whole fee when `from` is the
    /// start), rounded half up to the rupiah.
    pub fn prorate(self, fee: Money, from: NaiveDate) -> Money {
        if from <= self.start {
            return fee;
        }
        let remaining = (self.end - from).num_days().max(0);
        fee.mul_div_round(remaining, self.days()).unwrap_or(fee)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[rstest]
    #[case(d(2026, 11, 28), 1, d(2026, 11, 1), d(2026, 12, 1))]
    #[case(d(2026, 11, 4), 5, d(2026, 10, 5), d(2026, 11, 5))]
    #[case(d(2026, 12, 20), 20, d(2026, 12, 20), d(2027, 1, 20))]
    #[case(d(2027, 1, 3), 15, d(2026, 12, 15), d(2027, 1, 15))]
    fn period_containing(
        #[case] at: NaiveDate,
        #[case] day: u32,
        #[case] s: NaiveDate,
        #[case] e: NaiveDate,
    ) {
        assert_eq!(Period::containing(at, day), Period { start: s, end: e });
    }

    #[test]
    fn first_period_is_prorated_by_days() {
        let p = Period::containing(d(2026, 11, 16), 1);
        assert_eq!(p.days(), 30);
        assert_eq!(
            p.prorate(Money::from_minor(150_000), d(2026, 11, 16))
                .minor(),
            75_000
        );
        assert_eq!(
            p.prorate(Money::from_minor(150_000), d(2026, 11, 1))
                .minor(),
            150_000
        );
    }
}
