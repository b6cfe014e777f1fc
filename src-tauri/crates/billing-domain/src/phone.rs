//! Indonesian WhatsApp numbers, stored as `62…` (E.164 digits without `+`).

use crate::ValidationError;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Normalises `0812-3456-7890`, `+62 812…`, `0062…`, `812…` to `62812…`; rejects
    /// landlines and numbers of the wrong length.
    pub fn parse(raw: &str) -> Result<PhoneNumber, ValidationError> {
        let err = |m: &str| ValidationError::new("phone", m);
        let mut digits: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '.' | '(' | ')'))
            .collect();
        if let Some(rest) = digits.strip_prefix('+') {
            digits = rest.to_owned();
        }
        if digits.is_empty() {
            return Err(err("a WhatsApp number is required"));
        }
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(err(
                "a phone number may only contain digits, spaces, '+', '-' and '.'",
            ));
        }
        if let Some(rest) = digits.strip_prefix("0062") {
            digits = format!("62{rest}");
        }
        let national = if let Some(rest) = digits.strip_prefix("62") {
            rest.strip_prefix('0').unwrap_or(rest).to_owned()
        } else if let Some(rest) = digits.strip_prefix('0') {
            rest.to_owned()
        } else if digits.starts_with('8') {
            digits.clone()
        } else {
            return Err(err("not an Indonesian number (expected 08…, +62… or 62…)"));
        };
        if !national.starts_with('8') {
            return Err(err(
                "not a mobile (WhatsApp) number; landlines cannot receive WhatsApp",
            ));
        }
        if !(9..=12).contains(&national.len()) || national.as_bytes().get(1) == Some(&b'0') {
            return Err(err(
                "a mobile number has 10 to 13 digits after the leading 0",
            ));
        }
        Ok(PhoneNumber(format!("62{national}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("081234567890", "6281234567890")]
    #[case("0812-3456-7890", "6281234567890")]
    #[case("+62 812 3456 7890", "6281234567890")]
    #[case("62812 3456 7890", "6281234567890")]
    #[case("006281234567890", "6281234567890")]
    #[case("81234567890", "6281234567890")]
    #[case("+62 0812 3456 7890", "6281234567890")]
    #[case("0812.3456.789", "628123456789")]
    fn normalises_to_62(#[case] raw: &str, #[case] want: &str) {
        assert_eq!(PhoneNumber::parse(raw).expect("valid").as_str(), want);
    }

    #[rstest]
    #[case("021-5551234")]
    #[case("0812")]
    #[case("")]
    #[case("+1 555 123 4567")]
    #[case("0812-abc-7890")]
    #[case("08123456789012345")]
    fn rejects_with_the_field_named(#[case] raw: &str) {
        assert_eq!(PhoneNumber::parse(raw).expect_err("invalid").field, "phone");
    }
}
