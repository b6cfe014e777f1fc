//! Rupiah amounts at the vendor edge: `150000`, `"150000"`, `"150000.00"` and `150000.0` all
//! become `150_000_i64`; a non-zero fraction (`"150000.50"`), a negative amount or garbage is
//! an error. Floats never leave this module.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// The largest float that still holds every integer exactly (2^53).
const MAX_EXACT_FLOAT: f64 = 9_007_199_254_740_992.0;

/// Parses a decimal string such as `"150000"` or `"150000.00"` into whole rupiah.
pub fn parse_amount(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (text, ""),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("not a rupiah amount: {text:?}"));
    }
    if !fraction.bytes().all(|b| b == b'0') {
        return Err(format!("amount has a non-zero fraction: {text:?}"));
    }
    whole
        .parse::<i64>()
        .map_err(|_| format!("amount out of range: {text:?}"))
}

/// Formats whole rupiah the way vendors sign it (`150000`).
pub fn format_amount(amount: i64) -> String {
    amount.to_string()
}

struct AmountVisitor;

impl Visitor<'_> for AmountVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a whole rupiah amount as a number or a decimal string")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        if v < 0 {
            return Err(E::custom(format!("negative amount: {v}")));
        }
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom(format!("amount out of range: {v}")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        if !v.is_finite() || !(0.0..=MAX_EXACT_FLOAT).contains(&v) || v.fract() != 0.0 {
            return Err(E::custom(format!("not a whole rupiah amount: {v}")));
        }
        // Exact: v is a whole number below 2^53.
        #[allow(clippy::cast_possible_truncation)]
        Ok(v as i64)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        parse_amount(v).map_err(E::custom)
    }
}

/// `#[serde(deserialize_with = "crate::amount::de")]`
pub fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(AmountVisitor)
}

struct OptAmountVisitor;

impl<'de> Visitor<'de> for OptAmountVisitor {
    type Value = Option<i64>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("null, a rupiah number or a decimal string")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        de(d).map(Some)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        AmountVisitor.visit_i64(v).map(Some)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        AmountVisitor.visit_u64(v).map(Some)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        AmountVisitor.visit_f64(v).map(Some)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        AmountVisitor.visit_str(v).map(Some)
    }
}

/// `#[serde(default, deserialize_with = "crate::amount::de_opt")]`: `null`, missing and `""`
/// become `None`.
pub fn de_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    deserializer.deserialize_any(OptAmountVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[derive(serde::Deserialize)]
    struct Wire {
        #[serde(deserialize_with = "de")]
        amount: i64,
        #[serde(default, deserialize_with = "de_opt")]
        fee: Option<i64>,
    }

    #[rstest]
    #[case(r#"{"amount":150000}"#, 150_000, None)]
    #[case(r#"{"amount":"150000"}"#, 150_000, None)]
    #[case(r#"{"amount":"150000.00","fee":"0.00"}"#, 150_000, Some(0))]
    #[case(r#"{"amount":150000.0,"fee":null}"#, 150_000, None)]
    #[case(r#"{"amount":" 150000 ","fee":""}"#, 150_000, None)]
    #[case(r#"{"amount":"5000","fee":4250}"#, 5_000, Some(4_250))]
    fn should_parse_amount_string_or_number(
        #[case] json: &str,
        #[case] amount: i64,
        #[case] fee: Option<i64>,
    ) {
        let wire: Wire = serde_json::from_str(json).expect("parses");
        assert_eq!((wire.amount, wire.fee), (amount, fee));
    }

    #[rstest]
    #[case(r#"{"amount":"150000.50"}"#)]
    #[case(r#"{"amount":150000.5}"#)]
    #[case(r#"{"amount":-1}"#)]
    #[case(r#"{"amount":"-1"}"#)]
    #[case(r#"{"amount":"1e5"}"#)]
    #[case(r#"{"amount":""}"#)]
    #[case(r#"{"amount":".00"}"#)]
    #[case(r#"{"amount":"99999999999999999999"}"#)]
    #[case(r#"{"amount":true}"#)]
    fn should_reject_fractional_or_bad_amount(#[case] json: &str) {
        assert!(serde_json::from_str::<Wire>(json).is_err(), "{json}");
    }
}
