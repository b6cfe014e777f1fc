//! What every benchmark shares: its size (full, or the smoke size CI runs in seconds) and
//! the one machine-readable line per figure that `tests/benches/all.sh` turns into a table.
//!
//! `MIKROBILL_BENCH_SIZE=smoke` picks the smoke size; anything else (or unset) the full one.

/// True when the smoke size was asked for.
pub fn smoke() -> bool {
    std::env::var("MIKROBILL_BENCH_SIZE").is_ok_and(|s| s == "smoke")
}

/// `full`, or `smoke` when the smoke size was asked for.
pub fn size<T>(full: T, smoke_size: T) -> T {
    if smoke() {
        smoke_size
    } else {
        full
    }
}

/// Prints one figure as `bench: <key> <value> <unit>` (the line `all.sh` reads).
pub fn figure(key: &str, value: f64, unit: &str) {
    println!("bench: {key} {value:.3} {unit}");
}

/// The `p`-th quantile (0..=1) of `sorted` (ascending); 0 for an empty slice.
pub fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let last = sorted.len() - 1;
    let at = ((last as f64) * p).round() as usize;
    sorted[at.min(last)]
}
