//! The customer page on the public listener (`/portal`): sign in with a phone number (or the
//! subscription's login) and a code from WhatsApp, then subscriptions, invoices, receipts and
//! paying. Plain forms (no script); the session is a short-lived cookie (HttpOnly,
//! SameSite=Strict, Secure behind https, path `/portal`) and every form carries the session's
//! CSRF token.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use billing_app::portal::{self, PortalInvoice, PortalView};
use billing_documents::{escape_html as esc, format_date_id, format_rupiah, Lang as DocLang};
use billing_domain::{InvoiceId, InvoiceStatus};
use serde::Deserialize;

use super::page::{Lang, CSS};
use super::pay::LangQuery;
use crate::extract::{ClientAddr, Path, Query};
use crate::input::ApiForm;
use crate::{ApiError, HttpState};

const COOKIE: &str = "mb_portal";

struct Texts {
    lang: &'static str,
    title: &'static str,
    intro: &'static str,
    who: &'static str,
    send: &'static str,
    sent: &'static str,
    no_whatsapp: &'static str,
    code: &'static str,
    enter: &'static str,
    wrong: &'static str,
    again: &'static str,
    too_many: &'static str,
    greeting: &'static str,
    subscriptions: &'static str,
    active: &'static str,
    isolated: &'static str,
    invoices: &'static str,
    none: &'static str,
    due: &'static str,
    owed: &'static str,
    paid: &'static str,
    partial: &'static str,
    unpaid: &'static str,
    carried: &'static str,
    pay: &'static str,
    receipt: &'static str,
    invoice_pdf: &'static str,
    credit: &'static str,
    logout: &'static str,
    whatsapp: &'static str,
    whatsapp_text: &'static str,
    expired: &'static str,
}

const ID: Texts = Texts {
    lang: "id",
    title: "Halaman pelanggan",
    intro: "Masuk untuk melihat langganan, tagihan, dan kuitansi Anda.",
    who: "Nomor HP (WhatsApp) atau nama login internet",
    send: "Kirim kode lewat WhatsApp",
    sent: "Jika nomor ini terdaftar, kode 6 angka sudah kami kirim lewat WhatsApp. Kode berlaku \
           5 menit.",
    no_whatsapp: "WhatsApp kami sedang tidak tersambung, jadi kode belum bisa dikirim. Hubungi \
                  kantor kami: petugas dapat memberi Anda kode masuk.",
    code: "Kode 6 angka",
    enter: "Masuk",
    wrong: "Kode salah atau sudah kedaluwarsa. Minta kode baru.",
    again: "Minta kode baru",
    too_many: "Terlalu banyak permintaan kode dari jaringan ini. Coba lagi nanti.",
    greeting: "Halo",
    subscriptions: "Langganan",
    active: "Aktif",
    isolated: "Diisolir: internet dihentikan sementara sampai tagihan dibayar",
    invoices: "Tagihan",
    none: "Belum ada tagihan.",
    due: "jatuh tempo",
    owed: "Sisa",
    paid: "LUNAS",
    partial: "Dibayar sebagian",
    unpaid: "Belum dibayar",
    carried: "Dipindah ke tagihan berikutnya",
    pay: "Bayar",
    receipt: "Kuitansi (PDF)",
    invoice_pdf: "Tagihan (PDF)",
    credit: "Saldo Anda",
    logout: "Keluar",
    whatsapp: "Hubungi kami lewat WhatsApp",
    whatsapp_text: "Halo, saya pelanggan",
    expired: "Sesi Anda sudah berakhir. Silakan masuk lagi.",
};

const EN: Texts = Texts {
    lang: "en",
    title: "Customer page",
    intro: "Sign in to see your subscription, invoices and receipts.",
    who: "Mobile (WhatsApp) number or internet login",
    send: "Send a code by WhatsApp",
    sent: "If this number is registered, we sent a 6-digit code by WhatsApp. It is valid for \
           5 minutes.",
    no_whatsapp: "Our WhatsApp is not connected right now, so no code can be sent. Contact our \
                  office: staff can give you a sign-in code.",
    code: "6-digit code",
    enter: "Sign in",
    wrong: "The code is wrong or has expired. Ask for a new one.",
    again: "Ask for a new code",
    too_many: "Too many code requests from this network. Try again later.",
    greeting: "Hello",
    subscriptions: "Subscription",
    active: "Active",
    isolated: "Isolated: internet is paused until the invoice is paid",
    invoices: "Invoices",
    none: "No invoices yet.",
    due: "due",
    owed: "Left to pay",
    paid: "PAID",
    partial: "Partly paid",
    unpaid: "Unpaid",
    carried: "Carried over to the next invoice",
    pay: "Pay",
    receipt: "Receipt (PDF)",
    invoice_pdf: "Invoice (PDF)",
    credit: "Your balance",
    logout: "Sign out",
    whatsapp: "Contact us on WhatsApp",
    whatsapp_text: "Hello, I am a customer",
    expired: "Your session has ended. Please sign in again.",
};

fn texts(lang: Lang) -> &'static Texts {
    if lang == Lang::En {
        &EN
    } else {
        &ID
    }
}

fn lang_of(q: &LangQuery, headers: &HeaderMap) -> Lang {
    super::pay::lang(q, headers)
}

fn page(t: &Texts, lang: Lang, body: &str) -> Html<String> {
    let (ol, oln) = if lang == Lang::En {
        ("id", "Bahasa Indonesia")
    } else {
        ("en", "English")
    };
    Html(format!(
        "<!doctype html><html lang={l}><head><meta charset=utf-8>\
<meta name=viewport content=\"width=device-width,initial-scale=1\"><title>{title}</title>\
<style>{CSS}</style></head><body><main><p class=lang><a href=\"?lang={ol}\">{oln}</a></p>\
{body}</main></body></html>",
        l = t.lang,
        title = t.title,
    ))
}

fn no_store(html: Html<String>) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], html).into_response()
}

fn sign_in_form(t: &Texts, lang: Lang, who: &str, note: Option<&str>) -> Html<String> {
    let note = note
        .map(|n| format!("<p class=\"card err\" role=alert>{n}</p>"))
        .unwrap_or_default();
    page(
        t,
        lang,
        &format!(
            "<div class=card><h1>{title}</h1><p class=muted>{intro}</p></div>{note}\
             <form class=card method=post action=\"/portal/code?lang={l}\" id=ask>\
             <label>{who_label}<input name=who required maxlength=64 autocomplete=tel \
             value=\"{who}\"></label><button type=submit class=\"btn primary\">{send}</button></form>",
            title = t.title,
            intro = t.intro,
            l = t.lang,
            who_label = t.who,
            who = esc(who),
            send = t.send,
        ),
    )
}

fn code_form(t: &Texts, lang: Lang, who: &str, note: &str, error: Option<&str>) -> Html<String> {
    let error = error
        .map(|e| format!("<p class=\"card err\" role=alert id=code-error>{e}</p>"))
        .unwrap_or_default();
    page(
        t,
        lang,
        &format!(
            "<div class=card><h1>{title}</h1><p id=sent role=status>{note}</p></div>{error}\
             <form class=card method=post action=\"/portal/verify?lang={l}\" id=verify>\
             <input type=hidden name=who value=\"{who}\">\
             <label>{code}<input name=code required inputmode=numeric pattern=\"[0-9]{{6}}\" \
             maxlength=6 autocomplete=one-time-code></label>\
             <button type=submit class=\"btn primary\">{enter}</button></form>\
             <form class=card method=post action=\"/portal/code?lang={l}\">\
             <input type=hidden name=who value=\"{who}\"><button type=submit class=btn>{again}</button></form>",
            title = t.title,
            l = t.lang,
            who = esc(who),
            code = t.code,
            enter = t.enter,
            again = t.again,
        ),
    )
}

/// `/portal`: the sign-in form, or the customer's page when signed in.
pub async fn start(
    State(state): State<HttpState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Response {
    let lang = lang_of(&q, &headers);
    let t = texts(lang);
    if let Some(token) = jar.get(COOKIE).map(|c| c.value().to_owned()) {
        if let Ok(session) = portal::session(&state.ctx, &token).await {
            return match portal::overview(&state.ctx, &session.phone).await {
                Ok(view) => no_store(render_home(t, lang, &view, &session.csrf)),
                Err(err) => ApiError::from(err).into_response(),
            };
        }
    }
    no_store(sign_in_form(t, lang, "", None))
}

#[derive(Debug, Deserialize)]
pub struct AskForm {
    pub who: String,
}

/// Sends a code (if the number is a customer's) and shows the code form.
pub async fn ask(
    State(state): State<HttpState>,
    Query(q): Query<LangQuery>,
    ClientAddr(remote): ClientAddr,
    headers: HeaderMap,
    ApiForm(form): ApiForm<AskForm>,
) -> Result<Response, ApiError> {
    let lang = lang_of(&q, &headers);
    let t = texts(lang);
    match portal::request_code(&state.ctx, &form.who, remote.as_deref()).await {
        Ok(r) => {
            let note = if r.whatsapp_available {
                t.sent
            } else {
                t.no_whatsapp
            };
            Ok(no_store(code_form(t, lang, form.who.trim(), note, None)))
        }
        Err(billing_app::Error::TooManyAttempts { .. }) => Ok((
            StatusCode::TOO_MANY_REQUESTS,
            sign_in_form(t, lang, form.who.trim(), Some(t.too_many)),
        )
            .into_response()),
        Err(err) => Err(err.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct VerifyForm {
    pub who: String,
    pub code: String,
}

/// Checks the code; on success sets the session cookie and shows the customer's page.
pub async fn verify(
    State(state): State<HttpState>,
    Query(q): Query<LangQuery>,
    ClientAddr(remote): ClientAddr,
    headers: HeaderMap,
    jar: CookieJar,
    ApiForm(form): ApiForm<VerifyForm>,
) -> Result<Response, ApiError> {
    let lang = lang_of(&q, &headers);
    let t = texts(lang);
    match portal::verify(&state.ctx, &form.who, &form.code, remote.as_deref()).await {
        Ok(session) => {
            let secure = behind_https(&state, &headers).await;
            let cookie = Cookie::build((COOKIE, session.token))
                .path("/portal")
                .http_only(true)
                .same_site(SameSite::Strict)
                .secure(secure)
                .max_age(time::Duration::minutes(portal::SESSION_MINUTES))
                .build();
            Ok((
                jar.add(cookie),
                Redirect::to(&format!("/portal?lang={}", t.lang)),
            )
                .into_response())
        }
        Err(billing_app::Error::Validation { .. }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            code_form(t, lang, form.who.trim(), t.sent, Some(t.wrong)),
        )
            .into_response()),
        Err(err) => Err(err.into()),
    }
}

/// The cookie is `Secure` when customers reach the shop over https (the public address, or
/// the tunnel's forwarded protocol).
async fn behind_https(state: &HttpState, headers: &HeaderMap) -> bool {
    let forwarded = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    forwarded
        || billing_app::billing::business::public_base_url(&state.ctx)
            .await
            .ok()
            .flatten()
            .is_some_and(|u| u.starts_with("https://"))
}

#[derive(Debug, Deserialize)]
pub struct SessionForm {
    pub csrf: String,
    pub invoice_id: Option<String>,
}

/// The signed-in session behind the cookie, with the form's CSRF token checked.
async fn signed_in(
    state: &HttpState,
    jar: &CookieJar,
    csrf: Option<&str>,
) -> Result<(String, portal::Session), ApiError> {
    let token = jar
        .get(COOKIE)
        .map(|c| c.value().to_owned())
        .ok_or_else(|| ApiError::Unauthorized("not signed in".into()))?;
    let session = portal::session(&state.ctx, &token).await?;
    if let Some(sent) = csrf {
        if sent != session.csrf {
            return Err(ApiError::Forbidden(
                "the form is out of date; reload the page".into(),
            ));
        }
    }
    Ok((token, session))
}

fn expired(t: &Texts, lang: Lang) -> Response {
    (
        StatusCode::UNAUTHORIZED,
        sign_in_form(t, lang, "", Some(t.expired)),
    )
        .into_response()
}

/// "Bayar": a pay page for the invoice, then there (the pay page shows the status live).
pub async fn pay(
    State(state): State<HttpState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    jar: CookieJar,
    ApiForm(form): ApiForm<SessionForm>,
) -> Result<Response, ApiError> {
    let lang = lang_of(&q, &headers);
    let t = texts(lang);
    let session = match signed_in(&state, &jar, Some(&form.csrf)).await {
        Ok((_, s)) => s,
        Err(ApiError::Unauthorized(_)) => return Ok(expired(t, lang)),
        Err(e) => return Err(e),
    };
    let invoice: InvoiceId = form
        .invoice_id
        .as_deref()
        .and_then(|i| i.parse().ok())
        .ok_or_else(|| ApiError::BadQuery {
            field: "invoice_id".into(),
            message: "choose an invoice".into(),
        })?;
    let url = portal::pay(&state.ctx, &session.phone, invoice).await?;
    let sep = if url.contains('?') { '&' } else { '?' };
    let url = if url.starts_with("/pay/") {
        format!("{url}{sep}lang={}", t.lang)
    } else {
        url
    };
    Ok(Redirect::to(&url).into_response())
}

/// The invoice or receipt as a PDF, for the signed-in customer's own invoices only.
pub async fn receipt(
    State(state): State<HttpState>,
    Path(id): Path<InvoiceId>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Result<Response, ApiError> {
    let lang = lang_of(&q, &headers);
    let t = texts(lang);
    let session = match signed_in(&state, &jar, None).await {
        Ok((_, s)) => s,
        Err(ApiError::Unauthorized(_)) => return Ok(expired(t, lang)),
        Err(e) => return Err(e),
    };
    if !portal::owns(&state.ctx, &session.phone, id).await? {
        return Err(billing_app::Error::NotFound("invoice").into());
    }
    let invoice = billing_app::billing::invoices::get(&state.ctx, id).await?;
    let profile = billing_app::billing::business::get(&state.ctx).await?;
    let doc_lang = if lang == Lang::En {
        DocLang::En
    } else {
        DocLang::Id
    };
    let business = billing_app::billing::business::for_documents(&profile);
    let doc = crate::admin::receipt::document(&invoice, doc_lang);
    let pdf = billing_documents::invoice_pdf(&business, &doc, doc_lang)
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e)))?;
    let file = invoice.summary.number.replace('/', "-");
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{file}.pdf\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        pdf,
    )
        .into_response())
}

pub async fn logout(
    State(state): State<HttpState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    jar: CookieJar,
    ApiForm(form): ApiForm<SessionForm>,
) -> Result<Response, ApiError> {
    let lang = lang_of(&q, &headers);
    match signed_in(&state, &jar, Some(&form.csrf)).await {
        Ok((token, _)) => portal::logout(&state.ctx, &token).await?,
        Err(ApiError::Unauthorized(_)) => {}
        Err(e) => return Err(e),
    }
    let jar = jar.remove(Cookie::build(COOKIE).path("/portal"));
    Ok((
        jar,
        Redirect::to(&format!("/portal?lang={}", texts(lang).lang)),
    )
        .into_response())
}

fn invoice_line(t: &Texts, lang: Lang, i: &PortalInvoice, csrf: &str) -> String {
    let dl = if lang == Lang::En {
        DocLang::En
    } else {
        DocLang::Id
    };
    let status = match i.status {
        InvoiceStatus::Paid => format!("<span class=badge>{}</span>", t.paid),
        InvoiceStatus::Partial => t.partial.to_owned(),
        InvoiceStatus::Unpaid => t.unpaid.to_owned(),
        InvoiceStatus::CarriedOver => t.carried.to_owned(),
        InvoiceStatus::Void => String::new(),
    };
    let pay = if i.open() {
        format!(
            "<p class=muted>{} {}</p><form method=post action=\"/portal/pay?lang={}\">\
             <input type=hidden name=csrf value=\"{}\"><input type=hidden name=invoice_id value=\"{}\">\
             <button type=submit class=\"btn primary\">{} {}</button></form>",
            t.owed,
            esc(&format_rupiah(i.owed())),
            t.lang,
            esc(csrf),
            i.id,
            t.pay,
            esc(&format_rupiah(i.owed())),
        )
    } else {
        String::new()
    };
    format!(
        "<div class=invoice><p><b>{number}</b> · {period}<br><span class=muted>{total} · {due} \
         {due_on}</span><br>{status}</p>{pay}<a class=btn href=\"/portal/receipt/{id}?lang={l}\">{receipt}</a></div>",
        number = esc(&i.number),
        period = esc(&format!(
            "{} – {}",
            format_date_id(i.period_start, dl),
            format_date_id(i.period_end.pred_opt().unwrap_or(i.period_end), dl)
        )),
        total = esc(&format_rupiah(i.total)),
        due = t.due,
        due_on = esc(&format_date_id(i.due_on, dl)),
        id = i.id,
        l = t.lang,
        receipt = if i.status == InvoiceStatus::Paid {
            t.receipt
        } else {
            t.invoice_pdf
        },
    )
}

fn render_home(t: &Texts, lang: Lang, view: &PortalView, csrf: &str) -> Html<String> {
    let logo = view
        .logo_data_url
        .as_deref()
        .filter(|l| l.starts_with("data:image/"))
        .map(|l| format!("<img src=\"{}\" alt=\"\">", esc(l)))
        .unwrap_or_default();
    let business = if view.business_name.trim().is_empty() {
        t.title.to_owned()
    } else {
        esc(&view.business_name)
    };
    let mut body = format!("<div class=card><header>{logo}<h1>{business}</h1></header></div>");
    for c in &view.customers {
        let subs: String = c
            .subscriptions
            .iter()
            .map(|s| {
                let status = if s.status == "isolated" {
                    format!("<span class=err>{}</span>", t.isolated)
                } else {
                    format!("<span class=badge>{}</span>", t.active)
                };
                format!(
                    "<p><b>{}</b> · {}{}<br>{status}</p>",
                    esc(&s.plan),
                    esc(&format_rupiah(s.price)),
                    s.login
                        .as_deref()
                        .map(|l| format!(" <span class=muted>({})</span>", esc(l)))
                        .unwrap_or_default(),
                )
            })
            .collect();
        let invoices: String = if c.invoices.is_empty() {
            format!("<p class=muted>{}</p>", t.none)
        } else {
            c.invoices
                .iter()
                .map(|i| invoice_line(t, lang, i, csrf))
                .collect()
        };
        let credit = if c.credit > 0 {
            format!(
                "<p>{}: <b>{}</b></p>",
                t.credit,
                esc(&format_rupiah(c.credit))
            )
        } else {
            String::new()
        };
        body.push_str(&format!(
            "<div class=card id=\"customer-{id}\"><h2>{greeting}, {name}</h2>\
             <p class=muted>{address}</p>{credit}<h2>{l_subs}</h2>{subs}</div>\
             <div class=card><h2>{l_inv}</h2>{invoices}</div>",
            id = c.id,
            greeting = t.greeting,
            name = esc(&c.name),
            address = esc(&c.address),
            l_subs = t.subscriptions,
            l_inv = t.invoices,
        ));
    }
    let wa = view
        .business_whatsapp
        .as_deref()
        .map(|d| {
            let name = view.customers.first().map(|c| c.name.as_str()).unwrap_or("");
            let text = format!("{} {name}", t.whatsapp_text);
            format!(
                "<a class=\"btn wa\" id=whatsapp href=\"https://wa.me/{}?text={}\" rel=noopener>{}</a>",
                esc(d),
                esc(&urlencoding::encode(text.trim())),
                t.whatsapp
            )
        })
        .unwrap_or_default();
    body.push_str(&format!(
        "<div class=card>{wa}<form method=post action=\"/portal/logout?lang={l}\">\
         <input type=hidden name=csrf value=\"{csrf}\"><button type=submit class=btn>{logout}</button></form></div>",
        l = t.lang,
        csrf = esc(csrf),
        logout = t.logout,
    ));
    page(t, lang, &body)
}
