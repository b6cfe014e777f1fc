//! Alert rules and alerts. A rule compares one metric (per subject: each router, each
//! WhatsApp session, or the whole shop) with a threshold; when the comparison holds for at
//! least the rule's duration an alert is raised — once — and published on the event bus and
//! queued on WhatsApp to the owner; when it stops holding the alert is cleared.
//! Built-in rules come with the database and can be disabled but not deleted.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::events::{publish, BillingEvent};
use crate::failure::Words;
use crate::{AppContext, Error};

/// A metric rules can watch: name, what it means, per what.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct MetricInfo {
    pub name: &'static str,
    pub description: &'static str,
    /// `router`, `whatsapp_session` or `shop`.
    pub per: &'static str,
}

pub const METRICS: &[MetricInfo] = &[
    MetricInfo {
        name: "router_offline",
        description: "1 while the router is offline at the status check, else 0",
        per: "router",
    },
    MetricInfo {
        name: "router_cpu_percent",
        description: "the router's CPU load in percent (last sample)",
        per: "router",
    },
    MetricInfo {
        name: "router_memory_percent",
        description: "the router's memory in use in percent (last sample)",
        per: "router",
    },
    MetricInfo {
        name: "whatsapp_session_down",
        description: "1 while an enabled WhatsApp session has failed, else 0",
        per: "whatsapp_session",
    },
    MetricInfo {
        name: "whatsapp_queue",
        description: "WhatsApp messages waiting to be sent",
        per: "shop",
    },
    MetricInfo {
        name: "router_outbox",
        description: "router commands (isolate, restore) waiting to be delivered",
        per: "shop",
    },
    MetricInfo {
        name: "payment_failures_1h",
        description: "online payments that failed or expired in the last hour",
        per: "shop",
    },
    MetricInfo {
        name: "disk_free_percent",
        description: "free space of the data folder's disk in percent",
        per: "shop",
    },
    MetricInfo {
        name: "backup_failed",
        description: "1 when the last backup failed, else 0",
        per: "shop",
    },
    MetricInfo {
        name: "job_failures_24h",
        description: "scheduled job runs that failed in the last 24 hours",
        per: "shop",
    },
    MetricInfo {
        name: "job_failures_in_a_row",
        description: "failed runs of a scheduled job since its last good run",
        per: "job",
    },
    MetricInfo {
        name: "router_commands_stuck",
        description: "router commands still undelivered after their retries (or failed for a reason that needs someone)",
        per: "router",
    },
    MetricInfo {
        name: "subscriptions_not_provisioned",
        description: "subscriptions not put on their router for a reason that needs someone",
        per: "shop",
    },
    MetricInfo {
        name: "payments_unapplied",
        description: "payments paid at the gateway but not applied (held for review)",
        per: "shop",
    },
    MetricInfo {
        name: "shop_orders_undelivered",
        description: "online shop orders paid but without their voucher for longer than the shop's alert time",
        per: "shop",
    },
];

pub const COMPARISONS: &[&str] = &["gt", "gte", "lt", "lte", "eq", "ne"];
pub const SEVERITIES: &[&str] = &["info", "warning", "critical"];
const MAX_DURATION_SECS: i32 = 7 * 24 * 3600;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AlertRule {
    pub id: Uuid,
    /// The built-in rule's code (`router_offline`, …); `null` for the owner's own rules.
    pub builtin: Option<String>,
    pub name: String,
    pub metric: String,
    /// `gt`, `gte`, `lt`, `lte`, `eq` or `ne`: "metric <comparison> threshold" raises.
    pub comparison: String,
    pub threshold: f64,
    /// How long the condition must hold before the alert is raised (0: at once).
    pub duration_seconds: i32,
    /// `info`, `warning` or `critical`.
    pub severity: String,
    pub enabled: bool,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct AlertRuleInput {
    pub name: String,
    pub metric: String,
    pub comparison: String,
    pub threshold: f64,
    #[serde(default)]
    pub duration_seconds: i32,
    pub severity: String,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Alert {
    pub id: Uuid,
    pub rule_id: Option<Uuid>,
    pub metric: String,
    /// The router's or session's id, or empty for the whole shop.
    pub subject: String,
    pub subject_name: String,
    pub severity: String,
    /// In Indonesian (the app's default language).
    pub title: String,
    pub message: String,
    pub title_en: String,
    pub message_en: String,
    pub value: f64,
    pub threshold: f64,
    pub raised_at: DateTime<Utc>,
    /// `null` while the alert is active.
    pub cleared_at: Option<DateTime<Utc>>,
}

const RULE_COLS: &str =
    "id, builtin, name, metric, comparison, threshold, duration_seconds, severity, enabled";
const ALERT_COLS: &str = "id, rule_id, metric, subject, subject_name, severity, title, message, \
     title_en, message_en, value, threshold, raised_at, cleared_at";

fn validate(input: &AlertRuleInput) -> Result<(), Error> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::validation(
            "name",
            "give the rule a name of 1 to 100 characters",
        ));
    }
    if !METRICS.iter().any(|m| m.name == input.metric) {
        let known: Vec<&str> = METRICS.iter().map(|m| m.name).collect();
        return Err(Error::validation(
            "metric",
            format!(
                "unknown metric {:?}; one of: {}",
                input.metric,
                known.join(", ")
            ),
        ));
    }
    if !COMPARISONS.contains(&input.comparison.as_str()) {
        return Err(Error::validation(
            "comparison",
            format!("must be one of: {}", COMPARISONS.join(", ")),
        ));
    }
    if !input.threshold.is_finite() {
        return Err(Error::validation("threshold", "must be a number"));
    }
    if !(0..=MAX_DURATION_SECS).contains(&input.duration_seconds) {
        return Err(Error::validation(
            "duration_seconds",
            "must be between 0 and 604800 (7 days)",
        ));
    }
    if !SEVERITIES.contains(&input.severity.as_str()) {
        return Err(Error::validation(
            "severity",
            format!("must be one of: {}", SEVERITIES.join(", ")),
        ));
    }
    Ok(())
}

pub async fn list_rules(ctx: &AppContext) -> Result<Vec<AlertRule>, Error> {
    Ok(sqlx::query_as(&format!(
        "select {RULE_COLS} from alert_rules order by builtin is null, name"
    ))
    .fetch_all(&ctx.pool)
    .await?)
}

pub async fn get_rule(ctx: &AppContext, id: Uuid) -> Result<AlertRule, Error> {
    sqlx::query_as(&format!(
        "select {RULE_COLS} from alert_rules where id = $1"
    ))
    .bind(id)
    .fetch_optional(&ctx.pool)
    .await?
    .ok_or(Error::NotFound("alert rule"))
}

pub async fn create_rule(ctx: &AppContext, input: AlertRuleInput) -> Result<AlertRule, Error> {
    validate(&input)?;
    Ok(sqlx::query_as(&format!(
        "insert into alert_rules (id, name, metric, comparison, threshold, duration_seconds, \
         severity, enabled) values ($1, $2, $3, $4, $5, $6, $7, $8) returning {RULE_COLS}"
    ))
    .bind(Uuid::now_v7())
    .bind(input.name.trim())
    .bind(&input.metric)
    .bind(&input.comparison)
    .bind(input.threshold)
    .bind(input.duration_seconds)
    .bind(&input.severity)
    .bind(input.enabled)
    .fetch_one(&ctx.pool)
    .await?)
}

/// Changes a rule. A built-in rule keeps its metric (everything else may change).
pub async fn update_rule(
    ctx: &AppContext,
    id: Uuid,
    input: AlertRuleInput,
) -> Result<AlertRule, Error> {
    validate(&input)?;
    let current = get_rule(ctx, id).await?;
    if current.builtin.is_some() && current.metric != input.metric {
        return Err(Error::validation(
            "metric",
            "a built-in rule watches its own metric; add a new rule for another one",
        ));
    }
    Ok(sqlx::query_as(&format!(
        "update alert_rules set name = $2, metric = $3, comparison = $4, threshold = $5, \
         duration_seconds = $6, severity = $7, enabled = $8 where id = $1 returning {RULE_COLS}"
    ))
    .bind(id)
    .bind(input.name.trim())
    .bind(&input.metric)
    .bind(&input.comparison)
    .bind(input.threshold)
    .bind(input.duration_seconds)
    .bind(&input.severity)
    .bind(input.enabled)
    .fetch_one(&ctx.pool)
    .await?)
}

/// Deletes one of the owner's rules; its past alerts stay in the history.
pub async fn delete_rule(ctx: &AppContext, id: Uuid) -> Result<(), Error> {
    let rule = get_rule(ctx, id).await?;
    if rule.builtin.is_some() {
        return Err(Error::conflict(
            "built-in rules cannot be deleted; disable the rule instead",
        ));
    }
    let mut tx = ctx.pool.begin().await?;
    sqlx::query("update alerts set cleared_at = $2 where rule_id = $1 and cleared_at is null")
        .bind(id)
        .bind(ctx.clock.now())
        .execute(&mut *tx)
        .await?;
    sqlx::query("delete from alert_rules where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct AlertFilter {
    /// `active`, `past` or `all` (default).
    pub state: Option<String>,
    /// `info`, `warning` or `critical`.
    pub severity: Option<String>,
    pub limit: Option<i64>,
}

/// Active and past alerts, newest first.
pub async fn list_alerts(ctx: &AppContext, filter: &AlertFilter) -> Result<Vec<Alert>, Error> {
    let state = filter.state.as_deref().unwrap_or("all");
    if !["active", "past", "all"].contains(&state) {
        return Err(Error::validation("state", "must be active, past or all"));
    }
    if let Some(s) = &filter.severity {
        if !SEVERITIES.contains(&s.as_str()) {
            return Err(Error::validation(
                "severity",
                format!("must be one of: {}", SEVERITIES.join(", ")),
            ));
        }
    }
    Ok(sqlx::query_as(&format!(
        "select {ALERT_COLS} from alerts \
         where ($1 = 'all' or ($1 = 'active') = (cleared_at is null)) \
           and ($2::text is null or severity = $2) \
         order by cleared_at is not null, raised_at desc limit $3"
    ))
    .bind(state)
    .bind(&filter.severity)
    .bind(filter.limit.unwrap_or(200).clamp(1, 1000))
    .fetch_all(&ctx.pool)
    .await?)
}

/// One reading of a metric for one subject.
#[derive(Debug, Clone)]
struct Observation {
    subject: String,
    name: String,
    value: f64,
    /// What else the message can say (the router's last error).
    detail: Option<String>,
}

/// One observation per subject row `(id, name, status, last_error)`: 1 while its status is
/// `bad`, else 0, with the last error as the detail.
fn flagged(rows: Vec<(Uuid, String, String, Option<String>)>, bad: &str) -> Vec<Observation> {
    rows.into_iter()
        .map(|(id, name, status, err)| Observation {
            subject: id.to_string(),
            name,
            value: if status == bad { 1.0 } else { 0.0 },
            detail: err,
        })
        .collect()
}

fn shop(value: f64) -> Vec<Observation> {
    vec![Observation {
        subject: String::new(),
        name: String::new(),
        value,
        detail: None,
    }]
}

async fn observe(
    ctx: &AppContext,
    metric: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Observation>, Error> {
    let count = |sql: &'static str, since: Option<DateTime<Utc>>| async move {
        let mut q = sqlx::query_scalar::<_, i64>(sql);
        if let Some(t) = since {
            q = q.bind(t);
        }
        Ok::<f64, Error>(q.fetch_one(&ctx.pool).await? as f64)
    };
    Ok(match metric {
        "router_offline" => {
            let rows = sqlx::query_as("select id, name, status, last_error from routers")
                .fetch_all(&ctx.pool)
                .await?;
            flagged(rows, "offline")
        }
        "router_cpu_percent" | "router_memory_percent" => {
            let rows: Vec<(Uuid, String, Option<i32>, Option<f64>)> = sqlx::query_as(
                "select r.id, r.name, s.cpu_load, s.memory_used_percent from routers r \
                 left join lateral (select cpu_load, memory_used_percent from router_samples \
                   where router_id = r.id and at > $1 order by at desc limit 1) s on true",
            )
            .bind(now - Duration::minutes(10))
            .fetch_all(&ctx.pool)
            .await?;
            rows.into_iter()
                .filter_map(|(id, name, cpu, mem)| {
                    let value = if metric == "router_cpu_percent" {
                        f64::from(cpu?)
                    } else {
                        mem?
                    };
                    Some(Observation {
                        subject: id.to_string(),
                        name,
                        value,
                        detail: None,
                    })
                })
                .collect()
        }
        "whatsapp_session_down" => {
            let rows = sqlx::query_as(
                "select id, name, status, last_error from whatsapp_sessions where enabled",
            )
            .fetch_all(&ctx.pool)
            .await?;
            flagged(rows, "failed")
        }
        "whatsapp_queue" => shop(
            count(
                "select count(*) from whatsapp_messages where status in ('queued', 'sending')",
                None,
            )
            .await?,
        ),
        "router_outbox" => shop(
            count(
                "select count(*) from router_commands where status = 'pending'",
                None,
            )
            .await?,
        ),
        "payment_failures_1h" => shop(
            count(
                "select count(*) from payments where status in ('failed', 'expired') \
                 and updated_at > $1",
                Some(now - Duration::hours(1)),
            )
            .await?,
        ),
        "job_failures_24h" => shop(
            count(
                "select count(*) from job_runs where not ok and started_at > $1",
                Some(now - Duration::hours(24)),
            )
            .await?,
        ),
        "job_failures_in_a_row" => {
            let rows: Vec<(String, i64, Option<String>, Option<String>)> = sqlx::query_as(
                "select r.job, count(*), \
                        (array_agg(r.error_code order by r.id desc))[1], \
                        (array_agg(r.error order by r.id desc))[1] \
                 from job_runs r where not r.ok and r.id > coalesce( \
                     (select max(o.id) from job_runs o where o.job = r.job and o.ok), 0) \
                 group by r.job",
            )
            .fetch_all(&ctx.pool)
            .await?;
            rows.into_iter()
                .map(|(job, n, code, error)| Observation {
                    name: crate::ops::job_names::job_words(&job),
                    subject: job,
                    value: n as f64,
                    detail: code.map(|c| {
                        let f = crate::failure::explain(
                            crate::failure::lookup(&c),
                            "",
                            error.as_deref().unwrap_or(""),
                        );
                        format!("{}|{}|{}", f.what.id, f.what.en, f.detail)
                    }),
                })
                .collect()
        }
        "router_commands_stuck" => {
            /// Router, its name, stuck commands, the oldest one's error.
            type Stuck = (Option<Uuid>, Option<String>, i64, Option<String>);
            let rows: Vec<Stuck> = sqlx::query_as(
                "select c.router_id, r.name, count(*), \
                        (array_agg(c.last_error order by c.id))[1] \
                 from router_commands c left join routers r on r.id = c.router_id \
                 where c.status = 'pending' and (c.attempts >= $1 or c.error_code = any($2)) \
                 group by c.router_id, r.name",
            )
            .bind(crate::network::outbox::STUCK_AFTER_ATTEMPTS)
            .bind(crate::network::outbox::permanent_codes())
            .fetch_all(&ctx.pool)
            .await?;
            rows.into_iter()
                .map(|(id, name, n, err)| Observation {
                    subject: id.map(|i| i.to_string()).unwrap_or_default(),
                    name: name.unwrap_or_else(|| "—".to_owned()),
                    value: n as f64,
                    detail: err,
                })
                .collect()
        }
        "subscriptions_not_provisioned" => {
            let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
                "select coalesce(c.login, s.login, ''), c.error_code, c.last_error \
                 from subscriptions s join lateral (select * from router_commands x \
                     where x.subscription_id = s.id order by x.id desc limit 1) c on true \
                 where s.status <> 'terminated' and c.status = 'pending' \
                   and c.error_code = any($1) order by c.id limit 1000",
            )
            .bind(crate::network::outbox::permanent_codes())
            .fetch_all(&ctx.pool)
            .await?;
            let logins: Vec<&str> = rows.iter().take(5).map(|r| r.0.as_str()).collect();
            let detail = rows.first().map(|(_, code, err)| {
                let f = crate::failure::explain(
                    crate::failure::lookup(code.as_deref().unwrap_or("")),
                    "",
                    err.as_deref().unwrap_or(""),
                );
                format!("{}|{}|{}", f.what.id, f.what.en, f.detail)
            });
            vec![Observation {
                subject: String::new(),
                name: logins.join(", "),
                value: rows.len() as f64,
                detail,
            }]
        }
        "payments_unapplied" => shop(
            count(
                "select (select count(*) from payments where status = 'pending' \
                          and review_reason is not null) \
                      + (select count(*) from shop_payments where review_reason is not null \
                          and reviewed_at is null \
                          and status in ('pending', 'paid'))",
                None,
            )
            .await?,
        ),
        "shop_orders_undelivered" => {
            let (n, oldest) = crate::vouchers::shop::overdue(ctx).await?;
            vec![Observation {
                subject: String::new(),
                name: oldest
                    .as_ref()
                    .map(|(number, _)| format!("#{number}"))
                    .unwrap_or_default(),
                value: n as f64,
                detail: oldest.and_then(|(_, err)| err),
            }]
        }
        "backup_failed" => {
            let last: Option<String> =
                sqlx::query_scalar("select status from backups order by created_at desc limit 1")
                    .fetch_optional(&ctx.pool)
                    .await?;
            let job_failed: Option<bool> = sqlx::query_scalar(
                "select not ok from job_runs where job = 'backup' order by id desc limit 1",
            )
            .fetch_optional(&ctx.pool)
            .await?;
            let failed = last.as_deref() == Some("failed") || job_failed == Some(true);
            shop(if failed { 1.0 } else { 0.0 })
        }
        "disk_free_percent" => {
            let dir = crate::ops::backups::existing_ancestor(&ctx.ops.data_dir);
            match dir.map(|d| (fs4::available_space(d), fs4::total_space(d))) {
                Some((Ok(free), Ok(total))) if total > 0 => {
                    shop(free as f64 * 100.0 / total as f64)
                }
                // Unknown: no reading, so nothing is raised or cleared on a guess.
                _ => vec![],
            }
        }
        other => {
            return Err(Error::validation(
                "metric",
                format!("unknown metric {other:?}"),
            ))
        }
    })
}

fn holds(value: f64, comparison: &str, threshold: f64) -> bool {
    match comparison {
        "gt" => value > threshold,
        "gte" => value >= threshold,
        "lt" => value < threshold,
        "lte" => value <= threshold,
        "eq" => (value - threshold).abs() < f64::EPSILON,
        "ne" => (value - threshold).abs() >= f64::EPSILON,
        _ => false,
    }
}

/// An alert's title and message, in Indonesian and English.
struct AlertWords {
    title: Words,
    message: Words,
}

/// `(id, en, detail)` of a failure packed into an observation's detail by `observe`.
fn unpack(detail: Option<&str>) -> (String, String, String) {
    let mut parts = detail.unwrap_or("").splitn(3, '|');
    (
        parts.next().unwrap_or("").to_owned(),
        parts.next().unwrap_or("").to_owned(),
        parts.next().unwrap_or("").to_owned(),
    )
}

fn words(
    rule: &AlertRule,
    o: &Observation,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> AlertWords {
    let minutes = (now - since).num_minutes();
    let detail = o.detail.as_deref().filter(|d| !d.is_empty());
    let with = |s: String| match detail {
        Some(d) => format!("{s} ({d})"),
        None => s,
    };
    let w = |id: String, en: String| Words { id, en };
    let (title, message) = match rule.metric.as_str() {
        "router_offline" => (
            w(format!("Router {} offline", o.name), format!("Router {} offline", o.name)),
            w(
                with(format!(
                    "Router {} tidak menjawab selama {minutes} menit. Periksa listrik dan kabelnya; perintah menunggu di antrean.",
                    o.name
                )),
                with(format!("Router {} has not answered for {minutes} minute(s).", o.name)),
            ),
        ),
        "whatsapp_session_down" => (
            w(
                format!("Sesi WhatsApp {} mati", o.name),
                format!("WhatsApp session {} down", o.name),
            ),
            w(
                with(format!(
                    "Sesi WhatsApp {} tidak berfungsi selama {minutes} menit; sesi lain mengambil alih jika ada. Sambungkan ulang di halaman WhatsApp.",
                    o.name
                )),
                with(format!(
                    "The WhatsApp session {} has not worked for {minutes} minute(s); the other sessions take over if there are any.",
                    o.name
                )),
            ),
        ),
        "payment_failures_1h" => (
            w("Pembayaran online gagal".into(), "Online payments failing".into()),
            w(
                format!("{} pembayaran online gagal atau kedaluwarsa dalam satu jam terakhir. Periksa gateway di Pengaturan → Pembayaran online.", o.value),
                format!("{} online payment(s) failed or expired in the last hour.", o.value),
            ),
        ),
        "disk_free_percent" => (
            w("Ruang disk hampir habis".into(), "Disk space low".into()),
            w(
                format!("Hanya {:.1}% disk folder data yang kosong; pencadangan bisa berhenti. Hapus cadangan lama atau pindahkan ke USB.", o.value),
                format!(
                    "Only {:.1}% of the disk with the data folder is free; backups may stop.",
                    o.value
                ),
            ),
        ),
        "backup_failed" => (
            w("Pencadangan gagal".into(), "Backup failed".into()),
            w(
                "Cadangan terakhir gagal; lihat Cadangan untuk alasannya dan tekan Buat cadangan sekarang.".into(),
                "The last backup failed; see Monitoring → Backups.".into(),
            ),
        ),
        "job_failures_in_a_row" => {
            let (id, en, tech) = unpack(detail);
            (
                w(
                    format!("Tugas \"{}\" gagal {} kali berturut-turut", o.name, o.value),
                    format!("Job {} failed {} times in a row", o.subject, o.value),
                ),
                w(
                    format!("{id}. Lihat Kesehatan sistem → Tugas terjadwal untuk langkah perbaikan. Rincian: {tech}"),
                    format!("{en}. See System health → Scheduled jobs for what to do. Details: {tech}"),
                ),
            )
        }
        "router_commands_stuck" => (
            w(
                format!("{} perintah ke router {} tidak terkirim", o.value, o.name),
                format!("{} command(s) to router {} undelivered", o.value, o.name),
            ),
            w(
                with(format!(
                    "Perintah (isolir, buka isolir, akun PPPoE/hotspot) ke router {} belum sampai setelah dicoba berulang kali. Lihat Router → Antrean perintah.",
                    o.name
                )),
                with(format!(
                    "Commands (isolate, restore, PPPoE/hotspot accounts) to router {} were not delivered after their retries. See Router → Command queue.",
                    o.name
                )),
            ),
        ),
        "subscriptions_not_provisioned" => {
            let (id, en, tech) = unpack(detail);
            (
                w(
                    format!("{} langganan belum terpasang di router", o.value),
                    format!("{} subscription(s) not on their router", o.value),
                ),
                w(
                    format!("{id}: {}. Pelanggan ini belum bisa terhubung. Perbaiki lalu tekan Coba lagi di Langganan. Rincian: {tech}", o.name),
                    format!("{en}: {}. These customers cannot connect yet. Fix it, then press Retry under Subscriptions. Details: {tech}", o.name),
                ),
            )
        }
        "payments_unapplied" => (
            w(
                format!("{} pembayaran lunas di gateway belum diterapkan", o.value),
                format!("{} payment(s) paid at the gateway but not applied", o.value),
            ),
            w(
                format!("Gateway melaporkan jumlah yang berbeda (atau pesanan voucher dibayar dua kali) untuk {} pembayaran; tinjau di Pembayaran → Pembayaran ditahan untuk ditinjau dan Voucher → Toko online.", o.value),
                format!("The gateway reported a different amount (or a voucher order was paid twice) for {} payment(s); review them under Payments → Held for review and Vouchers → Online shop.", o.value),
            ),
        ),
        "shop_orders_undelivered" => (
            w(
                format!("{} voucher online sudah dibayar tetapi belum terkirim", o.value),
                format!("{} online voucher order(s) paid but not delivered", o.value),
            ),
            w(
                with(format!(
                    "Pembeli sudah membayar (pesanan tertua {}) tetapi vouchernya belum bisa dibuat di router. Periksa router toko, lalu tekan Kirim sekarang di Voucher → Toko online.",
                    o.name
                )),
                with(format!(
                    "The buyer paid (oldest order {}) but the voucher could not be made on the router yet. Check the shop's router, then press Deliver now under Vouchers → Online shop.",
                    o.name
                )),
            ),
        ),
        _ => {
            let of = if o.name.is_empty() {
                String::new()
            } else {
                format!(" ({})", o.name)
            };
            (
                w(format!("{}{of}", rule.name), format!("{}{of}", rule.name)),
                w(
                    format!(
                        "{}{of} bernilai {} ({} {}) selama {minutes} menit.",
                        rule.metric, o.value, rule.comparison, rule.threshold
                    ),
                    format!(
                        "{}{of} is {} ({} {}) for {minutes} minute(s).",
                        rule.metric, o.value, rule.comparison, rule.threshold
                    ),
                ),
            )
        }
    };
    AlertWords { title, message }
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Evaluation {
    pub rules: usize,
    pub raised: usize,
    pub cleared: usize,
    pub pending: usize,
}

impl std::fmt::Display for Evaluation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} rule(s): {} raised, {} cleared, {} pending",
            self.rules, self.raised, self.cleared, self.pending
        )
    }
}

/// The evaluation job: checks every rule against the current readings.
pub async fn evaluate(ctx: &AppContext) -> Result<Evaluation, Error> {
    let now = ctx.clock.now();
    let rules = list_rules(ctx).await?;
    let mut readings: HashMap<String, Vec<Observation>> = HashMap::new();
    let mut out = Evaluation::default();
    for rule in &rules {
        if !rule.enabled {
            sqlx::query("delete from alert_pending where rule_id = $1")
                .bind(rule.id)
                .execute(&ctx.pool)
                .await?;
            for subject in active_subjects(ctx, rule.id).await? {
                out.cleared += usize::from(clear(ctx, rule, &subject, now).await?);
            }
            continue;
        }
        out.rules += 1;
        if !readings.contains_key(&rule.metric) {
            let obs = observe(ctx, &rule.metric, now).await?;
            readings.insert(rule.metric.clone(), obs);
        }
        let obs = readings.get(&rule.metric).cloned().unwrap_or_default();
        for o in &obs {
            if holds(o.value, &rule.comparison, rule.threshold) {
                let since: DateTime<Utc> = sqlx::query_scalar(
                    "insert into alert_pending (rule_id, subject, since) values ($1, $2, $3) \
                     on conflict (rule_id, subject) do update set since = alert_pending.since \
                     returning since",
                )
                .bind(rule.id)
                .bind(&o.subject)
                .bind(now)
                .fetch_one(&ctx.pool)
                .await?;
                if now - since >= Duration::seconds(i64::from(rule.duration_seconds)) {
                    out.raised += usize::from(raise(ctx, rule, o, since, now).await?);
                } else {
                    out.pending += 1;
                }
            } else {
                sqlx::query("delete from alert_pending where rule_id = $1 and subject = $2")
                    .bind(rule.id)
                    .bind(&o.subject)
                    .execute(&ctx.pool)
                    .await?;
                out.cleared += usize::from(clear(ctx, rule, &o.subject, now).await?);
            }
        }
        // A router or session that was removed: its alert ends.
        for subject in active_subjects(ctx, rule.id).await? {
            if !obs.iter().any(|o| o.subject == subject) && rule.metric != "disk_free_percent" {
                out.cleared += usize::from(clear(ctx, rule, &subject, now).await?);
            }
        }
    }
    Ok(out)
}

async fn active_subjects(ctx: &AppContext, rule_id: Uuid) -> Result<Vec<String>, Error> {
    Ok(
        sqlx::query_scalar("select subject from alerts where rule_id = $1 and cleared_at is null")
            .bind(rule_id)
            .fetch_all(&ctx.pool)
            .await?,
    )
}

/// Raises the alert unless it is already active; queues the owner's WhatsApp message in the
/// same transaction (keyed by the alert, so it is queued once).
async fn raise(
    ctx: &AppContext,
    rule: &AlertRule,
    o: &Observation,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let AlertWords { title, message } = words(rule, o, since, now);
    let mut tx = ctx.pool.begin().await?;
    let alert: Option<Alert> = sqlx::query_as(&format!(
        "insert into alerts (id, rule_id, metric, subject, subject_name, severity, title, \
         message, title_en, message_en, value, threshold, raised_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $12, $13, $9, $10, $11) \
         on conflict (rule_id, subject) where cleared_at is null do nothing returning {ALERT_COLS}"
    ))
    .bind(Uuid::now_v7())
    .bind(rule.id)
    .bind(&rule.metric)
    .bind(&o.subject)
    .bind(&o.name)
    .bind(&rule.severity)
    .bind(&title.id)
    .bind(&message.id)
    .bind(o.value)
    .bind(rule.threshold)
    .bind(now)
    .bind(&title.en)
    .bind(&message.en)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(alert) = alert else {
        return Ok(false);
    };
    let owner: Option<(Option<String>, bool)> = sqlx::query_as(
        "select w.owner_phone, m.alerts_whatsapp from whatsapp_settings w, monitoring_settings m",
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((Some(phone), true)) = owner {
        let icon = match rule.severity.as_str() {
            "critical" => "🔴",
            "warning" => "🟠",
            _ => "🔵",
        };
        sqlx::query(
            "insert into whatsapp_messages (idempotency_key, to_phone, body, priority, \
             next_attempt_at, queued_at) values ($1, $2, $3, 0, $4, $4) \
             on conflict (idempotency_key) do nothing",
        )
        .bind(format!("alert:{}:raised", alert.id))
        .bind(&phone)
        .bind(format!("{icon} {}\n{}", title.id, message.id))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    tracing::warn!(rule = %rule.name, subject = %o.name, title = %title.en, "alert raised");
    publish(ctx, event(&alert, true));
    Ok(true)
}

async fn clear(
    ctx: &AppContext,
    rule: &AlertRule,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let alert: Option<Alert> = sqlx::query_as(&format!(
        "update alerts set cleared_at = $3 where rule_id = $1 and subject = $2 \
         and cleared_at is null returning {ALERT_COLS}"
    ))
    .bind(rule.id)
    .bind(subject)
    .bind(now)
    .fetch_optional(&ctx.pool)
    .await?;
    let Some(alert) = alert else {
        return Ok(false);
    };
    tracing::info!(rule = %rule.name, title = %alert.title, "alert cleared");
    publish(ctx, event(&alert, false));
    Ok(true)
}

fn event(alert: &Alert, raised: bool) -> BillingEvent {
    let alert = crate::events::AlertEvent {
        alert_id: alert.id,
        rule_id: alert.rule_id,
        metric: alert.metric.clone(),
        subject: alert.subject.clone(),
        title: alert.title.clone(),
        message: alert.message.clone(),
        severity: alert.severity.clone(),
    };
    if raised {
        BillingEvent::AlertRaised(alert)
    } else {
        BillingEvent::AlertCleared(alert)
    }
}
