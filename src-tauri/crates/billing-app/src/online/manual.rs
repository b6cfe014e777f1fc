//! Manual bank transfers: the customer uploads a proof on the pay page; a cashier confirms
//! (the payment is settled like any other) or rejects it with a reason.

use billing_domain::{CustomerId, InvoiceStatus, Money, PaymentId, PaymentStatus, UserId};

use super::links::resolve;
use crate::{billing::customers, billing::isolation, AppContext, Error};

pub const MAX_PROOF_BYTES: usize = 2 * 1024 * 1024;

/// Recognises the image by its first bytes, not by what the browser claims.
pub fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.len() > 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

#[derive(Debug, Clone)]
pub struct ProofUpload {
    pub amount: Money,
    pub payer_name: String,
    pub image: Vec<u8>,
}

/// A customer reports a transfer with a proof image. Nothing is applied until a cashier
/// confirms it.
pub async fn submit_proof(
    ctx: &AppContext,
    token: &str,
    upload: ProofUpload,
) -> Result<PaymentId, Error> {
    let invoice_id = resolve(ctx, token).await?;
    if !upload.amount.is_positive() {
        return Err(Error::validation(
            "amount",
            "enter the amount you transferred",
        ));
    }
    Error::money(
        "amount",
        upload.amount.minor(),
        billing_domain::money::InputSign::Positive,
    )?;
    let payer = upload.payer_name.trim();
    if payer.is_empty() || payer.chars().count() > 100 {
        return Err(Error::validation(
            "payer_name",
            "enter the name on the sending account",
        ));
    }
    if upload.image.len() > MAX_PROOF_BYTES {
        return Err(Error::validation("proof", "the image must be at most 2 MB"));
    }
    let content_type = sniff_image(&upload.image)
        .ok_or_else(|| Error::validation("proof", "the proof must be a PNG, JPEG or WebP image"))?;
    let mut tx = ctx.pool.begin().await?;
    let (status, number, customer_id): (InvoiceStatus, String, CustomerId) =
        sqlx::query_as("select status, number, customer_id from invoices where id = $1")
            .bind(invoice_id)
            .fetch_one(&mut *tx)
            .await?;
    crate::billing::payments::ensure_payable(status, &number)?;
    let id = PaymentId::new();
    sqlx::query(
        "insert into payments (id, customer_id, invoice_id, method, amount, status, note) \
         values ($1, $2, $3, 'transfer', $4, 'pending', $5)",
    )
    .bind(id)
    .bind(customer_id)
    .bind(invoice_id)
    .bind(upload.amount)
    .bind(format!("Bukti transfer dari {payer} (menunggu konfirmasi)"))
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "insert into payment_proofs (payment_id, content_type, image, payer_name) values ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(content_type)
    .bind(&upload.image)
    .bind(payer)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(payment_id = %id, "transfer proof uploaded");
    Ok(id)
}

/// The proof image of a payment: (content type, bytes).
pub async fn proof(ctx: &AppContext, payment_id: PaymentId) -> Result<(String, Vec<u8>), Error> {
    sqlx::query_as("select content_type, image from payment_proofs where payment_id = $1")
        .bind(payment_id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("payment proof"))
}

/// The cashier saw the money arrive: settle the payment.
pub async fn confirm_proof(
    ctx: &AppContext,
    user: Option<UserId>,
    payment_id: PaymentId,
) -> Result<crate::billing::payments::Settlement, Error> {
    let customer_id: CustomerId = sqlx::query_scalar(
        "select p.customer_id from payments p join payment_proofs pr on pr.payment_id = p.id where p.id = $1",
    )
    .bind(payment_id)
    .fetch_optional(&ctx.pool)
    .await?
    .ok_or(Error::NotFound("payment proof"))?;
    let mut tx = ctx.pool.begin().await?;
    customers::lock(&mut tx, customer_id).await?;
    let status: PaymentStatus =
        sqlx::query_scalar("select status from payments where id = $1 for update")
            .bind(payment_id)
            .fetch_one(&mut *tx)
            .await?;
    if status != PaymentStatus::Pending {
        return Err(Error::conflict(format!("the payment is already {status}")));
    }
    sqlx::query(
        "update payment_proofs set reviewed_by = $2, reviewed_at = $3 where payment_id = $1",
    )
    .bind(payment_id)
    .bind(user.map(|u| u.0))
    .bind(ctx.clock.now())
    .execute(&mut *tx)
    .await?;
    sqlx::query("update payments set recorded_by = $2 where id = $1")
        .bind(payment_id)
        .bind(user.map(|u| u.0))
        .execute(&mut *tx)
        .await?;
    let settlement = crate::billing::payments::settle_in(&mut tx, ctx, payment_id).await?;
    isolation::restore_paid_up(&mut tx, ctx, Some(customer_id)).await?;
    tx.commit().await?;
    crate::billing::payments::announce_settled(ctx, &settlement);
    Ok(settlement)
}

/// The money did not arrive (or the proof is wrong): the payment fails with a reason.
pub async fn reject_proof(
    ctx: &AppContext,
    user: Option<UserId>,
    payment_id: PaymentId,
    reason: &str,
) -> Result<(), Error> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::validation("reason", "a reason is required"));
    }
    crate::text::check("reason", reason, crate::text::REASON)?;
    let mut tx = ctx.pool.begin().await?;
    let status: Option<PaymentStatus> = sqlx::query_scalar(
        "select p.status from payments p join payment_proofs pr on pr.payment_id = p.id \
         where p.id = $1 for update of p",
    )
    .bind(payment_id)
    .fetch_optional(&mut *tx)
    .await?;
    match status {
        None => return Err(Error::NotFound("payment proof")),
        Some(PaymentStatus::Pending) => {}
        Some(other) => return Err(Error::conflict(format!("the payment is already {other}"))),
    }
    sqlx::query(
        "update payments set status = 'failed', note = note || ' — ditolak: ' || $2 where id = $1",
    )
    .bind(payment_id)
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "update payment_proofs set reviewed_by = $2, reviewed_at = $3, rejected_reason = $4 where payment_id = $1",
    )
    .bind(payment_id)
    .bind(user.map(|u| u.0))
    .bind(ctx.clock.now())
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_bytes() {
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(
            sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0, 0]),
            Some("image/jpeg")
        );
        assert_eq!(sniff_image(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff_image(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff_image(b"%PDF-1.7"), None);
    }
}
