//! The money invariants every test that moves money can check: what the ledger, the
//! allocations, the invoices and the payments must agree on at any moment.

use sqlx::PgPool;

/// Each broken invariant as a sentence; empty when the money is consistent.
pub async fn violations(pool: &PgPool) -> Vec<String> {
    let mut out = Vec::new();
    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await
            .expect("invariant query")
    };
    let negative = count(
        "select count(*) from (select sum(delta) as b from ledger_entries \
         group by customer_id, account, subscription_id) w where b < 0",
    )
    .await;
    if negative > 0 {
        out.push(format!("{negative} wallet(s) went negative"));
    }
    let mismatched = count(
        "select count(*) from invoices i where i.paid <> coalesce((select sum(amount) \
         from allocations a where a.invoice_id = i.id), 0) or i.paid > i.total",
    )
    .await;
    if mismatched > 0 {
        out.push(format!(
            "allocations disagree with {mismatched} invoice(s) or exceed their total"
        ));
    }
    let twice = count(
        "select count(*) from payments p where (p.status = 'paid') <> \
         ((select count(*) from ledger_entries l where l.payment_id = p.id \
           and l.reason = 'payment_received') = 1)",
    )
    .await;
    if twice > 0 {
        out.push(format!(
            "{twice} payment(s) were received zero or several times"
        ));
    }
    let (money_in, allocated, credit): (i64, i64, i64) = sqlx::query_as(
        "select \
           ((select coalesce(sum(amount), 0) from payments where status = 'paid') \
             + (select coalesce(sum(delta), 0) from ledger_entries \
                where reason in ('adjustment', 'refund')))::bigint, \
           (select coalesce(sum(a.amount), 0) from allocations a join invoices i \
              on i.id = a.invoice_id where i.status <> 'void')::bigint, \
           (select coalesce(sum(delta), 0) from ledger_entries)::bigint",
    )
    .fetch_one(pool)
    .await
    .expect("invariant query");
    if money_in != allocated + credit {
        out.push(format!(
            "money in ({money_in}) ≠ money allocated ({allocated}) + credit ({credit})"
        ));
    }
    let status_wrong = count(
        "select count(*) from invoices where \
           (status = 'paid' and paid <> total) \
           or (status = 'partial' and not (paid > 0 and paid < total)) \
           or (status = 'unpaid' and paid <> 0)",
    )
    .await;
    if status_wrong > 0 {
        out.push(format!(
            "{status_wrong} invoice status(es) disagree with their amounts"
        ));
    }
    out
}
