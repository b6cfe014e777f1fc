//! Indonesian phone numbers (gateways.md §D): canonical `62` + national number, digits only;
//! each provider's form is derived at the edge with [`to_chat_id`].

use crate::ProviderKind;

/// Why a number is not a WhatsApp-able Indonesian mobile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("phone number contains characters other than digits, spaces, + - . ( )")]
    InvalidCharacters,
    #[error("not an Indonesian mobile number (must start 08, 8, 62 8 or +62 8)")]
    NotMobile,
    #[error("phone number has the wrong length")]
    WrongLength,
}

/// A canonical number, with `repaired` set when a double trunk prefix (`+62 0812…`) was fixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub canonical: String,
    pub repaired: bool,
}

/// Normalises `081234567890`, `+62 812-3456-7890`, `0062…`, `8123…` to `6281234567890`.
pub fn normalize(input: &str) -> Result<Normalized, PhoneError> {
    let mut digits = String::with_capacity(input.len());
    for (i, c) in input.trim().chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => {}
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return Err(PhoneError::InvalidCharacters),
        }
    }
    let national = if let Some(rest) = digits.strip_prefix("0062") {
        rest.to_owned()
    } else if let Some(rest) = digits.strip_prefix("62") {
        rest.to_owned()
    } else if let Some(rest) = digits.strip_prefix('0') {
        rest.to_owned()
    } else {
        digits
    };
    let (national, repaired) = match national.strip_prefix('0') {
        Some(rest) => (rest.to_owned(), true),
        None => (national, false),
    };
    let mut chars = national.chars();
    if chars.next() != Some('8') || matches!(chars.next(), Some('0') | None) {
        return Err(if national.len() < 3 {
            PhoneError::WrongLength
        } else {
            PhoneError::NotMobile
        });
    }
    // ^628[1-9][0-9]{6,10}$ → national part 8 + 7..=11 digits.
    if !(8..=12).contains(&national.len()) {
        return Err(PhoneError::WrongLength);
    }
    Ok(Normalized {
        canonical: format!("62{national}"),
        repaired,
    })
}

/// The provider's form of a canonical `62…` number: WAHA `62…@c.us`, GOWA
/// `62…@s.whatsapp.net`, Meta/Fonnte/Wablas the bare digits.
pub fn to_chat_id(kind: ProviderKind, canonical: &str) -> String {
    let digits = canonical.trim_start_matches('+');
    match kind {
        ProviderKind::Waha => format!("{digits}@c.us"),
        ProviderKind::Gowa => format!("{digits}@s.whatsapp.net"),
        ProviderKind::MetaCloud | ProviderKind::Fonnte | ProviderKind::Wablas => digits.to_owned(),
    }
}

/// `+62…`, for display and for APIs that want E.164 with a plus.
pub fn to_e164(canonical: &str) -> String {
    format!("+{}", canonical.trim_start_matches('+'))
}

/// The canonical number inside a provider chat id (`6281…@c.us` → `6281…`).
pub fn from_chat_id(chat_id: &str) -> String {
    chat_id
        .split('@')
        .next()
        .unwrap_or(chat_id)
        .split(':')
        .next()
        .unwrap_or(chat_id)
        .trim_start_matches('+')
        .to_owned()
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("081234567890", "6281234567890", false)]
    #[case("0812-3456-7890", "6281234567890", false)]
    #[case("+62 812 3456 7890", "6281234567890", false)]
    #[case("62812 3456 7890", "6281234567890", false)]
    #[case("006281234567890", "6281234567890", false)]
    #[case("81234567890", "6281234567890", false)]
    #[case("+62 0812 3456 7890", "6281234567890", true)]
    fn documented_vectors_normalise(#[case] input: &str, #[case] want: &str, #[case] rep: bool) {
        let got = normalize(input).expect("valid");
        assert_eq!((got.canonical.as_str(), got.repaired), (want, rep));
    }

    #[rstest]
    #[case("021-5551234", PhoneError::NotMobile)]
    #[case("0812", PhoneError::WrongLength)]
    #[case("0812abc4567", PhoneError::InvalidCharacters)]
    fn documented_bad_numbers_are_rejected(#[case] input: &str, #[case] want: PhoneError) {
        assert_eq!(normalize(input), Err(want));
    }

    #[rstest]
    #[case(ProviderKind::Waha, "6281234567890@c.us")]
    #[case(ProviderKind::Gowa, "6281234567890@s.whatsapp.net")]
    #[case(ProviderKind::MetaCloud, "6281234567890")]
    #[case(ProviderKind::Fonnte, "6281234567890")]
    #[case(ProviderKind::Wablas, "6281234567890")]
    fn chat_ids_are_derived_at_the_edge(#[case] kind: ProviderKind, #[case] want: &str) {
        assert_eq!(to_chat_id(kind, "6281234567890"), want);
        assert_eq!(from_chat_id(want), "6281234567890");
        assert_eq!(to_e164("6281234567890"), "+6281234567890");
    }
}
