//! Which events send which message, with the idempotency key of each.

use std::collections::HashMap;

use billing_documents::{format_date_id, format_rupiah, Lang};
use billing_domain::InvoiceStatus;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{enqueue_in, NewMessage, Priority};
use crate::{AppContext, Error};

#[derive(sqlx::FromRow)]
struct PaymentRow {
    customer_id: Uuid,
    name: String,
    phone: String,
    amount: i64,
    invoice_id: Option<Uuid>,
    number: Option<String>,
    total: Option<i64>,
    paid: Option<i64>,
    status: Option<InvoiceStatus>,
}

#[derive(sqlx::FromRow)]
struct InvoiceRow {
    customer_id: Uuid,
    name: String,
    phone: String,
    number: String,
    total: i64,
    paid: i64,
    start: chrono::NaiveDate,
    end_: chrono::NaiveDate,
    due: chrono::NaiveDate,
    status: InvoiceStatus,
}

pub(super) async fn isp_name(conn: &mut PgConnection) -> Result<String, Error> {
    let name: String = sqlx::query_scalar("select name from business_profile")
        .fetch_one(conn)
        .await?;
    Ok(if name.trim().is_empty() {
        "mikrobill".into()
    } else {
        name
    })
}

/// The payment confirmation, queued in the settling transaction: full, partial (with what
/// remains and a pay link) or overpaid (with the new credit).
pub async fn payment_received_in(
    conn: &mut PgConnection,
    ctx: &AppContext,
    payment_id: Uuid,
    credit: i64,
) -> Result<(), Error> {
    let row: Option<PaymentRow> = sqlx::query_as(
        "select c.id as customer_id, c.name, c.phone, p.amount, i.id as invoice_id, i.number, \
                i.total, i.paid, i.status \
             from payments p join customers c on c.id = p.customer_id \
             left join allocations a on a.payment_id = p.id \
             left join invoices i on i.id = coalesce(a.invoice_id, p.invoice_id) \
             where p.id = $1 order by a.id nulls last limit 1",
    )
    .bind(payment_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(PaymentRow {
        customer_id,
        name,
        phone,
        amount,
        invoice_id,
        number,
        total,
        paid,
        status,
    }) = row
    else {
        return Ok(());
    };
    let now = ctx.clock.now();
    let mut vars: HashMap<&'static str, String> = HashMap::new();
    vars.insert("nama", name);
    vars.insert("nomor", number.unwrap_or_else(|| "-".into()));
    vars.insert("jumlah", format_rupiah(amount));
    vars.insert("isp", isp_name(conn).await?);
    let template = if credit > 0 {
        let balance: i64 = sqlx::query_scalar(
            "select coalesce(sum(delta), 0)::bigint from ledger_entries where customer_id = $1",
        )
        .bind(customer_id)
        .fetch_one(&mut *conn)
        .await?;
        vars.insert("lebih", format_rupiah(credit));
        vars.insert("saldo", format_rupiah(balance));
        "payment_received_overpaid"
    } else if status == Some(InvoiceStatus::Partial) {
        let remaining = total.unwrap_or(0) - paid.unwrap_or(0);
        vars.insert("sisa", format_rupiah(remaining));
        let link = match invoice_id {
            Some(id) => crate::online::pay_link_in(conn, ctx, id.into()).await?,
            None => String::new(),
        };
        vars.insert("link_bayar", link);
        "payment_received_partial"
    } else {
        "payment_received_full"
    };
    enqueue_in(
        conn,
        now,
        NewMessage {
            key: format!("payment:{payment_id}:received"),
            customer_id: Some(customer_id),
            to_phone: &phone,
            template,
            vars,
            priority: Priority::High,
        },
    )
    .await?;
    Ok(())
}

/// "Your invoice is ready", with a pay link. Idempotent per invoice.
pub async fn invoice_issued(ctx: &AppContext, invoice_id: Uuid) -> Result<bool, Error> {
    crate::online::prepare_pay_link(ctx, invoice_id.into()).await?;
    let mut tx = ctx.pool.begin().await?;
    let row: Option<InvoiceRow> = sqlx::query_as(
        "select c.id as customer_id, c.name, c.phone, i.number, i.total, i.paid, \
                i.period_start as start, i.period_end as end_, i.due_on as due, i.status \
             from invoices i join customers c on c.id = i.customer_id where i.id = $1",
    )
    .bind(invoice_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(InvoiceRow {
        customer_id,
        name,
        phone,
        number,
        total,
        paid,
        start,
        end_: end,
        due,
        status,
    }) = row
    else {
        return Err(Error::NotFound("invoice"));
    };
    if !status.is_open() {
        return Ok(false);
    }
    let link = crate::online::pay_link_in(&mut tx, ctx, invoice_id.into()).await?;
    let mut vars: HashMap<&'static str, String> = HashMap::new();
    vars.insert("nama", name);
    vars.insert("nomor", number);
    vars.insert(
        "periode",
        format!(
            "{} – {}",
            format_date_id(start, Lang::Id),
            format_date_id(end.pred_opt().unwrap_or(end), Lang::Id)
        ),
    );
    vars.insert("jumlah", format_rupiah(total - paid));
    vars.insert("jatuh_tempo", format_date_id(due, Lang::Id));
    vars.insert("link_bayar", link);
    vars.insert("isp", isp_name(&mut tx).await?);
    let queued = enqueue_in(
        &mut tx,
        ctx.clock.now(),
        NewMessage {
            key: format!("invoice:{invoice_id}:issued"),
            customer_id: Some(customer_id),
            to_phone: &phone,
            template: "invoice_issued",
            vars,
            priority: Priority::Normal,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(queued)
}

pub async fn invoices_issued(ctx: &AppContext, ids: &[Uuid]) -> Result<usize, Error> {
    let mut queued = 0;
    for id in ids {
        if invoice_issued(ctx, *id).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Reminders N days before the due date (daily job; one per invoice and N).
pub async fn reminders(ctx: &AppContext) -> Result<usize, Error> {
    let today = ctx.today();
    let due: Vec<(Uuid, i32)> = sqlx::query_as(
        "select i.id, (i.due_on - $1)::int from invoices i, whatsapp_settings w \
         where i.status in ('unpaid', 'partial') and (i.due_on - $1) = any (w.reminder_days)",
    )
    .bind(today)
    .fetch_all(&ctx.pool)
    .await?;
    let mut queued = 0;
    for (invoice_id, days) in due {
        crate::online::prepare_pay_link(ctx, invoice_id.into()).await?;
        let mut tx = ctx.pool.begin().await?;
        let (customer_id, name, phone, number, owed, due_on): (
            Uuid,
            String,
            String,
            String,
            i64,
            chrono::NaiveDate,
        ) = sqlx::query_as(
            "select c.id, c.name, c.phone, i.number, i.total - i.paid, i.due_on \
                 from invoices i join customers c on c.id = i.customer_id where i.id = $1",
        )
        .bind(invoice_id)
        .fetch_one(&mut *tx)
        .await?;
        let link = crate::online::pay_link_in(&mut tx, ctx, invoice_id.into()).await?;
        let mut vars: HashMap<&'static str, String> = HashMap::new();
        vars.insert("nama", name);
        vars.insert("nomor", number);
        vars.insert("jumlah", format_rupiah(owed));
        vars.insert("hari", days.to_string());
        vars.insert("jatuh_tempo", format_date_id(due_on, Lang::Id));
        vars.insert("link_bayar", link);
        vars.insert("isp", isp_name(&mut tx).await?);
        let new = enqueue_in(
            &mut tx,
            ctx.clock.now(),
            NewMessage {
                key: format!("invoice:{invoice_id}:reminder:{days}"),
                customer_id: Some(customer_id),
                to_phone: &phone,
                template: "reminder_before_due",
                vars,
                priority: Priority::Normal,
            },
        )
        .await?;
        tx.commit().await?;
        queued += usize::from(new);
    }
    Ok(queued)
}

/// Who an isolation run cut off, and for which invoice.
#[derive(Debug, Clone)]
pub struct Isolated<'a> {
    pub subscription_id: Uuid,
    pub customer_name: &'a str,
    pub invoice_number: &'a str,
    pub owed: i64,
}

/// The isolation notice, after an isolation run.
pub async fn isolated(ctx: &AppContext, candidates: &[Isolated<'_>]) -> Result<usize, Error> {
    let mut queued = 0;
    for c in candidates {
        let invoice: Option<Uuid> = sqlx::query_scalar("select id from invoices where number = $1")
            .bind(c.invoice_number)
            .fetch_optional(&ctx.pool)
            .await?;
        if let Some(id) = invoice {
            crate::online::prepare_pay_link(ctx, id.into()).await?;
        }
        let mut tx = ctx.pool.begin().await?;
        let row: Option<(Uuid, String, Option<Uuid>)> = sqlx::query_as(
            "select cu.id, cu.phone, (select i.id from invoices i where i.number = $2) \
             from subscriptions s join customers cu on cu.id = s.customer_id where s.id = $1",
        )
        .bind(c.subscription_id)
        .bind(c.invoice_number)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((customer_id, phone, invoice_id)) = row else {
            continue;
        };
        let link = match invoice_id {
            Some(id) => crate::online::pay_link_in(&mut tx, ctx, id.into()).await?,
            None => String::new(),
        };
        let mut vars: HashMap<&'static str, String> = HashMap::new();
        vars.insert("nama", c.customer_name.to_owned());
        vars.insert("nomor", c.invoice_number.to_owned());
        vars.insert("jumlah", format_rupiah(c.owed));
        vars.insert("link_bayar", link);
        vars.insert("isp", isp_name(&mut tx).await?);
        let new = enqueue_in(
            &mut tx,
            ctx.clock.now(),
            NewMessage {
                key: format!(
                    "subscription:{}:isolated:{}",
                    c.subscription_id, c.invoice_number
                ),
                customer_id: Some(customer_id),
                to_phone: &phone,
                template: "isolation_notice",
                vars,
                priority: Priority::High,
            },
        )
        .await?;
        tx.commit().await?;
        queued += usize::from(new);
    }
    Ok(queued)
}

/// "Your service is back", queued in the transaction that restored it.
pub async fn restored_in(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    subscription_id: Uuid,
) -> Result<(), Error> {
    let row: Option<(Uuid, String, String)> = sqlx::query_as(
        "select c.id, c.name, c.phone from subscriptions s join customers c on c.id = s.customer_id \
         where s.id = $1",
    )
    .bind(subscription_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((customer_id, name, phone)) = row else {
        return Ok(());
    };
    let mut vars: HashMap<&'static str, String> = HashMap::new();
    vars.insert("nama", name);
    vars.insert("isp", isp_name(conn).await?);
    enqueue_in(
        conn,
        now,
        NewMessage {
            key: format!(
                "subscription:{subscription_id}:restored:{}",
                now.timestamp_micros()
            ),
            customer_id: Some(customer_id),
            to_phone: &phone,
            template: "service_restored",
            vars,
            priority: Priority::High,
        },
    )
    .await?;
    Ok(())
}

/// Invoices issued in the last week that have no "invoice issued" message yet (the monthly
/// run, a renewal, a new subscription): queued here, so no path can forget one.
pub async fn pending_invoice_notices(ctx: &AppContext) -> Result<usize, Error> {
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "select i.id from invoices i where i.status in ('unpaid', 'partial') \
           and i.issued_on >= $1::date - 7 \
           and not exists (select 1 from whatsapp_messages m \
                           where m.idempotency_key = 'invoice:' || i.id || ':issued') \
         order by i.issued_on, i.number limit 2000",
    )
    .bind(ctx.today())
    .fetch_all(&ctx.pool)
    .await?;
    invoices_issued(ctx, &ids).await
}
