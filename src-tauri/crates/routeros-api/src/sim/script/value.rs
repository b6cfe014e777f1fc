//! Script values and how they print, compare and combine.

use std::cmp::Ordering;
use std::time::Duration;

use super::ScriptError;
use crate::parse::parse_duration;

/// A RouterOS script value (the subset the interpreter knows).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Nil,
    Str(String),
    Num(i64),
    Bool(bool),
    Time(Duration),
    /// An item id (`*1A`).
    Id(u32),
    Array(Vec<Value>),
}

impl Value {
    /// The text a value becomes inside a string or as a command argument. Arrays join with
    /// `sep` (`;` when printed, `,` as an argument).
    pub fn text(&self, sep: &str) -> String {
        match self {
            Value::Nil => String::new(),
            Value::Str(s) => s.clone(),
            Value::Num(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Time(d) => script_time(*d),
            Value::Id(n) => format!("*{n:X}"),
            Value::Array(a) => a.iter().map(|v| v.text(sep)).collect::<Vec<_>>().join(sep),
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Nil => "nil",
            Value::Str(_) => "str",
            Value::Num(_) => "num",
            Value::Bool(_) => "bool",
            Value::Time(_) => "time",
            Value::Id(_) => "id",
            Value::Array(_) => "array",
        }
    }

    /// `:len`: characters of a string, elements of an array, 0 for nothing.
    pub fn len(&self) -> i64 {
        let n = match self {
            Value::Nil => 0,
            Value::Array(a) => a.len(),
            Value::Str(s) => s.chars().count(),
            other => other.text(";").chars().count(),
        };
        i64::try_from(n).unwrap_or(i64::MAX)
    }

    /// The value of a string read as the type of `like` (for `name=123` style comparisons).
    fn coerce_to(&self, like: &Value) -> Option<Value> {
        let Value::Str(s) = self else {
            return None;
        };
        match like {
            Value::Num(_) => s.parse().ok().map(Value::Num),
            Value::Bool(_) => match s.as_str() {
                "true" | "yes" => Some(Value::Bool(true)),
                "false" | "no" => Some(Value::Bool(false)),
                _ => None,
            },
            Value::Time(_) => parse_duration(s).ok().map(Value::Time),
            Value::Id(_) => s
                .strip_prefix('*')
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .map(Value::Id),
            _ => None,
        }
    }

    /// `=`: same type and value; a string compared with a typed value is read as that type.
    pub fn equals(&self, other: &Value) -> bool {
        if std::mem::discriminant(self) == std::mem::discriminant(other) {
            return self == other;
        }
        match (self.coerce_to(other), other.coerce_to(self)) {
            (Some(a), _) => &a == other,
            (_, Some(b)) => self == &b,
            _ => false,
        }
    }

    /// `<` and `>`: numbers, times, ids and strings; anything else is an error.
    pub fn compare(&self, other: &Value) -> Result<Ordering, ScriptError> {
        let (a, b) = match (self.coerce_to(other), other.coerce_to(self)) {
            (Some(a), _) => (a, other.clone()),
            (_, Some(b)) => (self.clone(), b),
            _ => (self.clone(), other.clone()),
        };
        match (&a, &b) {
            (Value::Num(x), Value::Num(y)) => Ok(x.cmp(y)),
            (Value::Time(x), Value::Time(y)) => Ok(x.cmp(y)),
            (Value::Id(x), Value::Id(y)) => Ok(x.cmp(y)),
            (Value::Str(x), Value::Str(y)) => Ok(x.cmp(y)),
            _ => Err(ScriptError::runtime(format!(
                "cannot compare {} with {}",
                self.type_name(),
                other.type_name()
            ))),
        }
    }
}

/// How scripts print a time: `1d00:00:00`, `01:30:00`, `1w1d00:00:05.500`.
pub(crate) fn script_time(d: Duration) -> String {
    let mut secs = d.as_secs();
    let mut out = String::new();
    if secs >= 604_800 {
        out.push_str(&format!("{}w", secs / 604_800));
        secs %= 604_800;
    }
    if secs >= 86_400 {
        out.push_str(&format!("{}d", secs / 86_400));
        secs %= 86_400;
    }
    out.push_str(&format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    ));
    let millis = d.subsec_millis();
    if millis > 0 {
        out.push_str(&format!(".{millis:03}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_print_like_scripts_and_read_back() {
        for (secs, text) in [
            (86_400, "1d00:00:00"),
            (5400, "01:30:00"),
            (8 * 86_400 + 5, "1w1d00:00:05"),
            (0, "00:00:00"),
        ] {
            let d = Duration::from_secs(secs);
            assert_eq!(script_time(d), text);
            assert_eq!(parse_duration(text), Ok(d));
        }
    }

    #[test]
    fn equality_reads_strings_as_the_other_type() {
        assert!(Value::Str("1".into()).equals(&Value::Num(1)));
        assert!(Value::Bool(false).equals(&Value::Str("no".into())));
        assert!(!Value::Str("x".into()).equals(&Value::Num(1)));
        assert!(!Value::Nil.equals(&Value::Str(String::new())));
        assert!(Value::Time(Duration::from_secs(60)).equals(&Value::Str("1m".into())));
        assert!(Value::Num(1).compare(&Value::Bool(true)).is_err());
        assert_eq!(
            Value::Str("b".into()).compare(&Value::Str("a".into())),
            Ok(Ordering::Greater)
        );
    }
}
