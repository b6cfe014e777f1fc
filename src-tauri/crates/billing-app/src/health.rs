use std::time::Instant;

use crate::AppContext;

#[derive(Debug, Clone)]
pub struct DatabaseHealth {
    pub up: bool,
    pub server_version: Option<String>,
    pub latency_ms: Option<u64>,
}

/// Asks the database for its version; a failure is reported, not raised.
pub async fn check_database(ctx: &AppContext) -> DatabaseHealth {
    let started = Instant::now();
    let version: Result<String, _> = sqlx::query_scalar("select current_setting('server_version')")
        .fetch_one(&ctx.pool)
        .await;
    match version {
        Ok(v) => DatabaseHealth {
            up: true,
            server_version: Some(format!("PostgreSQL {v}")),
            latency_ms: Some(u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)),
        },
        Err(err) => {
            tracing::warn!(error = %err, "database health check failed");
            DatabaseHealth {
                up: false,
                server_version: None,
                latency_ms: None,
            }
        }
    }
}
