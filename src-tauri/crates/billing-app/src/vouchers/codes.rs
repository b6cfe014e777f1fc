//! Voucher codes: alphabets without look-alikes, drawn from the operating system's CSPRNG.

use rand::rngs::OsRng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

use crate::Error;

/// Which characters a code is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Charset {
    /// `0`–`9`.
    Digits,
    /// Capital letters without `I`, `L` and `O`.
    Letters,
    /// Digits and capital letters without `0/O`, `1/I/L` (the default).
    #[default]
    Mixed,
    /// Digits, capital and small letters without `0/O/o`, `1/I/l/i`.
    MixedCase,
}

impl Charset {
    pub fn alphabet(self) -> &'static [u8] {
        match self {
            Charset::Digits => b"0123456789",
            Charset::Letters => b"ABCDEFGHJKMNPQRSTUVWXYZ",
            Charset::Mixed => b"23456789ABCDEFGHJKMNPQRSTUVWXYZ",
            Charset::MixedCase => b"23456789ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Charset::Digits => "digits",
            Charset::Letters => "letters",
            Charset::Mixed => "mixed",
            Charset::MixedCase => "mixed_case",
        }
    }

    pub fn parse(s: &str) -> Option<Charset> {
        Some(match s {
            "digits" => Charset::Digits,
            "letters" => Charset::Letters,
            "mixed" => Charset::Mixed,
            "mixed_case" => Charset::MixedCase,
            _ => return None,
        })
    }
}

pub const MIN_LENGTH: u32 = 4;
pub const MAX_LENGTH: u32 = 16;
pub const MAX_PREFIX: usize = 6;

/// How codes of one batch look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSpec {
    pub charset: Charset,
    /// Random characters after the prefix.
    pub length: u32,
    pub prefix: String,
}

impl CodeSpec {
    /// Checks the spec for a batch of `count` codes: the prefix is plain letters and digits,
    /// and the code space is at least 100 times the batch so collisions stay rare.
    pub fn validate(&self, count: u32) -> Result<(), Error> {
        if !(MIN_LENGTH..=MAX_LENGTH).contains(&self.length) {
            return Err(Error::validation(
                "code_length",
                format!("codes must have {MIN_LENGTH} to {MAX_LENGTH} random characters"),
            ));
        }
        if self.prefix.len() > MAX_PREFIX || !self.prefix.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(Error::validation(
                "prefix",
                format!("the prefix may have up to {MAX_PREFIX} letters or digits, nothing else"),
            ));
        }
        let space = (self.charset.alphabet().len() as f64).powi(self.length as i32);
        if space < f64::from(count) * 100.0 {
            return Err(Error::validation(
                "code_length",
                format!(
                    "{} random {} characters give only {space:.0} different codes, too few for {count} vouchers; use longer codes",
                    self.length,
                    self.charset.as_str()
                ),
            ));
        }
        Ok(())
    }

    /// One fresh code.
    pub fn generate(&self) -> String {
        let mut out = String::with_capacity(self.prefix.len() + self.length as usize);
        out.push_str(&self.prefix);
        out.push_str(&random_string(self.charset, self.length));
        out
    }
}

/// `length` characters of `charset` from the OS CSPRNG, each uniformly chosen.
pub fn random_string(charset: Charset, length: u32) -> String {
    let alphabet = charset.alphabet();
    let mut rng = OsRng;
    (0..length)
        .map(|_| char::from(*alphabet.choose(&mut rng).unwrap_or(&b'X')))
        .collect()
}

/// Whether `code` could have been made by some spec (used by the unique check).
pub fn plausible(code: &str) -> bool {
    (MIN_LENGTH as usize..=(MAX_LENGTH as usize + MAX_PREFIX)).contains(&code.len())
        && code.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[test]
    fn alphabets_leave_out_look_alikes() {
        for c in [Charset::Letters, Charset::Mixed, Charset::MixedCase] {
            let a = c.alphabet();
            for bad in b"01OIlio" {
                assert!(!a.contains(bad), "{c:?} contains {}", char::from(*bad));
            }
            let unique: HashSet<_> = a.iter().collect();
            assert_eq!(unique.len(), a.len());
        }
    }

    #[test]
    fn small_code_spaces_are_refused_with_the_field() {
        let spec = CodeSpec {
            charset: Charset::Digits,
            length: 4,
            prefix: String::new(),
        };
        let err = spec.validate(1000).expect_err("10^4 < 100 * 1000");
        assert!(matches!(
            err,
            Error::Validation {
                field: "code_length",
                ..
            }
        ));
        spec.validate(100).expect("10^4 >= 100 * 100");
    }

    #[test]
    fn prefixes_are_plain() {
        for bad in ["A-B", "TOOLONG7", "é"] {
            let spec = CodeSpec {
                charset: Charset::Mixed,
                length: 6,
                prefix: bad.into(),
            };
            assert!(spec.validate(10).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_character_is_drawn() {
        // 31 characters, 31,000 draws: each appears (the chance one is missing is ~1e-400).
        let s = random_string(Charset::Mixed, 31_000);
        let seen: HashSet<u8> = s.bytes().collect();
        assert_eq!(seen.len(), Charset::Mixed.alphabet().len());
    }

    proptest! {
        #[test]
        fn codes_follow_the_spec(len in MIN_LENGTH..=MAX_LENGTH, prefix in "[A-Z0-9]{0,6}", cs in 0usize..4) {
            let charset = [Charset::Digits, Charset::Letters, Charset::Mixed, Charset::MixedCase][cs];
            let spec = CodeSpec { charset, length: len, prefix: prefix.clone() };
            let code = spec.generate();
            prop_assert!(code.starts_with(&prefix));
            prop_assert_eq!(code.len(), prefix.len() + len as usize);
            prop_assert!(code[prefix.len()..].bytes().all(|b| charset.alphabet().contains(&b)));
            prop_assert!(plausible(&code));
        }
    }
}
