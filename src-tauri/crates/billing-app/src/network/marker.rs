//! The seed's marker on everything the app writes to a router (§6):
//! `TYPE_SYSTEM|customer|subscription|vendor|date|created_by`, six fields, `NULL` where one does
//! not apply. PPPoE secrets and the isolation profile carry `PPPOE_SYSTEM`; vouchers, voucher
//! profiles (in their on-login script: RouterOS keeps no comment on hotspot user profiles) and
//! the expiry sweeper carry `VOUCHER_SYSTEM`. For vouchers the subscription slot holds the
//! batch, for a voucher profile the profile, and the vendor slot the reseller.
//!
//! Whatever follows the six fields (`|act=…`, `|exp=…` on a voucher) is the router's or the
//! monitor's stamp and is kept when the marker is read.

/// Which system a marker names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pppoe,
    Voucher,
}

impl Kind {
    pub const fn prefix(self) -> &'static str {
        match self {
            Self::Pppoe => "PPPOE_SYSTEM",
            Self::Voucher => "VOUCHER_SYSTEM",
        }
    }
}

/// One marker; empty or missing fields are written `NULL`, a missing author `system`.
#[derive(Debug, Clone, Copy)]
pub struct Marker<'a> {
    pub kind: Kind,
    pub customer: Option<&'a str>,
    pub subscription: Option<&'a str>,
    pub vendor: Option<&'a str>,
    pub date: &'a str,
    pub created_by: &'a str,
}

impl Marker<'_> {
    /// A marker for what the app makes by itself (no customer, subscription or vendor).
    pub fn system(kind: Kind, date: &str) -> Marker<'_> {
        Marker {
            kind,
            customer: None,
            subscription: None,
            vendor: None,
            date,
            created_by: "system",
        }
    }

    pub fn comment(&self) -> String {
        let field = |s: Option<&str>| match s.map(str::trim) {
            Some(s) if !s.is_empty() => s.replace('|', "/"),
            _ => "NULL".to_owned(),
        };
        let by = match self.created_by.trim() {
            "" => "system".to_owned(),
            by => by.replace('|', "/"),
        };
        format!(
            "{}|{}|{}|{}|{}|{by}",
            self.kind.prefix(),
            field(self.customer),
            field(self.subscription),
            field(self.vendor),
            field(Some(self.date)),
        )
    }
}

/// Whether a comment (or on-login script) carries one of our markers.
pub fn is_ours(text: &str) -> bool {
    text.contains("PPPOE_SYSTEM|") || text.contains("VOUCHER_SYSTEM|")
}

/// The six fields of a marker at the start of `comment`, if it is ours and complete.
pub fn fields(comment: &str) -> Option<[&str; 6]> {
    let mut parts = comment.split('|');
    let out = [
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    ];
    matches!(out[0], "PPPOE_SYSTEM" | "VOUCHER_SYSTEM").then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_fields_with_null_where_nothing_applies() {
        let m = Marker::system(Kind::Pppoe, "2026-12-07");
        assert_eq!(m.comment(), "PPPOE_SYSTEM|NULL|NULL|NULL|2026-12-07|system");
        let v = Marker {
            kind: Kind::Voucher,
            customer: None,
            subscription: Some("b1"),
            vendor: Some("r|1"),
            date: "2026-12-07",
            created_by: "kasir",
        };
        assert_eq!(v.comment(), "VOUCHER_SYSTEM|NULL|b1|r/1|2026-12-07|kasir");
        let stamped = format!(
            "{}|act=2026-12-07 10:00:00|exp=2026-12-08 10:00:00",
            v.comment()
        );
        assert_eq!(fields(&stamped).map(|f| f[2]), Some("b1"));
        assert_eq!(fields("VOUCHER_SYSTEM|expiry sweeper"), None);
        assert!(is_ours(&stamped) && !is_ours("created by hand"));
    }
}
