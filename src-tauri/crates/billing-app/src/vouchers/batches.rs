//! Batch creation: codes, database and router, all or nothing.
//!
//! The batch row is committed first (so a crash leaves a trace), the vouchers are inserted in
//! a transaction that stays open while the router writes run pipelined; only when every user
//! is on the router is the transaction committed. If any write fails (or the connection
//! drops) the users already added are removed and the transaction rolls back. A crash in the
//! middle leaves a `creating` batch that [`repair`] marks failed at the next start; the
//! monitor then removes its users from the router (they carry the batch id in the comment).

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::Serialize;
use uuid::Uuid;

use super::codes::{random_string, Charset, CodeSpec};
use super::profiles;
use super::resellers;
use super::MARKER;
use crate::ports::{NewHotspotUser, RouterConn};
use crate::{network::routers, AppContext, Error};

pub const MAX_COUNT: u32 = 10_000;

/// Batches being written right now: done and total per batch.
#[derive(Debug, Default)]
pub struct BatchProgress(Mutex<HashMap<Uuid, (usize, usize)>>);

impl BatchProgress {
    fn set(&self, id: Uuid, done: usize, total: usize) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, (done, total));
    }

    fn finish(&self, id: Uuid) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
    }

    pub fn get(&self, id: Uuid) -> Option<(usize, usize)> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
            .copied()
    }

    pub fn running(&self) -> HashSet<Uuid> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .keys()
            .copied()
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct BatchInput {
    pub profile_id: Uuid,
    pub router_id: Option<Uuid>,
    pub count: u32,
    pub code_length: Option<u32>,
    pub charset: Option<Charset>,
    pub prefix: Option<String>,
    pub separate_password: bool,
    pub reseller_id: Option<Uuid>,
}

/// Who asked for the batch.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<Uuid>,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Batch {
    pub id: Uuid,
    /// Short number for people and serials (`B12-0007`).
    pub number: i64,
    pub profile_id: Uuid,
    pub profile_name: String,
    pub router_id: Uuid,
    pub router_name: String,
    pub reseller_id: Option<Uuid>,
    pub reseller_name: Option<String>,
    pub count: i32,
    pub code_length: i32,
    pub charset: String,
    pub prefix: String,
    pub separate_password: bool,
    pub price: i64,
    pub base_price: i64,
    /// creating, ready or failed.
    pub status: billing_domain::BatchStatus,
    pub error: Option<String>,
    /// The voucher (1-based) that failed on the router.
    pub failed_at: Option<i32>,
    /// Users of this failed batch may still be on the router; the monitor removes them.
    pub cleanup_pending: bool,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    /// Vouchers written to the router so far (while creating).
    #[sqlx(skip)]
    pub progress: Option<usize>,
    /// Vouchers of the batch by status (once ready).
    #[sqlx(json)]
    #[schema(value_type = std::collections::HashMap<String, i64>)]
    pub status_counts: serde_json::Value,
}

const SELECT: &str = "select b.id, b.number, b.profile_id, p.name as profile_name, b.router_id, \
    r.name as router_name, b.reseller_id, rs.name as reseller_name, b.count, b.code_length, \
    b.charset, b.prefix, b.separate_password, b.price, b.base_price, b.status, b.error, \
    b.failed_at, b.cleanup_pending, b.created_by_name, b.created_at, b.completed_at, \
    coalesce((select json_object_agg(s.status, s.n) from (select v.status, count(*) as n \
       from vouchers v where v.batch_id = b.id group by v.status) s), '{}'::json) as status_counts \
    from voucher_batches b join voucher_profiles p on p.id = b.profile_id \
    join routers r on r.id = b.router_id left join resellers rs on rs.id = b.reseller_id";

pub async fn get(ctx: &AppContext, id: Uuid) -> Result<Batch, Error> {
    let mut b: Batch = sqlx::query_as(&format!("{SELECT} where b.id = $1"))
        .bind(id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("voucher batch"))?;
    b.progress = ctx.voucher_batches.get(id).map(|(done, _)| done);
    Ok(b)
}

pub async fn list(
    ctx: &AppContext,
    reseller_id: Option<Uuid>,
    limit: i64,
) -> Result<Vec<Batch>, Error> {
    let mut rows: Vec<Batch> = sqlx::query_as(&format!(
        "{SELECT} where ($1::uuid is null or b.reseller_id = $1) \
         order by b.created_at desc, b.number desc limit $2"
    ))
    .bind(reseller_id)
    .bind(limit.clamp(1, 500))
    .fetch_all(&ctx.pool)
    .await?;
    for b in &mut rows {
        b.progress = ctx.voucher_batches.get(b.id).map(|(done, _)| done);
    }
    Ok(rows)
}

/// The router comment of a voucher: `VOUCHER_SYSTEM|customer|batch|reseller|date|created_by`
/// (the seed's format; for vouchers the subscription slot holds the batch id).
pub fn marker_comment(batch: Uuid, reseller: Option<Uuid>, date: &str, created_by: &str) -> String {
    let (batch, reseller) = (batch.to_string(), reseller.map(|r| r.to_string()));
    crate::network::marker::Marker {
        kind: crate::network::marker::Kind::Voucher,
        customer: None,
        subscription: Some(&batch),
        vendor: reseller.as_deref(),
        date,
        created_by,
    }
    .comment()
}

/// The router user of one voucher: password (the code unless separate), the profile's limits.
pub fn hotspot_user(
    profile: &profiles::Profile,
    code: &str,
    password: Option<&str>,
    comment: &str,
) -> NewHotspotUser {
    NewHotspotUser {
        name: code.to_owned(),
        password: SecretString::from(password.unwrap_or(code).to_owned()),
        profile: profile.router_profile.clone(),
        // The validity also caps online time, so even a missed scheduler run (the router was
        // off at the expiry moment) cannot give more than the validity online.
        limit_uptime_secs: match (profile.uptime_limit_secs, profile.validity_secs) {
            (Some(u), Some(v)) => Some(u.min(v)),
            (u, v) => u.or(v),
        }
        .and_then(|s| u64::try_from(s).ok()),
        limit_bytes_total: profile.quota_bytes.and_then(|b| u64::try_from(b).ok()),
        comment: comment.to_owned(),
    }
}

/// The batch id in a voucher user's comment, if the comment is ours.
pub fn marker_batch(comment: &str) -> Option<Uuid> {
    let mut parts = comment.split('|');
    (parts.next()? == MARKER).then_some(())?;
    parts.nth(1)?.parse().ok()
}

struct Prepared {
    batch: Uuid,
    number: i64,
    profile: profiles::Profile,
    router: RouterConn,
    spec: CodeSpec,
    input: BatchInput,
    base_price: i64,
    actor: Actor,
}

/// Checks the request, records the batch as `creating` and starts writing it in the
/// background. Poll [`get`] for progress and the outcome.
pub async fn start(ctx: &AppContext, actor: Actor, input: BatchInput) -> Result<Batch, Error> {
    let prepared = prepare(ctx, actor, input, None).await?;
    let id = prepared.batch;
    ctx.voucher_batches
        .set(id, 0, prepared.input.count as usize);
    let task_ctx = ctx.clone();
    tokio::spawn(async move {
        run(&task_ctx, prepared).await;
    });
    get(ctx, id).await
}

/// Like [`start`] but waits for the outcome (tests, benchmarks, the CLI).
pub async fn create(ctx: &AppContext, actor: Actor, input: BatchInput) -> Result<Batch, Error> {
    let prepared = prepare(ctx, actor, input, None).await?;
    let id = prepared.batch;
    ctx.voucher_batches
        .set(id, 0, prepared.input.count as usize);
    run(ctx, prepared).await;
    get(ctx, id).await
}

/// The one voucher of a paid shop order, as a batch that names the order. At most one batch
/// of an order is not `failed` (a unique index), so a second delivery running at the same time
/// is refused here with a conflict instead of making a second voucher.
pub(super) async fn create_for_order(
    ctx: &AppContext,
    actor: Actor,
    input: BatchInput,
    order: Uuid,
) -> Result<Batch, Error> {
    let prepared = prepare(ctx, actor, input, Some(order)).await?;
    let id = prepared.batch;
    ctx.voucher_batches.set(id, 0, 1);
    run(ctx, prepared).await;
    get(ctx, id).await
}

async fn prepare(
    ctx: &AppContext,
    actor: Actor,
    input: BatchInput,
    shop_order: Option<Uuid>,
) -> Result<Prepared, Error> {
    if !(1..=MAX_COUNT).contains(&input.count) {
        return Err(Error::validation(
            "count",
            format!("a batch has 1 to {MAX_COUNT} vouchers"),
        ));
    }
    let spec = CodeSpec {
        charset: input.charset.unwrap_or_default(),
        length: input.code_length.unwrap_or(6),
        prefix: input.prefix.clone().unwrap_or_default().trim().to_owned(),
    };
    spec.validate(input.count)?;
    let profile = profiles::get(ctx, input.profile_id)
        .await
        .map_err(|e| match e {
            Error::NotFound(_) => Error::validation("profile_id", "no such voucher profile"),
            e => e,
        })?;
    if !profile.active {
        return Err(Error::validation(
            "profile_id",
            "the voucher profile is deactivated",
        ));
    }
    let router_id = match input.router_id {
        Some(id) => id,
        None => {
            let ids: Vec<Uuid> = sqlx::query_scalar("select id from routers order by created_at")
                .fetch_all(&ctx.pool)
                .await?;
            match ids.as_slice() {
                [only] => *only,
                [] => {
                    return Err(Error::validation(
                        "router_id",
                        "add a router first: vouchers live on a router",
                    ))
                }
                _ => {
                    return Err(Error::validation(
                        "router_id",
                        "choose the router the vouchers are for",
                    ))
                }
            }
        }
    };
    let router = routers::connection(ctx, router_id)
        .await
        .map_err(|e| match e {
            Error::NotFound(_) => Error::validation("router_id", "no such router"),
            e => e,
        })?;
    let mut base_price = profile.price;
    if let Some(rid) = input.reseller_id {
        let r = resellers::get(ctx, rid).await.map_err(|e| match e {
            Error::NotFound(_) => Error::validation("reseller_id", "no such reseller"),
            e => e,
        })?;
        if !r.active {
            return Err(Error::validation(
                "reseller_id",
                "the reseller is deactivated",
            ));
        }
        base_price = resellers::base_price(profile.price, r.commission_bp);
        let needed = base_price * i64::from(input.count);
        if r.balance < needed {
            return Err(Error::validation(
                "reseller_id",
                format!(
                    "the reseller's deposit is Rp {}, the batch needs Rp {needed}",
                    r.balance
                ),
            ));
        }
    }
    let batch = Uuid::now_v7();
    let number: i64 = sqlx::query_scalar(
        "insert into voucher_batches (id, profile_id, router_id, reseller_id, count, \
         code_length, charset, prefix, separate_password, price, base_price, status, \
         created_by, created_by_name, shop_order_id) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'creating', $12, $13, $14) \
         returning number",
    )
    .bind(batch)
    .bind(profile.id)
    .bind(router_id)
    .bind(input.reseller_id)
    .bind(i32::try_from(input.count).unwrap_or(i32::MAX))
    .bind(i32::try_from(spec.length).unwrap_or(16))
    .bind(spec.charset.as_str())
    .bind(&spec.prefix)
    .bind(input.separate_password)
    .bind(profile.price)
    .bind(base_price)
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(shop_order)
    .fetch_one(&ctx.pool)
    .await
    .map_err(|e| {
        if crate::is_constraint_violation(&e, "voucher_batches_shop_order_key") {
            Error::conflict("the order's voucher is being made or was made already")
        } else {
            e.into()
        }
    })?;
    Ok(Prepared {
        batch,
        number,
        profile,
        router,
        spec,
        input,
        base_price,
        actor,
    })
}

/// Where a batch failed, for the batch record.
struct Failure {
    message: String,
    at: Option<i32>,
    cleanup_pending: bool,
}

async fn run(ctx: &AppContext, p: Prepared) {
    let id = p.batch;
    let outcome = write(ctx, &p).await;
    ctx.voucher_batches.finish(id);
    if let Err(f) = outcome {
        tracing::warn!(batch = %id, error = %f.message, "voucher batch failed");
        let saved = sqlx::query(
            "update voucher_batches set status = 'failed', error = $2, failed_at = $3, \
             cleanup_pending = $4, completed_at = $5 where id = $1 and status = 'creating'",
        )
        .bind(id)
        .bind(&f.message)
        .bind(f.at)
        .bind(f.cleanup_pending)
        .bind(ctx.clock.now())
        .execute(&ctx.pool)
        .await;
        if let Err(e) = saved {
            tracing::error!(batch = %id, error = %e, "could not record the failed batch");
        }
    }
}

fn fail(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        at: None,
        cleanup_pending: false,
    }
}

/// Fresh codes unique in the batch, the database and on the router.
async fn fresh_codes(
    ctx: &AppContext,
    spec: &CodeSpec,
    count: usize,
    on_router: &HashSet<String>,
) -> Result<Vec<String>, Failure> {
    let mut codes: Vec<String> = Vec::with_capacity(count);
    let mut seen: HashSet<String> = HashSet::with_capacity(count);
    for _round in 0..20 {
        let mut candidates = Vec::new();
        while codes.len() + candidates.len() < count {
            let c = spec.generate();
            if !on_router.contains(&c) && seen.insert(c.clone()) {
                candidates.push(c);
            }
        }
        let taken: Vec<String> =
            sqlx::query_scalar("select code from vouchers where code = any($1)")
                .bind(&candidates)
                .fetch_all(&ctx.pool)
                .await
                .map_err(|e| fail(format!("database: {e}")))?;
        let taken: HashSet<String> = taken.into_iter().collect();
        codes.extend(candidates.into_iter().filter(|c| !taken.contains(c)));
        if codes.len() == count {
            return Ok(codes);
        }
    }
    Err(fail(
        "could not find enough unused codes; use longer codes or another charset",
    ))
}

async fn write(ctx: &AppContext, p: &Prepared) -> Result<(), Failure> {
    let count = p.input.count as usize;
    // The profile and the list of names already on the router: two reads at once.
    let desired = profiles::desired(&p.profile);
    let (profile, names) = tokio::join!(
        ctx.router.ensure_hotspot_profile(&p.router, &desired),
        ctx.router.hotspot_user_names(&p.router)
    );
    profile.map_err(|e| {
        fail(format!(
            "the voucher profile could not be written to the router: {e}"
        ))
    })?;
    let on_router: HashSet<String> = names.map_err(|e| fail(e.0))?.into_iter().collect();
    let codes = fresh_codes(ctx, &p.spec, count, &on_router).await?;
    let passwords: Vec<Option<String>> = (0..count)
        .map(|_| {
            p.input
                .separate_password
                .then(|| random_string(p.spec.charset, p.spec.length))
        })
        .collect();
    let sealed: Vec<Option<Vec<u8>>> = passwords
        .iter()
        .map(|pw| pw.as_deref().map(|pw| ctx.cipher.seal(pw)).transpose())
        .collect::<Result<_, _>>()
        .map_err(|e| fail(format!("encrypting passwords: {e}")))?;

    let mut tx = ctx
        .pool
        .begin()
        .await
        .map_err(|e| fail(format!("database: {e}")))?;
    let ids: Vec<Uuid> = (0..count).map(|_| Uuid::now_v7()).collect();
    let seqs: Vec<i32> = (1..=i32::try_from(count).unwrap_or(i32::MAX)).collect();
    let date = ctx.today().to_string();
    let comment = marker_comment(p.batch, p.input.reseller_id, &date, &p.actor.name);
    let users: Vec<NewHotspotUser> = codes
        .iter()
        .zip(&passwords)
        .map(|(code, pw)| hotspot_user(&p.profile, code, pw.as_deref(), &comment))
        .collect();
    let progress = |done: usize| ctx.voucher_batches.set(p.batch, done, count);
    // The database rows are written while the router writes run: neither waits for the
    // other, and the transaction commits only when both are done.
    let insert = sqlx::query(
        "insert into vouchers (id, batch_id, seq, code, password, profile_id, router_id, reseller_id) \
         select i, $2, s, c, pw, $3, $4, $5 from unnest($1::uuid[], $6::int[], $7::text[], $8::bytea[]) \
           as t(i, s, c, pw)",
    )
    .bind(&ids)
    .bind(p.batch)
    .bind(p.profile.id)
    .bind(p.router.id)
    .bind(p.input.reseller_id)
    .bind(&seqs)
    .bind(&codes)
    .bind(&sealed)
    .execute(&mut *tx);
    let (inserted, added) = tokio::join!(
        insert,
        ctx.router.add_hotspot_users(&p.router, &users, &progress)
    );
    let router_ids = match added {
        Ok(ids) => ids,
        Err(e) => {
            drop(tx);
            let at = e.index + 1;
            let message = format!(
                "voucher {at} of {count} ({}) failed on the router: {}; the batch was undone",
                codes.get(e.index).map_or("?", String::as_str),
                e.message
            );
            let cleaned = undo(ctx, &p.router, &codes).await;
            return Err(Failure {
                message: if cleaned {
                    message
                } else {
                    format!("{message}; some users are still on the router and will be removed when it answers")
                },
                at: i32::try_from(at).ok(),
                cleanup_pending: !cleaned,
            });
        }
    };
    if let Err(e) = inserted {
        drop(tx);
        let message = if crate::is_constraint_violation(&e, "vouchers_code_key") {
            "another batch took one of the codes at the same moment; try again".to_owned()
        } else {
            format!("database: {e}")
        };
        let cleaned = undo(ctx, &p.router, &codes).await;
        return Err(Failure {
            message: format!("{message}; the batch was removed from the router"),
            at: None,
            cleanup_pending: !cleaned,
        });
    }
    let finish = async {
        sqlx::query(
            "update vouchers v set router_user_id = t.rid from unnest($1::uuid[], $2::text[]) as t(id, rid) \
             where v.id = t.id",
        )
        .bind(&ids)
        .bind(&router_ids)
        .execute(&mut *tx)
        .await?;
        if let Some(rid) = p.input.reseller_id {
            let total = p.base_price * i64::try_from(count).unwrap_or(0);
            if total > 0 {
                resellers::append(
                    &mut tx,
                    rid,
                    "stock",
                    -total,
                    Some(p.batch),
                    &format!("batch B{} ({count} × {})", p.number, p.profile.name),
                    &p.actor.name,
                )
                .await?;
            }
        }
        // When the router writes completed (the injected clock), not `now()`: that is the
        // transaction's start, before the writes.
        sqlx::query("update voucher_batches set status = 'ready', completed_at = $2 where id = $1")
            .bind(p.batch)
            .bind(ctx.clock.now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok::<(), Error>(())
    };
    if let Err(e) = finish.await {
        let cleaned = undo(ctx, &p.router, &codes).await;
        return Err(Failure {
            message: format!("the batch could not be saved ({e}); it was removed from the router"),
            at: None,
            cleanup_pending: !cleaned,
        });
    }
    Ok(())
}

/// Removes the batch's users from the router, retrying while the connection comes back.
async fn undo(ctx: &AppContext, router: &RouterConn, codes: &[String]) -> bool {
    for wait in [0u64, 1, 2, 4, 6] {
        if wait > 0 {
            tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
        }
        match ctx.router.remove_hotspot_users(router, codes).await {
            Ok(_) => return true,
            Err(e) => tracing::warn!(router = %router.name, error = %e, "undoing a voucher batch"),
        }
    }
    false
}

/// At start: batches left `creating` by a process that stopped are failed; their users are
/// removed by the monitor (they are marked with the batch id).
pub async fn repair(ctx: &AppContext) -> Result<u64, Error> {
    let running: Vec<Uuid> = ctx.voucher_batches.running().into_iter().collect();
    let done = sqlx::query(
        "update voucher_batches set status = 'failed', cleanup_pending = true, completed_at = $2, \
         error = 'the app stopped while this batch was being written; it was undone' \
         where status = 'creating' and id <> all($1)",
    )
    .bind(&running)
    .bind(ctx.clock.now())
    .execute(&ctx.pool)
    .await?;
    Ok(done.rows_affected())
}
