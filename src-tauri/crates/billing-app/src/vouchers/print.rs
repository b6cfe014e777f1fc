//! Printing vouchers: cards for a batch (or chosen vouchers) as printable HTML or a PDF, with
//! the built-in templates or the owner's edited ones.

use billing_documents::{
    builtin_card_template, vouchers_html, vouchers_pdf, DocumentError, Lang, VoucherCard,
    VoucherPrint, VoucherTemplate,
};
use serde::Serialize;
use uuid::Uuid;

use super::query::{printable, Printable};
use crate::{billing::business, AppContext, Error};

pub fn template_of(kind: &str) -> Result<VoucherTemplate, Error> {
    Ok(match kind {
        "default" => VoucherTemplate::Default,
        "small" => VoucherTemplate::Small,
        "thermal58" => VoucherTemplate::Thermal58,
        _ => {
            return Err(Error::validation(
                "template",
                "template is default, small or thermal58",
            ))
        }
    })
}

/// "1 hari", "3 jam", "2 jam online", "1 GB" — what the card says the voucher gives.
pub fn validity_text(p: &Printable, lang: Lang) -> String {
    limits_text(p.validity_secs, p.uptime_limit_secs, p.quota_bytes, lang)
}

/// The same words for a profile's limits: validity, online time, data.
pub fn limits_text(
    validity_secs: Option<i64>,
    uptime_limit_secs: Option<i64>,
    quota_bytes: Option<i64>,
    lang: Lang,
) -> String {
    let en = matches!(lang, Lang::En);
    let span = |secs: i64| -> String {
        let (n, id, en_unit) = if secs % 86_400 == 0 {
            (secs / 86_400, "hari", "day")
        } else if secs % 3_600 == 0 {
            (secs / 3_600, "jam", "hour")
        } else {
            ((secs + 59) / 60, "menit", "minute")
        };
        if en {
            format!("{n} {en_unit}{}", if n == 1 { "" } else { "s" })
        } else {
            format!("{n} {id}")
        }
    };
    let mut parts = Vec::new();
    if let Some(v) = validity_secs {
        parts.push(span(v));
    }
    if let Some(u) = uptime_limit_secs {
        parts.push(format!("{} online", span(u)));
    }
    if let Some(q) = quota_bytes {
        // Binary units, as RouterOS and the dashboard count them.
        const MIB: i64 = 1 << 20;
        parts.push(if q >= 1 << 30 {
            format!(
                "{} GB",
                (q as f64 / (1u64 << 30) as f64 * 10.0).round() / 10.0
            )
        } else {
            format!("{} MB", q / MIB)
        });
    }
    parts.join(" · ")
}

/// The hotspot login address that signs the voucher in with one tap (and its QR code).
pub fn login_url(base: &str, code: &str, password: Option<&str>) -> String {
    let pw = password.unwrap_or(code);
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}username={code}&password={pw}")
}

/// What to print.
#[derive(Debug, Clone)]
pub struct PrintRequest {
    pub batch_id: Option<Uuid>,
    pub ids: Vec<Uuid>,
    pub template: String,
    pub pdf: bool,
    pub lang: Lang,
    pub per_page: Option<u32>,
    pub only_unused: bool,
    /// Limits the vouchers to this reseller's stock.
    pub reseller: Option<Uuid>,
}

/// Rendered cards: HTML text or PDF bytes.
pub enum Printed {
    Html(String),
    Pdf(Vec<u8>),
}

fn doc_error(e: DocumentError) -> Error {
    match e {
        DocumentError::PerPage { .. } => Error::validation("per_page", e.to_string()),
        DocumentError::Template(t) => Error::validation("html", t.to_string()),
        other => Error::Unexpected(anyhow::Error::new(other)),
    }
}

pub async fn print(ctx: &AppContext, req: &PrintRequest) -> Result<Printed, Error> {
    let template = template_of(&req.template)?;
    let rows = printable(ctx, req.batch_id, &req.ids, req.reseller, req.only_unused).await?;
    let profile = business::get(ctx).await?;
    let biz = business::for_documents(&profile);
    let base: String = sqlx::query_scalar("select hotspot_login_url from business_profile")
        .fetch_one(&ctx.pool)
        .await?;
    let cards: Vec<VoucherCard> = rows
        .iter()
        .map(|p| VoucherCard {
            code: p.code.clone(),
            password: p.password.clone(),
            price: p.price,
            validity: validity_text(p, req.lang),
            profile: p.profile_name.clone(),
            login_url: login_url(&base, &p.code, p.password.as_deref()),
            serial: format!("B{}-{:04}", p.batch_number, p.seq),
        })
        .collect();
    let custom = if req.pdf {
        None
    } else {
        custom_template(ctx, &req.template).await?
    };
    let mut opts = VoucherPrint::new(template, &biz);
    opts.lang = req.lang;
    opts.per_page = req.per_page;
    opts.custom_html = custom;
    if req.pdf {
        vouchers_pdf(&cards, &opts)
            .map(Printed::Pdf)
            .map_err(doc_error)
    } else {
        vouchers_html(&cards, &opts)
            .map(Printed::Html)
            .map_err(doc_error)
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PrintTemplate {
    /// default, small or thermal58.
    pub kind: String,
    /// The template in use (the edited one, or the built-in one).
    pub html: String,
    pub builtin_html: String,
    /// Whether the owner edited it.
    pub custom: bool,
    /// Placeholders a template may use.
    pub placeholders: Vec<String>,
}

async fn custom_template(ctx: &AppContext, kind: &str) -> Result<Option<String>, Error> {
    Ok(
        sqlx::query_scalar("select html from voucher_print_templates where kind = $1")
            .bind(kind)
            .fetch_optional(&ctx.pool)
            .await?,
    )
}

const PLACEHOLDERS: [&str; 11] = [
    "{{isp}}",
    "{{logo}}",
    "{{code}}",
    "{{password}}",
    "{{price}}",
    "{{validity}}",
    "{{profile}}",
    "{{qr}}",
    "{{serial}}",
    "{{#password}}",
    "{{/password}}",
];

pub async fn get_template(ctx: &AppContext, kind: &str) -> Result<PrintTemplate, Error> {
    let builtin = builtin_card_template(template_of(kind)?).to_owned();
    let custom = custom_template(ctx, kind).await?;
    Ok(PrintTemplate {
        kind: kind.to_owned(),
        custom: custom.is_some(),
        html: custom.unwrap_or_else(|| builtin.clone()),
        builtin_html: builtin,
        placeholders: PLACEHOLDERS.iter().map(|s| (*s).to_owned()).collect(),
    })
}

/// Two sample cards (one with a separate password, one without) printed with `html` as the card
/// markup of `template`: the page a real batch would print, or why the template is refused.
async fn render_sample(
    ctx: &AppContext,
    template: VoucherTemplate,
    html: &str,
) -> Result<String, Error> {
    let biz = business::for_documents(&business::get(ctx).await?);
    let sample = |code: &str, password: Option<&str>, serial: &str| VoucherCard {
        code: code.into(),
        password: password.map(Into::into),
        price: 5000,
        validity: "1 hari".into(),
        profile: "Contoh".into(),
        login_url: format!(
            "http://hotspot.lan/login?username={code}&password={}",
            password.unwrap_or(code)
        ),
        serial: serial.into(),
    };
    let cards = [
        sample("ABC234", Some("XYZ789"), "B1-0001"),
        sample("KPM47Q", None, "B1-0002"),
    ];
    let mut opts = VoucherPrint::new(template, &biz);
    opts.custom_html = Some(html.to_owned());
    vouchers_html(&cards, &opts).map_err(doc_error)
}

/// The live preview of the template editor: sample cards printed with `html`, nothing saved.
pub async fn preview_template(ctx: &AppContext, kind: &str, html: &str) -> Result<String, Error> {
    render_sample(ctx, template_of(kind)?, html).await
}

/// Saves an edited template after rendering sample cards with it (so a broken template is
/// refused with the reason, never stored).
pub async fn set_template(
    ctx: &AppContext,
    kind: &str,
    html: &str,
) -> Result<PrintTemplate, Error> {
    render_sample(ctx, template_of(kind)?, html).await?;
    sqlx::query(
        "insert into voucher_print_templates (kind, html) values ($1, $2) \
         on conflict (kind) do update set html = excluded.html, updated_at = $3",
    )
    .bind(kind)
    .bind(html)
    .bind(ctx.clock.now())
    .execute(&ctx.pool)
    .await?;
    get_template(ctx, kind).await
}

pub async fn reset_template(ctx: &AppContext, kind: &str) -> Result<PrintTemplate, Error> {
    template_of(kind)?;
    sqlx::query("delete from voucher_print_templates where kind = $1")
        .bind(kind)
        .execute(&ctx.pool)
        .await?;
    get_template(ctx, kind).await
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PrintSettings {
    /// The hotspot login page the QR codes point to (e.g. http://hotspot.lan/login).
    pub hotspot_login_url: String,
}

pub async fn settings(ctx: &AppContext) -> Result<PrintSettings, Error> {
    Ok(PrintSettings {
        hotspot_login_url: sqlx::query_scalar("select hotspot_login_url from business_profile")
            .fetch_one(&ctx.pool)
            .await?,
    })
}

pub async fn set_settings(ctx: &AppContext, url: &str) -> Result<PrintSettings, Error> {
    let url = url.trim();
    let ok = http::Uri::try_from(url)
        .ok()
        .is_some_and(|u| matches!(u.scheme_str(), Some("http" | "https")) && u.host().is_some());
    if !ok {
        return Err(Error::validation(
            "hotspot_login_url",
            "the hotspot login address looks like http://hotspot.lan/login",
        ));
    }
    sqlx::query("update business_profile set hotspot_login_url = $1")
        .bind(url)
        .execute(&ctx.pool)
        .await?;
    settings(ctx).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(v: Option<i64>, u: Option<i64>, q: Option<i64>) -> Printable {
        Printable {
            code: "A".into(),
            password: None,
            seq: 1,
            batch_number: 1,
            price: 1,
            profile_name: "x".into(),
            validity_secs: v,
            uptime_limit_secs: u,
            quota_bytes: q,
        }
    }

    #[test]
    fn cards_say_what_the_voucher_gives() {
        assert_eq!(
            validity_text(&p(Some(86_400), None, None), Lang::Id),
            "1 hari"
        );
        assert_eq!(
            validity_text(&p(Some(3 * 86_400), None, None), Lang::En),
            "3 days"
        );
        assert_eq!(
            validity_text(&p(None, Some(7200), None), Lang::Id),
            "2 jam online"
        );
        assert_eq!(
            validity_text(&p(Some(86_400), None, Some(3 << 29)), Lang::Id),
            "1 hari · 1.5 GB"
        );
        assert_eq!(
            validity_text(&p(None, None, Some(500 << 20)), Lang::Id),
            "500 MB"
        );
        assert_eq!(
            validity_text(&p(None, None, Some(1 << 30)), Lang::Id),
            "1 GB"
        );
    }

    #[test]
    fn the_qr_logs_in() {
        assert_eq!(
            login_url("http://hotspot.lan/login", "AB12", None),
            "http://hotspot.lan/login?username=AB12&password=AB12"
        );
        assert_eq!(
            login_url("http://10.5.50.1/login?dst=x", "AB12", Some("PW")),
            "http://10.5.50.1/login?dst=x&username=AB12&password=PW"
        );
    }
}
