//! Issuing invoices: the monthly run (set-based, idempotent, catching up missed periods),
//! carry-over of what is still owed, and automatic use of credit.

use billing_domain::{InvoiceId, SubscriptionId};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::{billing::isolation, billing::ledger, AppContext, Error};

/// Which subscriptions a run covers, and up to which period start.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Every subscription that is not terminated, periods starting on or before `through`.
    All { through: NaiveDate },
    /// One subscription, periods starting on or before `through`.
    One {
        subscription_id: SubscriptionId,
        through: NaiveDate,
    },
    /// These subscriptions (an import), periods starting on or before `through`.
    Many {
        subscription_ids: &'a [SubscriptionId],
        through: NaiveDate,
    },
}

/// Issues every invoice that is due in `scope` (several periods per subscription when the
/// app was closed for a while), one period per round, all in one transaction. Returns
/// the ids of the new invoices. Running it twice issues nothing the second time.
#[tracing::instrument(skip_all)]
pub async fn run(ctx: &AppContext, scope: Scope<'_>) -> Result<Vec<InvoiceId>, Error> {
    let mut tx = ctx.pool.begin().await?;
    let issued = run_in(&mut tx, ctx, scope).await?;
    isolation::restore_paid_up(&mut tx, ctx, None).await?;
    tx.commit().await?;
    if !issued.is_empty() {
        tracing::info!(count = issued.len(), "invoices issued");
    }
    Ok(issued)
}

/// Lists what a run would issue now, without writing anything.
pub async fn preview(ctx: &AppContext, scope: Scope<'_>) -> Result<Vec<InvoiceId>, Error> {
    let mut tx = ctx.pool.begin().await?;
    let issued = run_in(&mut tx, ctx, scope).await?;
    tx.rollback().await?;
    Ok(issued)
}

pub(crate) async fn run_in(
    conn: &mut PgConnection,
    ctx: &AppContext,
    scope: Scope<'_>,
) -> Result<Vec<InvoiceId>, Error> {
    // One run at a time; concurrent runs would only collide on the unique period key.
    sqlx::query("select pg_advisory_xact_lock(hashtext('mikrobill.invoicing'))")
        .execute(&mut *conn)
        .await?;
    let today = ctx.today();
    let now = ctx.clock.now();
    let mut issued = Vec::new();
    for _round in 0..120 {
        let (round, more) = issue_round(conn, scope, today, now).await?;
        issued.extend(round);
        if !more {
            break;
        }
    }
    Ok(issued)
}

async fn issue_round(
    conn: &mut PgConnection,
    scope: Scope<'_>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(Vec<InvoiceId>, bool), Error> {
    let (through, only, many) = match scope {
        Scope::All { through } => (through, None, None),
        Scope::One {
            subscription_id,
            through,
        } => (through, Some(subscription_id), None),
        Scope::Many {
            subscription_ids,
            through,
        } => (through, None, Some(subscription_ids)),
    };
    sqlx::query("drop table if exists gen")
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "create temp table gen on commit drop as \
         select gen_random_uuid() as invoice_id, s.id as subscription_id, s.customer_id, \
                np.ps as period_start, e.period_end, \
                p.price, p.name as plan_name, s.start_on, s.due_days, \
                row_number() over (order by s.customer_id, s.id) as rn, f.fee, \
                case when b.tax_rate_bp > 0 \
                     then round(f.fee::numeric * b.tax_rate_bp / 10000)::bigint else 0 end as tax \
         from subscriptions s \
         join plans p on p.id = s.plan_id \
         cross join lateral (select coalesce( \
             (select max(i.period_start) from invoices i where i.subscription_id = s.id) \
                 + interval '1 month', \
             case when extract(day from s.start_on) >= s.billing_day \
                  then make_date(extract(year from s.start_on)::int, \
                                 extract(month from s.start_on)::int, s.billing_day) \
                  else make_date(extract(year from s.start_on)::int, \
                                 extract(month from s.start_on)::int, s.billing_day) \
                       - interval '1 month' end)::date as ps) np \
         cross join lateral (select (np.ps + interval '1 month')::date as period_end) e \
         cross join lateral (select case when s.start_on > np.ps \
             then round(p.price::numeric * (e.period_end - s.start_on) \
                        / (e.period_end - np.ps))::bigint \
             else p.price end as fee) f \
         cross join business_profile b \
         where s.status <> 'terminated' and np.ps <= $1 and ($2::uuid is null or s.id = $2) \
           and ($3::uuid[] is null or s.id = any($3))",
    )
    .bind(through)
    .bind(only)
    .bind(many)
    .execute(&mut *conn)
    .await?;
    // Without statistics the planner would guess the temporary table's size.
    sqlx::query("analyze gen").execute(&mut *conn).await?;
    let count: i64 = sqlx::query_scalar("select count(*) from gen")
        .fetch_one(&mut *conn)
        .await?;
    if count == 0 {
        return Ok((Vec::new(), false));
    }

    // Wallet use below must not race with payments, refunds or adjustments.
    sqlx::query(
        "select 1 from customers where id in (select customer_id from gen) order by id for update",
    )
    .execute(&mut *conn)
    .await?;

    let series = format!("INV/{}", today.format("%Y/%m"));
    let last: i32 = sqlx::query_scalar(
        "insert into invoice_counters (series, last_value) values ($1, $2) \
         on conflict (series) do update set last_value = invoice_counters.last_value + $2 \
         returning last_value",
    )
    .bind(&series)
    .bind(i32::try_from(count).map_err(|_| Error::conflict("too many invoices in one run"))?)
    .fetch_one(&mut *conn)
    .await?;

    // Every amount (fee and tax above, arrears below) is known before the invoice is written,
    // so each invoice is inserted once with its total and its overdue date, and only invoices
    // that credit paid are updated (each update is a new row version, index entries and an
    // audit line).
    let carried = carry_over(conn).await?;

    sqlx::query(
        "insert into invoices (id, number, customer_id, subscription_id, period_start, \
             period_end, issued_on, due_on, overdue_from, status, total) \
         select g.invoice_id, $1 || '/' || lpad(($2 - $3 + g.rn)::text, 5, '0'), g.customer_id, \
                g.subscription_id, g.period_start, g.period_end, $4, \
                greatest(g.period_start, $4) + g.due_days, \
                least(greatest(g.period_start, $4) + g.due_days, c.oldest), \
                case when g.fee + g.tax + coalesce(c.owed, 0) = 0 then 'paid' else 'unpaid' end, \
                g.fee + g.tax + coalesce(c.owed, 0) \
         from gen g left join (select dest, sum(owed)::bigint as owed, min(overdue_from) as oldest \
                               from carry group by dest) c on c.dest = g.invoice_id",
    )
    .bind(&series)
    .bind(i64::from(last))
    .bind(count)
    .bind(today)
    .execute(&mut *conn)
    .await?;

    sqlx::query(
        "insert into invoice_lines (invoice_id, kind, description, amount) \
         select invoice_id, \
                case when start_on > period_start then 'prorated_fee' else 'plan_fee' end, \
                plan_name || ' ' || to_char(greatest(start_on, period_start), 'DD-MM-YYYY') \
                    || ' s/d ' || to_char(period_end - 1, 'DD-MM-YYYY'), \
                fee \
         from gen order by rn",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "insert into invoice_lines (invoice_id, kind, description, amount) \
         select g.invoice_id, 'tax', 'Pajak ' || rtrim(to_char(b.tax_rate_bp / 100.0, 'FM990.99'), '.') \
                || '%', g.tax \
         from gen g cross join business_profile b where g.tax > 0 order by g.rn",
    )
    .execute(&mut *conn)
    .await?;
    if carried > 0 {
        sqlx::query(
            "insert into invoice_lines (invoice_id, kind, description, amount, source_invoice_id) \
             select dest, 'arrears', 'Tunggakan ' || number, owed, source from carry",
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "insert into carry_overs (id, source_invoice_id, dest_invoice_id, amount) \
             select gen_random_uuid(), source, dest, owed from carry",
        )
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("drop table carry").execute(&mut *conn).await?;

    apply_credit(conn, now).await?;

    sqlx::query(
        "update invoices i set paid = a.paid, \
             status = case when a.paid >= i.total then 'paid' \
                           when a.paid > 0 then 'partial' else 'unpaid' end \
         from (select invoice_id, sum(amount)::bigint as paid from allocations \
               where invoice_id in (select invoice_id from gen) group by invoice_id) a \
         where a.invoice_id = i.id",
    )
    .execute(&mut *conn)
    .await?;

    let ids = sqlx::query_scalar("select invoice_id from gen order by rn")
        .fetch_all(&mut *conn)
        .await?;
    // Another round only when one of these subscriptions has a further period due (the app
    // was closed for months); the others' next period is this one's end. Saves a full pass
    // over every subscription in an ordinary month.
    let more: bool = sqlx::query_scalar("select exists (select 1 from gen where period_end <= $1)")
        .bind(through)
        .fetch_one(&mut *conn)
        .await?;
    Ok((ids, more))
}

/// What older invoices of the same subscription still owe moves into the new invoice as an
/// arrears line; the old invoice is closed as `carried_over`. Leaves the temporary table
/// `carry` (dest, source, number, owed, overdue_from) for the caller, which writes the new
/// invoices with those amounts, their arrears lines and the carry-over records. Returns how
/// many invoices were carried.
async fn carry_over(conn: &mut PgConnection) -> Result<u64, Error> {
    sqlx::query(
        "select 1 from invoices i join gen g on g.subscription_id = i.subscription_id \
         where i.status in ('unpaid', 'partial') and i.period_start < g.period_start \
         order by i.id for update of i",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "create temp table carry on commit drop as \
         select g.invoice_id as dest, i.id as source, i.number, i.total - i.paid as owed, \
                i.overdue_from \
         from gen g join invoices i on i.subscription_id = g.subscription_id \
         where i.status in ('unpaid', 'partial') and i.period_start < g.period_start \
           and i.total > i.paid \
         order by g.rn, i.period_start",
    )
    .execute(&mut *conn)
    .await?;
    let carried = sqlx::query(
        "update invoices set status = 'carried_over' where id in (select source from carry)",
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(carried)
}

/// Existing credit pays the new invoices: the subscription's wallet first, then the
/// customer's own wallet (shared by its subscriptions, oldest invoice number first).
async fn apply_credit(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<(), Error> {
    ledger::apply_credit_selected(
        conn,
        ledger::Account::Subscription,
        "bal as ( \
             select g.invoice_id, g.subscription_id, g.customer_id, i.number, i.total, \
                    coalesce((select sum(delta) from ledger_entries l \
                              where l.account = 'subscription' \
                                and l.subscription_id = g.subscription_id), 0) as credit \
             from gen g join invoices i on i.id = g.invoice_id), \
         credit as ( \
             select customer_id, subscription_id, invoice_id, least(credit, total) as amount, \
                    'Saldo langganan dipakai untuk ' || number as memo \
             from bal)",
        now,
    )
    .await?;
    ledger::apply_credit_selected(
        conn,
        ledger::Account::Customer,
        "due as ( \
             select g.invoice_id, g.customer_id, i.number, \
                    i.total - coalesce((select sum(amount) from allocations a \
                                        where a.invoice_id = i.id), 0) as owed \
             from gen g join invoices i on i.id = g.invoice_id), \
         ordered as ( \
             select d.*, coalesce(sum(owed) over (partition by customer_id order by number \
                                  rows between unbounded preceding and 1 preceding), 0) as before \
             from due d where owed > 0), \
         wallet as ( \
             select customer_id, sum(delta) as credit from ledger_entries \
             where account = 'customer' and customer_id in (select customer_id from gen) \
             group by customer_id), \
         credit as ( \
             select o.customer_id, null::uuid as subscription_id, o.invoice_id, \
                    least(o.owed, greatest(w.credit - o.before, 0)) as amount, \
                    'Saldo pelanggan dipakai untuk ' || o.number as memo \
             from ordered o join wallet w using (customer_id))",
        now,
    )
    .await?;
    Ok(())
}
