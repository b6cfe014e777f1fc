//! The owner takes a message out of the queue before it leaves. The row stays (cancelled,
//! with who and why), so the delivery log still shows what was meant to be sent.

use crate::{text, AppContext, Error};

/// Cancels a message that is still `queued`. A message already being sent (or sent, failed,
/// cancelled) is a conflict: it can no longer be held back.
#[tracing::instrument(skip_all, fields(message_id = id))]
pub async fn cancel_message(
    ctx: &AppContext,
    id: i64,
    by: &str,
    reason: Option<&str>,
) -> Result<(), Error> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    text::check_opt("reason", reason, text::REASON)?;
    let why = match reason {
        Some(reason) => format!("cancelled by {by}: {reason}"),
        None => format!("cancelled by {by}"),
    };
    // The worker claims a message with `status = 'queued'` under a row lock, so this update
    // and a claim never both win.
    let done = sqlx::query(
        "update whatsapp_messages set status = 'cancelled', last_error = $2 \
         where id = $1 and status = 'queued'",
    )
    .bind(id)
    .bind(&why)
    .execute(&ctx.pool)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    let status: Option<String> =
        sqlx::query_scalar("select status from whatsapp_messages where id = $1")
            .bind(id)
            .fetch_optional(&ctx.pool)
            .await?;
    match status {
        None => Err(Error::NotFound("message")),
        Some(status) => Err(Error::conflict(format!(
            "only queued messages can be cancelled; this one is {status}"
        ))),
    }
}
