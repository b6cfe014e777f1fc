//! Parsing `postgres --version` output.

use std::fmt;

/// The oldest major version the app supports.
pub const MIN_SUPPORTED_MAJOR: u32 = 13;

/// A PostgreSQL server version as reported by `postgres --version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgVersion {
    /// Major version (`15` for 15.18; `9` for 9.6.24, which is unsupported anyway).
    pub major: u32,
    /// The version token as printed, e.g. `15.18` or `17beta1`.
    pub text: String,
}

impl PgVersion {
    /// Parses output such as `postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)`.
    pub fn parse(output: &str) -> Option<Self> {
        let line = output.lines().next()?.trim();
        let rest = line
            .split_once("(PostgreSQL)")
            .map_or(line, |(_, rest)| rest);
        let token = rest.split_whitespace().next()?;
        let digits: String = token.chars().take_while(char::is_ascii_digit).collect();
        let major = digits.parse().ok()?;
        Some(Self {
            major,
            text: token.to_owned(),
        })
    }

    /// Whether this version is new enough for the app.
    pub fn is_supported(&self) -> bool {
        self.major >= MIN_SUPPORTED_MAJOR
    }
}

impl fmt::Display for PgVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Sort key for a version-like directory name (`15`, `9.6`, `postgresql@16` → digits only);
/// names without digits sort below every number.
pub(crate) fn dir_version_key(name: &str) -> Vec<u32> {
    name.split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .filter_map(|part| part.parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_debian_output() {
        let v = PgVersion::parse("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n");
        assert_eq!(
            v,
            Some(PgVersion {
                major: 15,
                text: "15.18".into()
            })
        );
    }

    #[test]
    fn parses_plain_and_prerelease_output() {
        let v = PgVersion::parse("postgres (PostgreSQL) 18.4").expect("parses");
        assert_eq!((v.major, v.text.as_str()), (18, "18.4"));
        let beta = PgVersion::parse("postgres (PostgreSQL) 17beta1").expect("parses");
        assert_eq!(beta.major, 17);
    }

    #[test]
    fn old_versions_parse_but_are_rejected() {
        let v12 = PgVersion::parse("postgres (PostgreSQL) 12.22").expect("parses");
        assert!(!v12.is_supported());
        let v96 = PgVersion::parse("postgres (PostgreSQL) 9.6.24").expect("parses");
        assert_eq!(v96.major, 9);
        assert!(!v96.is_supported());
        assert!(PgVersion::parse("postgres (PostgreSQL) 13.0")
            .expect("parses")
            .is_supported());
    }

    #[test]
    fn garbage_is_not_a_version() {
        assert_eq!(PgVersion::parse(""), None);
        assert_eq!(PgVersion::parse("command not found"), None);
        assert_eq!(PgVersion::parse("postgres (PostgreSQL) devel"), None);
    }

    #[test]
    fn directory_names_sort_by_number() {
        let mut names = vec!["9.6", "15", "latest", "postgresql@16", "13"];
        names.sort_by_key(|n| std::cmp::Reverse(dir_version_key(n)));
        assert_eq!(names, ["postgresql@16", "15", "13", "9.6", "latest"]);
    }
}
