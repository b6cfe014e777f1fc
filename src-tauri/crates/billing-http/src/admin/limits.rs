//! Rate limits of the admin API, the class beside login (its own, stricter limit), the
//! public pay pages and the webhooks: per signed-in account, generous enough for the
//! dashboard and scripts, but a runaway loop or a stolen token cannot flood the database;
//! and per client address for requests whose token is refused (token guessing).

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock as _, DefaultClock};
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter};
use uuid::Uuid;

use crate::ApiError;

type Keyed<K> = RateLimiter<K, HashMapStateStore<K>, DefaultClock>;

/// Requests per second and burst of each class.
#[derive(Debug, Clone, Copy)]
pub struct AdminLimitsConfig {
    pub per_account_per_second: u32,
    pub per_account_burst: u32,
    pub refused_per_second: u32,
    pub refused_burst: u32,
}

impl Default for AdminLimitsConfig {
    fn default() -> Self {
        AdminLimitsConfig {
            // The dashboard opens a page with a handful of calls; the voucher progress polls
            // twice a second. A script importing or exporting stays well below this.
            per_account_per_second: 100,
            per_account_burst: 1000,
            refused_per_second: 2,
            refused_burst: 60,
        }
    }
}

pub struct AdminLimits {
    accounts: Keyed<Uuid>,
    refused: Keyed<IpAddr>,
    clock: DefaultClock,
}

impl std::fmt::Debug for AdminLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminLimits")
    }
}

fn quota(per_second: u32, burst: u32) -> Quota {
    let per_second = NonZeroU32::new(per_second).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst).unwrap_or(per_second);
    Quota::per_second(per_second).allow_burst(burst)
}

impl AdminLimits {
    pub fn new(config: AdminLimitsConfig) -> AdminLimits {
        AdminLimits {
            accounts: RateLimiter::hashmap(quota(
                config.per_account_per_second,
                config.per_account_burst,
            )),
            refused: RateLimiter::hashmap(quota(config.refused_per_second, config.refused_burst)),
            clock: DefaultClock::default(),
        }
    }

    /// One request of a signed-in account.
    pub fn account(&self, user: Uuid) -> Result<(), ApiError> {
        self.accounts
            .check_key(&user)
            .map_err(|not_until| self.too_many(not_until, "requests from your account"))
    }

    /// One request whose token was refused; `Err` once an address keeps sending them.
    pub fn refused(&self, ip: Option<IpAddr>) -> Result<(), ApiError> {
        let ip = ip.unwrap_or(IpAddr::from([0, 0, 0, 0]));
        self.refused
            .check_key(&ip)
            .map_err(|not_until| self.too_many(not_until, "refused requests from your address"))
    }

    fn too_many(
        &self,
        not_until: governor::NotUntil<<DefaultClock as governor::clock::Clock>::Instant>,
        what: &str,
    ) -> ApiError {
        let wait = not_until.wait_time_from(self.clock.now());
        let secs = i64::try_from(wait.as_secs()).unwrap_or(i64::MAX).max(1);
        ApiError::TooManyRequests {
            message: format!("too many {what}; try again in {secs} s"),
            retry_after_secs: secs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_over_its_burst_is_told_when_to_come_back_and_others_are_not_affected() {
        let limits = AdminLimits::new(AdminLimitsConfig {
            per_account_per_second: 1,
            per_account_burst: 3,
            refused_per_second: 1,
            refused_burst: 2,
        });
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        for _ in 0..3 {
            limits.account(a).expect("within the burst");
        }
        match limits.account(a) {
            Err(ApiError::TooManyRequests {
                retry_after_secs,
                message,
            }) => {
                assert!(retry_after_secs >= 1);
                assert!(message.contains("your account"), "{message}");
            }
            other => panic!("expected 429, got {other:?}"),
        }
        limits
            .account(b)
            .expect("another account has its own budget");

        let ip: IpAddr = [127, 0, 0, 1].into();
        limits.refused(Some(ip)).expect("1");
        limits.refused(Some(ip)).expect("2");
        assert!(limits.refused(Some(ip)).is_err());
        limits
            .refused(Some([127, 0, 0, 2].into()))
            .expect("another address");
    }
}
