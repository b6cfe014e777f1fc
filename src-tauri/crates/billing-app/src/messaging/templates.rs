//! Editable templates over the Indonesian defaults.

use std::collections::HashMap;

use billing_whatsapp::template::{render, DEFAULTS};
use serde::Serialize;
use sqlx::PgConnection;

use crate::{AppContext, Error};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TemplateView {
    pub key: String,
    pub body: String,
    /// The variables the template may use, e.g. `nama`, `jumlah`.
    pub variables: Vec<String>,
    /// True while the Indonesian default is in use.
    pub is_default: bool,
}

fn default_of(key: &str) -> Option<&'static billing_whatsapp::template::DefaultTemplate> {
    DEFAULTS.iter().find(|t| t.key == key)
}

pub(super) async fn render_in(
    conn: &mut PgConnection,
    key: &str,
    vars: &HashMap<&'static str, String>,
) -> Result<String, Error> {
    let edited: Option<String> =
        sqlx::query_scalar("select body from whatsapp_templates where key = $1")
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?;
    let body = match (edited, default_of(key)) {
        (Some(body), _) => body,
        (None, Some(default)) => default.body.to_owned(),
        (None, None) => {
            return Err(Error::validation(
                "template",
                format!("unknown template {key}"),
            ))
        }
    };
    let vars: HashMap<&str, String> = vars.iter().map(|(k, v)| (*k, v.clone())).collect();
    render(&body, &vars).map_err(|e| Error::validation("template", e.to_string()))
}

pub async fn list_templates(ctx: &AppContext) -> Result<Vec<TemplateView>, Error> {
    let edited: Vec<(String, String)> = sqlx::query_as("select key, body from whatsapp_templates")
        .fetch_all(&ctx.pool)
        .await?;
    Ok(DEFAULTS
        .iter()
        .map(|d| {
            let body = edited
                .iter()
                .find(|(k, _)| k == d.key)
                .map(|(_, b)| b.clone());
            TemplateView {
                key: d.key.to_owned(),
                is_default: body.is_none(),
                body: body.unwrap_or_else(|| d.body.to_owned()),
                variables: d.variables.iter().map(|v| (*v).to_owned()).collect(),
            }
        })
        .collect())
}

fn sample_vars(key: &str) -> HashMap<&'static str, String> {
    let mut vars = HashMap::new();
    if let Some(d) = default_of(key) {
        for v in d.variables {
            let sample = match *v {
                "nama" => "Budi Santoso",
                "nomor" => "INV/2026/11/00042",
                "periode" => "1–30 November 2026",
                "jumlah" | "sisa" => "Rp 150.000",
                "lebih" => "Rp 50.000",
                "saldo" => "Rp 50.000",
                "jatuh_tempo" => "8 November 2026",
                "link_bayar" => "https://bayar.contoh.id/pay/…",
                "hari" => "3",
                "isp" => "RT/RW Net Melati",
                "paket" => "Voucher 1 hari",
                "kode" => "ABCD-1234",
                "masa_aktif" => "24 jam",
                "menit" => "5",
                "waktu" => "28 Nov 2026 08:00",
                "pesan" => "Sesi WhatsApp utama terputus",
                _ => "…",
            };
            vars.insert(*v, sample.to_owned());
        }
    }
    vars
}

/// Renders a (possibly unsaved) template body with sample values; an unknown variable is an
/// error naming it.
pub async fn preview(key: &str, body: &str) -> Result<String, Error> {
    if default_of(key).is_none() {
        return Err(Error::NotFound("template"));
    }
    let vars = sample_vars(key);
    let vars: HashMap<&str, String> = vars.iter().map(|(k, v)| (*k, v.clone())).collect();
    render(body, &vars).map_err(|e| Error::validation("body", e.to_string()))
}

pub async fn set_template(
    ctx: &AppContext,
    key: &str,
    body: Option<&str>,
) -> Result<TemplateView, Error> {
    match body.map(str::trim).filter(|b| !b.is_empty()) {
        Some(body) => {
            preview(key, body).await?;
            sqlx::query(
                "insert into whatsapp_templates (key, body) values ($1, $2) \
                 on conflict (key) do update set body = $2",
            )
            .bind(key)
            .bind(body)
            .execute(&ctx.pool)
            .await?;
        }
        None => {
            if default_of(key).is_none() {
                return Err(Error::NotFound("template"));
            }
            sqlx::query("delete from whatsapp_templates where key = $1")
                .bind(key)
                .execute(&ctx.pool)
                .await?;
        }
    }
    list_templates(ctx)
        .await?
        .into_iter()
        .find(|t| t.key == key)
        .ok_or(Error::NotFound("template"))
}
