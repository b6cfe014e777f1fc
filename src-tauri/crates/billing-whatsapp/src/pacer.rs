//! Per-session pacing so numbers are not banned: at least `min_interval` plus a random jitter
//! in `0..=max_jitter` between two sends. Time and randomness are passed in, so tests are exact.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;

/// A min-interval + jitter limiter for one session. Cheap; keep one per session in memory.
#[derive(Debug, Clone)]
pub struct Pacer {
    min_interval: Duration,
    max_jitter: Duration,
    next_allowed: Option<DateTime<Utc>>,
}

impl Pacer {
    pub fn new(min_interval: Duration, max_jitter: Duration) -> Pacer {
        Pacer {
            min_interval,
            max_jitter,
            next_allowed: None,
        }
    }

    /// The earliest moment the next send may start (`now` if it may start now).
    pub fn ready_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self.next_allowed {
            Some(next) if next > now => next,
            _ => now,
        }
    }

    /// Takes the slot if it is free at `now` and schedules the next one
    /// (`now + min_interval + jitter`); otherwise returns when it will be free.
    pub fn try_acquire(
        &mut self,
        now: DateTime<Utc>,
        rng: &mut impl Rng,
    ) -> Result<(), DateTime<Utc>> {
        let ready = self.ready_at(now);
        if ready > now {
            return Err(ready);
        }
        let jitter_ms = u64::try_from(self.max_jitter.as_millis()).unwrap_or(u64::MAX);
        let jitter = if jitter_ms == 0 {
            0
        } else {
            rng.gen_range(0..=jitter_ms)
        };
        let gap = self.min_interval + Duration::from_millis(jitter);
        let gap = chrono::Duration::from_std(gap).unwrap_or(chrono::Duration::MAX);
        self.next_allowed = Some(
            now.checked_add_signed(gap)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        );
        Ok(())
    }

    /// Pushes the next slot back, e.g. after a provider said "rate limited, retry after…".
    pub fn back_off_until(&mut self, until: DateTime<Utc>) {
        if self.next_allowed.is_none_or(|next| next < until) {
            self.next_allowed = Some(until);
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use rand::{rngs::StdRng, SeedableRng};
    use rstest::rstest;

    use super::*;

    fn t(ms: i64) -> DateTime<Utc> {
        Utc.timestamp_millis_opt(1_736_913_600_000 + ms)
            .single()
            .expect("valid")
    }

    #[rstest]
    #[case::first_send_is_free(&[], 0, Ok(()))]
    #[case::too_soon(&[0], 2_999, Err(3_000))]
    #[case::exactly_on_time(&[0], 3_000, Ok(()))]
    #[case::later_is_fine(&[0, 3_000], 9_000, Ok(()))]
    fn without_jitter_sends_are_min_interval_apart(
        #[case] earlier: &[i64],
        #[case] at: i64,
        #[case] want: Result<(), i64>,
    ) {
        let mut pacer = Pacer::new(Duration::from_secs(3), Duration::ZERO);
        let mut rng = StdRng::seed_from_u64(7);
        for &e in earlier {
            pacer.try_acquire(t(e), &mut rng).expect("free");
        }
        assert_eq!(pacer.try_acquire(t(at), &mut rng), want.map_err(t));
    }

    #[test]
    fn jitter_stays_within_its_bound_and_varies() {
        let mut pacer = Pacer::new(Duration::from_secs(2), Duration::from_millis(1_500));
        let mut rng = StdRng::seed_from_u64(42);
        let mut now = t(0);
        let mut gaps = Vec::new();
        for _ in 0..50 {
            pacer.try_acquire(now, &mut rng).expect("slot is free");
            let next = pacer.ready_at(now);
            let gap = (next - now).num_milliseconds();
            assert!((2_000..=3_500).contains(&gap), "gap {gap}");
            gaps.push(gap);
            now = next;
        }
        gaps.sort_unstable();
        gaps.dedup();
        assert!(gaps.len() > 10, "jitter should vary: {gaps:?}");
    }

    #[test]
    fn back_off_only_moves_the_slot_later() {
        let mut pacer = Pacer::new(Duration::from_secs(5), Duration::ZERO);
        let mut rng = StdRng::seed_from_u64(1);
        pacer.try_acquire(t(0), &mut rng).expect("free");
        pacer.back_off_until(t(1_000));
        assert_eq!(pacer.ready_at(t(0)), t(5_000));
        pacer.back_off_until(t(60_000));
        assert_eq!(pacer.try_acquire(t(30_000), &mut rng), Err(t(60_000)));
    }
}
