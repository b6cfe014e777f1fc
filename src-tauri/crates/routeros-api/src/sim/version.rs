//! Which RouterOS release the simulator imitates.

use std::fmt;
use std::str::FromStr;

/// A RouterOS version; it switches login methods, date format, error suffixes and `!empty`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl SimVersion {
    /// 6.42.12: challenge login only, old dates, no error suffixes.
    pub const V6_42: SimVersion = SimVersion::new(6, 42, 12);
    /// 6.49.17: the last v6 long-term; plain login only.
    pub const V6_49: SimVersion = SimVersion::new(6, 49, 17);
    /// 7.9.2: v7 error suffixes, old date format.
    pub const V7_9: SimVersion = SimVersion::new(7, 9, 2);
    /// 7.17.2: ISO dates, no `!empty`.
    pub const V7_17: SimVersion = SimVersion::new(7, 17, 2);
    /// 7.18.2: sends `!empty` for commands without data.
    pub const V7_18: SimVersion = SimVersion::new(7, 18, 2);

    /// A version from its parts.
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Self {
            major,
            minor,
            patch,
        }
    }

    /// `/login =name= =password=` (6.43 and later).
    pub fn plain_login(self) -> bool {
        self >= SimVersion::new(6, 43, 0)
    }

    /// The MD5 challenge login (removed in 6.45.1).
    pub fn challenge_login(self) -> bool {
        self < SimVersion::new(6, 45, 1)
    }

    /// ISO dates (`2023-06-26 00:32:53`) from 7.10 on.
    pub fn iso_dates(self) -> bool {
        self >= SimVersion::new(7, 10, 0)
    }

    /// Numeric suffixes on some errors (`no such item (4)`) in v7.
    pub fn error_suffixes(self) -> bool {
        self.major >= 7
    }

    /// `!empty` before `!done` when a command has no data (7.18 and later).
    pub fn empty_reply(self) -> bool {
        self >= SimVersion::new(7, 18, 0)
    }

    /// `/system/resource` `version` value.
    pub fn display(self) -> String {
        format!(
            "{self} ({})",
            if self.major >= 7 {
                "stable"
            } else {
                "long-term"
            }
        )
    }
}

impl Default for SimVersion {
    fn default() -> Self {
        SimVersion::V7_18
    }
}

impl fmt::Display for SimVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl FromStr for SimVersion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut it = s.trim().split('.');
        let mut next = |required: bool| -> Result<u32, String> {
            match it.next() {
                Some(p) => p.parse().map_err(|_| format!("bad version {s:?}")),
                None if required => Err(format!("bad version {s:?}")),
                None => Ok(0),
            }
        };
        Ok(SimVersion::new(next(true)?, next(true)?, next(false)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_follow_the_release_history() {
        assert!(!SimVersion::V6_42.plain_login() && SimVersion::V6_42.challenge_login());
        assert!(
            SimVersion::new(6, 44, 0).plain_login() && SimVersion::new(6, 44, 0).challenge_login()
        );
        assert!(SimVersion::V6_49.plain_login() && !SimVersion::V6_49.challenge_login());
        assert!(!SimVersion::V7_9.iso_dates() && SimVersion::V7_17.iso_dates());
        assert!(!SimVersion::V7_17.empty_reply() && SimVersion::V7_18.empty_reply());
        assert_eq!("7.18.2".parse::<SimVersion>(), Ok(SimVersion::V7_18));
        assert_eq!("6.49".parse::<SimVersion>(), Ok(SimVersion::new(6, 49, 0)));
        assert!("seven".parse::<SimVersion>().is_err());
    }
}
