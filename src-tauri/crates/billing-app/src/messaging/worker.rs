//! Draining the queue over the sessions: each session sends at its own pace; a session that
//! fails is taken out and its messages go to the healthy ones (backups step in when no
//! primary is left); a message is sent at most once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use billing_domain::{Clock, SystemClock};
use billing_whatsapp::{QuietHours, SendError, SessionHealth};
use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::pool::SessionEntry;
use crate::{AppContext, Error};

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct DrainSummary {
    pub sent: usize,
    pub failed: usize,
    pub retried: usize,
    pub sessions_failed: usize,
}

#[derive(Default)]
struct Counters {
    sent: AtomicUsize,
    failed: AtomicUsize,
    retried: AtomicUsize,
    sessions_failed: AtomicUsize,
    /// Messages this drain may still send.
    budget: AtomicUsize,
    /// Lanes holding a unit of the budget they may still give back (claim found nothing,
    /// pacer said wait): while one does, an empty budget is not yet the end.
    holding: AtomicUsize,
}

impl Counters {
    /// Takes one unit of the budget; `None` only when it is used up for good. A lane must not
    /// stop because the others hold the last units for a moment: a lane whose claim finds
    /// nothing gives its unit back, and a message only its lane may send would be left over.
    async fn reserve(&self) -> Option<Reservation<'_>> {
        loop {
            self.holding.fetch_add(1, Ordering::SeqCst);
            if self
                .budget
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |b| b.checked_sub(1))
                .is_ok()
            {
                return Some(Reservation {
                    counters: self,
                    used: false,
                });
            }
            self.holding.fetch_sub(1, Ordering::SeqCst);
            // A holder gives back (budget + 1) before it lets go (holding - 1), so once no
            // one holds, the budget read next is final.
            if self.holding.load(Ordering::SeqCst) == 0 && self.budget.load(Ordering::SeqCst) == 0 {
                return None;
            }
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
    }
}

/// One unit of a drain's budget: given back when dropped unless a claimed message used it
/// (so an early return or an error never keeps it).
struct Reservation<'a> {
    counters: &'a Counters,
    used: bool,
}

impl Reservation<'_> {
    fn used(mut self) {
        self.used = true;
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if !self.used {
            self.counters.budget.fetch_add(1, Ordering::SeqCst);
        }
        self.counters.holding.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Sends up to `max` due messages and returns when the queue has nothing due (or no session
/// can send). Safe to run from several places: rows are claimed with `SKIP LOCKED`.
pub async fn drain(ctx: &AppContext, max: usize) -> Result<DrainSummary, Error> {
    // A confirmation that could not go out for days (no working session) would only confuse
    // the customer now: it is cancelled, visibly, instead.
    sqlx::query(
        "update whatsapp_messages set status = 'cancelled', \
         last_error = 'not sent within 3 days (no working session); cancelled as stale' \
         where status = 'queued' and queued_at < $1",
    )
    .bind(ctx.clock.now() - Duration::days(3))
    .execute(&ctx.pool)
    .await?;
    let quiet: Option<(Option<NaiveTime>, Option<NaiveTime>)> =
        sqlx::query_as("select quiet_start, quiet_end from whatsapp_settings")
            .fetch_optional(&ctx.pool)
            .await?;
    let quiet = match quiet {
        Some((Some(start), Some(end))) => {
            QuietHours { start, end }.is_quiet(ctx.clock.now(), ctx.tz)
        }
        _ => false,
    };
    let counters = Arc::new(Counters {
        budget: AtomicUsize::new(max),
        ..Counters::default()
    });
    let sessions = ctx.whatsapp.sessions();
    // Rounds: when a session fails during one, the next round lets the others (and the
    // backups, once no primary is left) take over its messages.
    loop {
        let failed_before = counters.sessions_failed.load(Ordering::SeqCst);
        let workers = sessions.iter().flat_map(|session| {
            (0..session.lanes).map(|index| {
                let lane = Lane {
                    index,
                    count: session.lanes,
                };
                let (ctx, counters, all) = (ctx.clone(), counters.clone(), sessions.clone());
                let session = session.clone();
                async move { session_worker(&ctx, &session, &all, quiet, &counters, lane).await }
            })
        });
        for result in futures::future::join_all(workers).await {
            result?;
        }
        let failed_now = counters.sessions_failed.load(Ordering::SeqCst);
        if failed_now == failed_before || !sessions.iter().any(|s| s.is_healthy()) {
            break;
        }
    }
    Ok(DrainSummary {
        sent: counters.sent.load(Ordering::SeqCst),
        failed: counters.failed.load(Ordering::SeqCst),
        retried: counters.retried.load(Ordering::SeqCst),
        sessions_failed: counters.sessions_failed.load(Ordering::SeqCst),
    })
}

/// One of a session's lanes (see [`super::pool::lanes`]). Each number's messages go through
/// one lane only (by a hash of the number), so one customer's messages still leave in the
/// order they were queued.
#[derive(Debug, Clone, Copy)]
struct Lane {
    index: u32,
    count: u32,
}

async fn session_worker(
    ctx: &AppContext,
    session: &Arc<SessionEntry>,
    all: &[Arc<SessionEntry>],
    quiet: bool,
    counters: &Counters,
    lane: Lane,
) -> Result<(), Error> {
    // A message the provider accepted whose row still says `sending`: recorded together with
    // the next claim (one statement instead of two), or on its own before any wait or return,
    // so it is never left `sending` longer than the next statement.
    let mut unrecorded: Option<Sent> = None;
    loop {
        let reservation = if !session.is_healthy()
            // Backups only step in when no primary can send.
            || (session.backup && all.iter().any(|s| !s.backup && s.is_healthy()))
        {
            None
        } else {
            counters.reserve().await
        };
        let Some(reservation) = reservation else {
            if let Some(sent) = unrecorded.take() {
                mark_sent(ctx, sent.id, sent.provider_id, sent.at).await?;
            }
            return Ok(());
        };
        // Pacing is about real time, whatever the business clock says.
        let wait = {
            let mut pacer = session
                .pacer
                .lock()
                .map_err(|_| anyhow::anyhow!("pacer poisoned"))?;
            let now = SystemClock.now();
            match pacer.try_acquire(now, &mut rand::thread_rng()) {
                Ok(()) => None,
                Err(ready) => Some((ready - now).to_std().unwrap_or_default()),
            }
        };
        if let Some(wait) = wait {
            drop(reservation);
            // The timer's granularity is a millisecond: a shorter wait (a session allowed
            // thousands of messages a minute) only yields, or the pace would be the timer's.
            if wait < std::time::Duration::from_millis(1) {
                tokio::task::yield_now().await;
                continue;
            }
            if let Some(sent) = unrecorded.take() {
                mark_sent(ctx, sent.id, sent.provider_id, sent.at).await?;
            }
            tokio::time::sleep(wait).await;
            continue;
        }
        let now = ctx.clock.now();
        let sent = unrecorded.take();
        let claimed: Option<(i64, String, String, i32)> = sqlx::query_as(
            "with recorded as ( \
                 update whatsapp_messages set status = 'sent', provider_message_id = $5, \
                        sent_at = $6, last_error = null where id = $4) \
             update whatsapp_messages set status = 'sending', session_id = $1, attempts = attempts + 1 \
             where id = (select id from whatsapp_messages where status = 'queued' \
                         and next_attempt_at <= $2 and (not $3 or priority = 0) \
                         and ($7 = 1 or (hashtext(to_phone) & 2147483647) % $7 = $8) \
                         order by priority, next_attempt_at, id limit 1 for update skip locked) \
             returning id, to_phone, body, attempts",
        )
        .bind(session.id)
        .bind(now)
        .bind(quiet)
        .bind(sent.as_ref().map(|s| s.id))
        .bind(sent.as_ref().and_then(|s| s.provider_id.clone()))
        .bind(sent.as_ref().map(|s| s.at))
        .bind(i32::try_from(lane.count).unwrap_or(1))
        .bind(i32::try_from(lane.index).unwrap_or(0))
        .fetch_optional(&ctx.pool)
        .await?;
        let Some((id, to, body, attempts)) = claimed else {
            drop(reservation);
            return Ok(());
        };
        reservation.used();
        let mut result = session.provider.send_text(&to, &body).await;
        if matches!(&result, Err(e) if e.needs_template()) {
            // Outside Meta's 24-hour window only an approved template may go out.
            result = match approved_template(ctx, session.id, id).await? {
                Some(template) => session.provider.send_template(&to, &template).await,
                None => result,
            };
        }
        match result {
            Ok(billing_whatsapp::SendReceipt {
                provider_message_id,
                ..
            })
            // Accepted; the provider delivers by itself. Never resend.
            | Err(SendError::ProviderWillRetry {
                provider_message_id,
                ..
            }) => {
                unrecorded = Some(Sent {
                    id,
                    provider_id: provider_message_id,
                    at: ctx.clock.now(),
                });
                counters.sent.fetch_add(1, Ordering::SeqCst);
            }
            Err(err) => record_failure(ctx, session, id, attempts, err, counters).await?,
        }
    }
}

/// A message the provider accepted.
struct Sent {
    id: i64,
    provider_id: Option<String>,
    at: DateTime<Utc>,
}

/// Records a send that did not go out: the session fails over, the message waits for a
/// retry, or it failed for good.
async fn record_failure(
    ctx: &AppContext,
    session: &SessionEntry,
    id: i64,
    attempts: i32,
    err: SendError,
    counters: &Counters,
) -> Result<(), Error> {
    let now = ctx.clock.now();
    match err {
        err if err.is_failover() => {
            requeue(ctx, id, now, &err).await?;
            fail_session(ctx, session, &err.to_string()).await?;
            counters.sessions_failed.fetch_add(1, Ordering::SeqCst);
            counters.retried.fetch_add(1, Ordering::SeqCst);
        }
        err if err.is_retryable() && attempts < 8 => {
            let backoff = err
                .retry_after()
                .and_then(|d| Duration::from_std(d).ok())
                .unwrap_or_else(|| Duration::seconds(30 * (1i64 << attempts.clamp(0, 6))));
            if let Ok(mut pacer) = session.pacer.lock() {
                if let Some(after) = err.retry_after().and_then(|d| Duration::from_std(d).ok()) {
                    pacer.back_off_until(SystemClock.now() + after);
                }
            }
            requeue(ctx, id, now + backoff, &err).await?;
            counters.retried.fetch_add(1, Ordering::SeqCst);
        }
        err => {
            sqlx::query(
                "update whatsapp_messages set status = 'failed', last_error = $2 where id = $1",
            )
            .bind(id)
            .bind(err.to_string())
            .execute(&ctx.pool)
            .await?;
            counters.failed.fetch_add(1, Ordering::SeqCst);
        }
    }
    Ok(())
}

/// The approved template this session maps the message's template to (session settings
/// `templates: {"invoice_issued": "tagihan_terbit", …}`, `template_language`), with the
/// message's values as parameters in the template's variable order.
async fn approved_template(
    ctx: &AppContext,
    session_id: Uuid,
    message_id: i64,
) -> Result<Option<billing_whatsapp::TemplateMessage>, Error> {
    let row: Option<(serde_json::Value, Option<String>, Option<serde_json::Value>)> = sqlx::query_as(
        "select s.settings, m.template_key, m.vars from whatsapp_messages m, whatsapp_sessions s \
         where m.id = $1 and s.id = $2",
    )
    .bind(message_id)
    .bind(session_id)
    .fetch_optional(&ctx.pool)
    .await?;
    let Some((settings, Some(key), Some(vars))) = row else {
        return Ok(None);
    };
    let Some(name) = settings
        .get("templates")
        .and_then(|t| t.get(&key))
        .and_then(|n| n.as_str())
    else {
        return Ok(None);
    };
    let Some(default) = billing_whatsapp::template::DEFAULTS
        .iter()
        .find(|d| d.key == key)
    else {
        return Ok(None);
    };
    let language = settings
        .get("template_language")
        .and_then(|l| l.as_str())
        .unwrap_or("id");
    let body_parameters = default
        .variables
        .iter()
        .map(|v| {
            vars.get(*v)
                .and_then(|x| x.as_str())
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    Ok(Some(billing_whatsapp::TemplateMessage {
        name: name.to_owned(),
        language: language.to_owned(),
        body_parameters,
    }))
}

async fn mark_sent(
    ctx: &AppContext,
    id: i64,
    provider_id: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    sqlx::query(
        "update whatsapp_messages set status = 'sent', provider_message_id = $2, sent_at = $3, \
         last_error = null where id = $1",
    )
    .bind(id)
    .bind(provider_id)
    .bind(now)
    .execute(&ctx.pool)
    .await?;
    Ok(())
}

async fn requeue(
    ctx: &AppContext,
    id: i64,
    at: DateTime<Utc>,
    err: &SendError,
) -> Result<(), Error> {
    sqlx::query(
        "update whatsapp_messages set status = 'queued', session_id = null, next_attempt_at = $2, \
         last_error = $3 where id = $1",
    )
    .bind(id)
    .bind(at)
    .bind(err.to_string())
    .execute(&ctx.pool)
    .await?;
    Ok(())
}

/// Takes a session out, records why, and alerts the owner (dashboard event + a WhatsApp
/// message to the owner's number through the sessions that still work).
async fn fail_session(ctx: &AppContext, session: &SessionEntry, reason: &str) -> Result<(), Error> {
    if !session.take_down() {
        return Ok(());
    }
    let now = ctx.clock.now();
    let mut tx = ctx.pool.begin().await?;
    sqlx::query(
        "update whatsapp_sessions set status = 'failed', last_error = $2, status_changed_at = $3 \
         where id = $1",
    )
    .bind(session.id)
    .bind(reason)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let promoted = if session.backup {
        None
    } else {
        promote_backup(&mut tx, session, now).await?
    };
    let owner: Option<String> = sqlx::query_scalar("select owner_phone from whatsapp_settings")
        .fetch_optional(&mut *tx)
        .await?
        .flatten();
    if let Some(owner) = owner {
        let mut vars = std::collections::HashMap::new();
        vars.insert("isp", super::triggers::isp_name(&mut tx).await?);
        vars.insert(
            "waktu",
            now.with_timezone(&ctx.tz)
                .format("%d-%m-%Y %H:%M")
                .to_string(),
        );
        let mut text = format!("sesi WhatsApp {} gagal: {reason}", session.name);
        if let Some(name) = &promoted {
            text.push_str(&format!(
                "; sesi cadangan {name} sekarang menjadi sesi utama dan {} akan kembali sebagai \
                 cadangan setelah tersambung lagi",
                session.name
            ));
        }
        vars.insert("pesan", text);
        super::enqueue_in(
            &mut tx,
            now,
            super::NewMessage {
                key: format!("session:{}:failed:{}", session.id, now.timestamp_micros()),
                customer_id: None,
                to_phone: &owner,
                template: "owner_alert",
                vars,
                priority: super::Priority::High,
            },
        )
        .await?;
    }
    tx.commit().await?;
    if promoted.is_some() {
        // The pool takes the new roles (the failed session's entry stays down).
        super::pool::reload_sessions(ctx).await?;
    }
    crate::events::publish(
        ctx,
        crate::events::BillingEvent::WhatsAppSessionFailed {
            session_id: session.id,
            name: session.name.clone(),
            reason: reason.to_owned(),
            promoted: promoted.clone(),
        },
    );
    tracing::warn!(session = %session.name, reason, promoted = ?promoted,
                   "WhatsApp session failed; others take over");
    Ok(())
}

/// When the last working primary fails, the healthiest backup becomes primary (the seed's
/// `handleSessionFailure`): a healthy one before one not yet checked, then the one with the
/// fewest failed messages this past day, then the configured order. The failed session
/// becomes a backup and comes back as one once healthy. Returns the promoted session's name.
async fn promote_backup(
    tx: &mut sqlx::PgConnection,
    failed: &SessionEntry,
    now: DateTime<Utc>,
) -> Result<Option<String>, Error> {
    // Serialises promotions (two lanes, or two PCs, seeing primaries fail at once).
    sqlx::query("select pg_advisory_xact_lock(hashtext('whatsapp_promotion'))")
        .execute(&mut *tx)
        .await?;
    let working_primaries: i64 = sqlx::query_scalar(
        "select count(*) from whatsapp_sessions \
         where enabled and role = 'primary' and status <> 'failed' and id <> $1",
    )
    .bind(failed.id)
    .fetch_one(&mut *tx)
    .await?;
    if working_primaries > 0 {
        return Ok(None);
    }
    let pick: Option<(Uuid, String)> = sqlx::query_as(
        "select s.id, s.name from whatsapp_sessions s \
         where s.enabled and s.role = 'backup' and s.status in ('healthy', 'unknown') \
         order by s.status = 'healthy' desc, \
                  (select count(*) from whatsapp_messages m where m.session_id = s.id \
                     and m.status = 'failed' and m.queued_at > $1) asc, \
                  s.position, s.name \
         limit 1",
    )
    .bind(now - Duration::days(1))
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, name)) = pick else {
        return Ok(None);
    };
    sqlx::query(
        "update whatsapp_sessions set role = 'primary', role_changed_at = $2, \
             role_change = 'promoted', role_change_peer = $3 \
         where id = $1",
    )
    .bind(id)
    .bind(now)
    .bind(&failed.name)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "update whatsapp_sessions set role = 'backup', role_changed_at = $2, \
             role_change = 'demoted', role_change_peer = $3 \
         where id = $1",
    )
    .bind(failed.id)
    .bind(now)
    .bind(&name)
    .execute(&mut *tx)
    .await?;
    Ok(Some(name))
}

/// Asks every session for its state; a recovered session is taken back in.
pub async fn health_check(ctx: &AppContext) -> Result<(), Error> {
    for session in ctx.whatsapp.sessions() {
        let (status, error) = match session.provider.health().await {
            Ok(SessionHealth::Connected) => ("healthy", None),
            Ok(SessionHealth::Connecting) => continue,
            Ok(SessionHealth::NeedsPairing) => {
                ("pairing", Some("scan the QR code to pair".to_owned()))
            }
            Ok(SessionHealth::Disconnected { reason }) => ("failed", Some(reason)),
            Err(err) if err.is_retryable() => continue,
            Err(err) => ("failed", Some(err.to_string())),
        };
        if status == "healthy" {
            session.set_healthy(true);
            sqlx::query(
                "update whatsapp_sessions set status = 'healthy', last_error = null, \
                 status_changed_at = case when status <> 'healthy' then $2 else status_changed_at end \
                 where id = $1",
            )
            .bind(session.id)
            .bind(ctx.clock.now())
            .execute(&ctx.pool)
            .await?;
        } else {
            fail_session(ctx, &session, error.as_deref().unwrap_or(status)).await?;
        }
    }
    Ok(())
}

/// After a crash, messages caught between "claimed" and "recorded" may or may not have left:
/// they are marked `unknown` for the owner to check, never resent automatically.
pub async fn recover_after_restart(ctx: &AppContext) -> Result<u64, Error> {
    let n = sqlx::query(
        "update whatsapp_messages set status = 'unknown', \
         last_error = 'the app stopped while sending; check before resending' \
         where status = 'sending'",
    )
    .execute(&ctx.pool)
    .await?
    .rows_affected();
    Ok(n)
}

/// Puts a failed or unknown message back in the queue (the owner's decision).
pub async fn retry_message(ctx: &AppContext, id: i64) -> Result<(), Error> {
    let done = sqlx::query(
        "update whatsapp_messages set status = 'queued', next_attempt_at = $2, session_id = null \
         where id = $1 and status in ('failed', 'unknown')",
    )
    .bind(id)
    .bind(ctx.clock.now())
    .execute(&ctx.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::conflict(
            "only failed or unknown messages can be sent again",
        ));
    }
    Ok(())
}
