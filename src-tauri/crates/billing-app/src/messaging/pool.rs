//! The sender sessions (up to 5), built from the database and the keyring.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use billing_whatsapp::{
    Fonnte, FonnteConfig, Gowa, GowaConfig, MetaCloud, MetaCloudConfig, Pacer, Wablas,
    WablasConfig, Waha, WahaConfig, WhatsAppProvider,
};
use secrecy::SecretString;
use uuid::Uuid;

use crate::{AppContext, Error};

pub const MAX_SESSIONS: usize = 5;

#[derive(Debug)]
pub struct SessionEntry {
    pub id: Uuid,
    pub name: String,
    pub backup: bool,
    pub provider: Arc<dyn WhatsAppProvider>,
    pub pacer: Mutex<Pacer>,
    pub healthy: AtomicBool,
    /// How many messages may be in flight at once (see [`lanes`]).
    pub lanes: u32,
}

impl SessionEntry {
    pub fn is_healthy(&self) -> bool {
        self.healthy.load(Ordering::SeqCst)
    }

    pub fn set_healthy(&self, healthy: bool) {
        self.healthy.store(healthy, Ordering::SeqCst);
    }

    /// Marks the session failed; true only for the caller that changed it (several lanes
    /// may see the same failure at once, and only one records and announces it).
    pub fn take_down(&self) -> bool {
        self.healthy.swap(false, Ordering::SeqCst)
    }
}

/// Messages a session may have in flight at once: one per second of its allowed rate, up to
/// eight. A session paced at a message a second or slower (a phone-based gateway) sends one
/// at a time, since the provider's answer comes well within the interval; a faster one (an
/// official API allowing hundreds a minute) would otherwise be held to one round trip per
/// message. The pacer is shared by the lanes, so the rate stays what is configured.
pub fn lanes(per_minute: i32) -> u32 {
    u32::try_from(per_minute / 60).unwrap_or(1).clamp(1, 8)
}

/// Primary sessions first, then backups, each in their configured order.
#[derive(Debug, Default)]
pub struct SessionPool {
    inner: RwLock<Vec<Arc<SessionEntry>>>,
}

impl SessionPool {
    pub fn sessions(&self) -> Vec<Arc<SessionEntry>> {
        self.inner.read().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn get(&self, id: Uuid) -> Option<Arc<SessionEntry>> {
        self.sessions().into_iter().find(|s| s.id == id)
    }

    fn replace(&self, sessions: Vec<Arc<SessionEntry>>) {
        if let Ok(mut inner) = self.inner.write() {
            *inner = sessions;
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    name: String,
    provider: String,
    role: String,
    base_url: String,
    settings: serde_json::Value,
    status: String,
    per_minute: i32,
}

pub fn token_name(id: Uuid) -> String {
    format!("whatsapp/{id}/token")
}

pub fn secret_name(id: Uuid) -> String {
    format!("whatsapp/{id}/secret")
}

/// Rebuilds the pool from the enabled sessions (keeping pacing state of unchanged ones).
pub async fn reload_sessions(ctx: &AppContext) -> Result<(), Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "select id, name, provider, role, base_url, settings, status, per_minute \
         from whatsapp_sessions where enabled order by role <> 'primary', position, name limit 5",
    )
    .fetch_all(&ctx.pool)
    .await?;
    let old = ctx.whatsapp.sessions();
    let mut sessions = Vec::new();
    for row in rows {
        let provider = match build(ctx, &row) {
            Ok(p) => p,
            Err(err) => {
                tracing::warn!(session = %row.name, error = %err, "WhatsApp session not usable");
                continue;
            }
        };
        let interval =
            Duration::from_micros(60_000_000 / u64::try_from(row.per_minute.max(1)).unwrap_or(1));
        let pacer = old
            .iter()
            .find(|s| s.id == row.id)
            .and_then(|s| s.pacer.lock().ok().map(|p| p.clone()))
            .unwrap_or_else(|| Pacer::new(interval, interval / 3));
        sessions.push(Arc::new(SessionEntry {
            id: row.id,
            name: row.name,
            backup: row.role == "backup",
            provider,
            pacer: Mutex::new(pacer),
            healthy: AtomicBool::new(row.status != "failed"),
            lanes: lanes(row.per_minute),
        }));
    }
    ctx.whatsapp.replace(sessions);
    Ok(())
}

fn setting(row: &Row, key: &str) -> Option<String> {
    row.settings
        .get(key)
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .filter(|v| !v.is_empty())
}

fn build(ctx: &AppContext, row: &Row) -> Result<Arc<dyn WhatsAppProvider>, Error> {
    let token = ctx.secrets.get(&token_name(row.id))?;
    let secret = ctx.secrets.get(&secret_name(row.id))?;
    let need = |s: Option<SecretString>, what: &str| {
        s.ok_or_else(|| Error::validation("token", format!("the {what} is not in the keyring")))
    };
    let base_url = row.base_url.clone();
    let err = |e: billing_whatsapp::SendError| Error::validation("base_url", e.to_string());
    Ok(match row.provider.as_str() {
        "meta_cloud" => Arc::new(
            MetaCloud::new(MetaCloudConfig {
                base_url,
                api_version: setting(row, "api_version").unwrap_or_else(|| "v21.0".into()),
                phone_number_id: setting(row, "phone_number_id").unwrap_or_default(),
                access_token: need(token, "access token")?,
                app_secret: need(secret, "app secret")?,
                timeout: None,
            })
            .map_err(err)?,
        ),
        "fonnte" => Arc::new(
            Fonnte::new(FonnteConfig {
                base_url,
                device_token: need(token, "device token")?,
                timeout: None,
            })
            .map_err(err)?,
        ),
        "wablas" => Arc::new(
            Wablas::new(WablasConfig {
                base_url,
                token: need(token, "token")?,
                secret_key: need(secret, "secret key")?,
                timeout: None,
            })
            .map_err(err)?,
        ),
        "waha" => Arc::new(
            Waha::new(WahaConfig {
                base_url,
                api_key: token,
                session: setting(row, "session").unwrap_or_else(|| "default".into()),
                timeout: None,
            })
            .map_err(err)?,
        ),
        "gowa" => Arc::new(
            Gowa::new(GowaConfig {
                base_url,
                basic_auth: setting(row, "basic_user").zip(token),
                device_id: setting(row, "device_id").unwrap_or_default(),
                webhook_secret: need(secret, "webhook secret")?,
                timeout: None,
            })
            .map_err(err)?,
        ),
        other => {
            return Err(Error::validation(
                "provider",
                format!("unknown provider {other}"),
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::lanes;

    #[test]
    fn sessions_paced_at_a_message_a_second_or_slower_send_one_at_a_time() {
        assert_eq!(lanes(20), 1);
        assert_eq!(lanes(60), 1);
        assert_eq!(lanes(119), 1);
        assert_eq!(lanes(240), 4);
        assert_eq!(lanes(600_000), 8);
        assert_eq!(lanes(0), 1);
    }
}
