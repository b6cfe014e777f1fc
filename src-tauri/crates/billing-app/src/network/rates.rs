//! MikroTik rate limits as the owner types them (`rx/tx`, e.g. `2M/5M`, optionally with burst
//! settings after a space), for voucher profiles and plan profiles alike.

/// Whether `s` is a rate limit the router accepts.
pub fn is_rate_limit(s: &str) -> bool {
    // rx/tx with optional k/M/G, optionally followed by burst settings.
    let first = s.split_whitespace().next().unwrap_or_default();
    let mut parts = first.split('/');
    let ok = |p: Option<&str>| {
        p.is_some_and(|p| {
            let digits = p.trim_end_matches(['k', 'K', 'm', 'M', 'g', 'G']);
            !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
        })
    };
    ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
}
