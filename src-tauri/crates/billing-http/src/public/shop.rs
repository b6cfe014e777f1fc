//! The online voucher shop on the public listener: `/shop` (what is for sale), an order's page
//! `/shop/o/{token}` (pay, then the code), and their small JSON/SSE API. Server-rendered, one
//! small document each, usable on a 360 px phone and without script for choosing a voucher.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use billing_app::events::BillingEvent;
use billing_app::online::orders::OrderPayment;
use billing_app::vouchers::shop::{self, Delivery, OrderView, ShopItem, ShopView};
use billing_documents::{escape_html as esc, format_rupiah, Lang as DocLang};
use futures::stream::Stream;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use super::page::{Lang, CSS};
use super::pay::{qr_svg, LangQuery};
use crate::extract::{ApiJson, ClientAddr, Path, Query};
use crate::input::ApiForm;
use crate::{ApiError, HttpState};

struct Texts {
    lang: &'static str,
    title: &'static str,
    closed: &'static str,
    counter: &'static str,
    choose: &'static str,
    phone: &'static str,
    phone_hint: &'static str,
    buy: &'static str,
    speed: &'static str,
    empty: &'static str,
    order: &'static str,
    pay: &'static str,
    making: &'static str,
    delayed: &'static str,
    your_code: &'static str,
    password: &'static str,
    login: &'static str,
    scan_login: &'static str,
    keep: &'static str,
    sent_wa: &'static str,
    whatsapp: &'static str,
    whatsapp_text: &'static str,
    va: &'static str,
    copy: &'static str,
    copied: &'static str,
    open: &'static str,
    scan: &'static str,
    waiting: &'static str,
    other: &'static str,
    error: &'static str,
    no_methods: &'static str,
    back: &'static str,
}

const ID: Texts = Texts {
    lang: "id",
    title: "Beli voucher internet",
    closed: "Toko voucher online sedang tutup. Silakan beli voucher langsung di tempat kami.",
    counter: "Pembelian online belum tersedia. Beli voucher langsung di kasir kami, atau \
              hubungi kami lewat WhatsApp.",
    choose: "Pilih voucher",
    phone: "Nomor WhatsApp (tidak wajib)",
    phone_hint: "Kode voucher juga kami kirim ke nomor ini.",
    buy: "Beli",
    speed: "Kecepatan",
    empty: "Belum ada voucher yang dijual online.",
    order: "Pesanan",
    pay: "Pilih cara bayar",
    making: "Pembayaran diterima. Voucher Anda sedang dibuat…",
    delayed: "Pembayaran diterima. Router hotspot sedang tidak bisa dihubungi; voucher Anda \
              dibuat otomatis begitu router kembali. Simpan tautan halaman ini.",
    your_code: "Kode voucher Anda",
    password: "Kata sandi",
    login: "Masuk ke hotspot sekarang",
    scan_login: "Atau pindai kode QR ini saat terhubung ke Wi-Fi hotspot.",
    keep: "Simpan tautan halaman ini: kode voucher Anda ada di sini.",
    sent_wa: "Kode juga dikirim ke WhatsApp Anda.",
    whatsapp: "Hubungi kami lewat WhatsApp",
    whatsapp_text: "Halo, saya ingin bertanya tentang voucher",
    va: "Nomor Virtual Account",
    copy: "Salin",
    copied: "Tersalin",
    open: "Lanjutkan ke halaman pembayaran",
    scan: "Pindai kode QRIS ini dengan aplikasi bank atau e-wallet Anda.",
    waiting: "Menunggu pembayaran… halaman ini diperbarui otomatis.",
    other: "Pilih cara lain",
    error: "Maaf, terjadi kesalahan. Coba lagi.",
    no_methods: "Cara bayar online sedang tidak tersedia. Coba lagi sebentar lagi atau beli \
                 di kasir kami.",
    back: "Kembali ke daftar voucher",
};

const EN: Texts = Texts {
    lang: "en",
    title: "Buy an internet voucher",
    closed: "The online voucher shop is closed. Please buy a voucher at our shop.",
    counter: "Online purchase is not available yet. Buy a voucher at our counter, or contact \
              us on WhatsApp.",
    choose: "Choose a voucher",
    phone: "WhatsApp number (optional)",
    phone_hint: "We also send the voucher code to this number.",
    buy: "Buy",
    speed: "Speed",
    empty: "No vouchers are sold online yet.",
    order: "Order",
    pay: "Choose how to pay",
    making: "Payment received. Your voucher is being made…",
    delayed: "Payment received. The hotspot router cannot be reached right now; your voucher is \
              made as soon as it is back. Keep the link to this page.",
    your_code: "Your voucher code",
    password: "Password",
    login: "Log in to the hotspot now",
    scan_login: "Or scan this QR code while connected to the hotspot Wi-Fi.",
    keep: "Keep the link to this page: your voucher code is here.",
    sent_wa: "The code was also sent to your WhatsApp.",
    whatsapp: "Contact us on WhatsApp",
    whatsapp_text: "Hello, I have a question about a voucher",
    va: "Virtual Account number",
    copy: "Copy",
    copied: "Copied",
    open: "Continue to the payment page",
    scan: "Scan this QRIS code with your bank or e-wallet app.",
    waiting: "Waiting for payment… this page updates by itself.",
    other: "Choose another method",
    error: "Sorry, something went wrong. Please try again.",
    no_methods: "Online payment is not available right now. Try again shortly or buy at our \
                 counter.",
    back: "Back to the vouchers",
};

fn texts(lang: Lang) -> &'static Texts {
    if lang == Lang::En {
        &EN
    } else {
        &ID
    }
}

fn doc_lang(lang: Lang) -> DocLang {
    match lang {
        Lang::Id => DocLang::Id,
        Lang::En => DocLang::En,
    }
}

fn page(t: &Texts, lang: Lang, title: &str, body: &str, script: Option<&str>) -> String {
    let (ol, oln) = if lang == Lang::En {
        ("id", "Bahasa Indonesia")
    } else {
        ("en", "English")
    };
    let script = script
        .map(|data| {
            format!(
                "<script type=application/json id=shop-data>{data}</script><script>{JS}</script>"
            )
        })
        .unwrap_or_default();
    format!(
        "<!doctype html><html lang={lang}><head><meta charset=utf-8>\
<meta name=viewport content=\"width=device-width,initial-scale=1\"><title>{title}</title>\
<style>{CSS}</style></head><body><main><p class=lang><a href=\"?lang={ol}\">{oln}</a></p>\
{body}</main>{script}</body></html>",
        lang = t.lang,
        title = esc(title),
    )
}

fn header(name: &str, logo: Option<&str>, fallback: &str) -> String {
    let logo = logo
        .filter(|l| l.starts_with("data:image/"))
        .map(|l| format!("<img src=\"{}\" alt=\"\">", esc(l)))
        .unwrap_or_default();
    let name = if name.trim().is_empty() {
        fallback.to_owned()
    } else {
        esc(name)
    };
    format!("<header>{logo}<h1>{name}</h1></header>")
}

fn whatsapp(t: &Texts, digits: Option<&str>, about: &str) -> String {
    digits
        .map(|d| {
            let text = format!("{} {about}", t.whatsapp_text);
            format!(
                "<a class=\"btn wa\" id=whatsapp href=\"https://wa.me/{}?text={}\" rel=noopener>{}</a>",
                esc(d),
                esc(&urlencoding::encode(text.trim())),
                t.whatsapp
            )
        })
        .unwrap_or_default()
}

fn item_line(t: &Texts, item: &ShopItem, lang: Lang) -> String {
    let speed = if item.rate_limit.trim().is_empty() {
        String::new()
    } else {
        format!(" · {} {}", t.speed, esc(&item.rate_limit))
    };
    format!(
        "<b>{}</b> <span class=fee>{}</span><br><span class=muted>{}{speed}</span>",
        esc(&item.name),
        esc(&format_rupiah(item.price)),
        esc(&item.limits(doc_lang(lang)))
    )
}

/// `/shop`: what is for sale, a form that opens an order (no script needed).
pub fn render_shop(view: &ShopView, lang: Lang, error: Option<&str>) -> String {
    let t = texts(lang);
    let mut body = format!(
        "<div class=card>{}</div>",
        header(&view.business_name, view.logo_data_url.as_deref(), t.title)
    );
    let wa = whatsapp(t, view.business_whatsapp.as_deref(), "");
    if !view.enabled {
        body.push_str(&format!(
            "<div class=card><p id=closed>{}</p>{wa}</div>",
            t.closed
        ));
        return page(t, lang, t.title, &body, None);
    }
    if view.items.is_empty() {
        body.push_str(&format!(
            "<div class=card><p id=closed>{}</p>{wa}</div>",
            t.empty
        ));
        return page(t, lang, t.title, &body, None);
    }
    if let Some(e) = error {
        body.push_str(&format!(
            "<div class=\"card err\" role=alert>{}</div>",
            esc(e)
        ));
    }
    if view.online {
        let items: String = view
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                format!(
                    "<label class=item><input type=radio name=profile_id value=\"{}\"{}>\
                     <span>{}</span></label>",
                    item.id,
                    if i == 0 { " checked" } else { "" },
                    item_line(t, item, lang)
                )
            })
            .collect();
        body.push_str(&format!(
            "<form class=card method=post action=\"/shop/orders?lang={l}\" id=buy><h2>{choose}</h2>{items}\
             <label>{phone}<input name=phone inputmode=tel autocomplete=tel maxlength=20 \
             placeholder=08…></label><p class=muted>{hint}</p>\
             <button type=submit class=\"btn primary\">{buy}</button></form>\
             <div class=card>{wa}</div>",
            l = t.lang,
            choose = t.choose,
            phone = t.phone,
            hint = t.phone_hint,
            buy = t.buy,
        ));
    } else {
        let items: String = view
            .items
            .iter()
            .map(|item| format!("<p class=item>{}</p>", item_line(t, item, lang)))
            .collect();
        body.push_str(&format!(
            "<div class=card><h2>{}</h2>{items}<p id=counter>{}</p>{wa}</div>",
            t.choose, t.counter
        ));
    }
    page(t, lang, t.title, &body, None)
}

/// An order's page: pay, wait, then the code.
pub fn render_order(view: &OrderView, lang: Lang, token: &str) -> String {
    let t = texts(lang);
    let title = format!("{} #{}", t.order, view.number);
    let mut body = format!(
        "<div class=card>{}</div><div class=card><p class=muted>{title}</p><p>{}</p>\
         <p class=amount id=amount>{}</p></div>",
        header(&view.business_name, view.logo_data_url.as_deref(), t.title),
        item_line(t, &view.item, lang),
        esc(&format_rupiah(view.amount)),
    );
    match (view.delivery, &view.voucher) {
        (Delivery::Delivered, Some(v)) => {
            let password = if v.password != v.code {
                format!(
                    "<p class=muted>{}</p><p class=va id=voucher-password>{}</p>",
                    t.password,
                    esc(&v.password)
                )
            } else {
                String::new()
            };
            let qr = qr_svg(&v.login_url)
                .map(|svg| {
                    format!(
                        "<p class=muted>{}</p><div class=qr>{svg}</div>",
                        t.scan_login
                    )
                })
                .unwrap_or_default();
            body.push_str(&format!(
                "<div class=\"card ok\" id=delivered role=status><p class=muted>{}</p>\
                 <p class=\"va code\" id=voucher-code>{}</p>{password}\
                 <a class=\"btn primary\" id=login href=\"{}\" rel=noopener>{}</a>{qr}\
                 <p class=muted>{}{}</p></div>",
                t.your_code,
                esc(&v.code),
                esc(&v.login_url),
                t.login,
                t.keep,
                if view.whatsapp_code {
                    format!(" {}", t.sent_wa)
                } else {
                    String::new()
                },
            ));
        }
        (Delivery::Making, _) | (Delivery::Delivered, None) => {
            body.push_str(&format!(
                "<div class=\"card ok\" id=making role=status><p>{}</p><p class=muted>{}</p></div>",
                t.making, t.keep
            ));
        }
        (Delivery::Delayed, _) => {
            body.push_str(&format!(
                "<div class=card id=delayed role=status><p>{}</p></div>",
                t.delayed
            ));
        }
        (Delivery::AwaitingPayment, _) => {
            let methods: String = view
                .methods
                .iter()
                .map(|m| {
                    format!(
                        "<button type=button class=method data-gateway=\"{}\" data-method=\"{}\">{}{}</button>",
                        esc(&m.gateway),
                        esc(&m.code),
                        esc(&m.name),
                        if m.fee.is_positive() {
                            format!("<span class=fee>+{}</span>", esc(&format_rupiah(m.fee.minor())))
                        } else {
                            String::new()
                        }
                    )
                })
                .collect();
            let none = if view.methods.is_empty() && view.pending.is_none() {
                format!("<p id=no-methods>{}</p>", t.no_methods)
            } else {
                String::new()
            };
            body.push_str(&format!(
                "<div id=choose class=card><h2>{}</h2>{methods}{none}</div>\
                 <div id=instructions class=\"card hidden\"></div><p class=muted>{}</p>",
                t.pay, t.keep
            ));
        }
    }
    body.push_str(&format!(
        "<div class=card>{}<a class=btn href=\"/shop?lang={}\">{}</a></div>",
        whatsapp(
            t,
            view.business_whatsapp.as_deref(),
            &format!("#{}", view.number)
        ),
        t.lang,
        t.back
    ));
    let live = view.delivery != Delivery::Delivered;
    page(
        t,
        lang,
        &title,
        &body,
        Some(&page_data(t, token, view, live)),
    )
}

fn page_data(t: &Texts, token: &str, view: &OrderView, live: bool) -> String {
    let pending = view.pending.as_ref().map(|p| {
        serde_json::json!({
            "payment_url": p.payment_url, "va_number": p.va_number,
            "qr_svg": p.qr_string.as_deref().and_then(qr_svg),
        })
    });
    let value = serde_json::json!({
        "texts": {
            "va": t.va, "copy": t.copy, "copied": t.copied, "open": t.open, "scan": t.scan,
            "waiting": t.waiting, "other": t.other, "error": t.error,
        },
        "token": token,
        "pending": pending,
        "delivery": view.delivery,
        "live": live,
    });
    value.to_string().replace('<', "\\u003c")
}

/// The order page's script: the same shape as the pay page's (choose a method, show the QRIS,
/// VA or link), and a reload when the order's state changes (paid, voucher made).
pub(super) const JS: &str = r#"
const $=id=>document.getElementById(id);
const D=JSON.parse($('shop-data').textContent);const T=D.texts;
function el(tag,cls,text){const e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e}
function show(p){const box=$('instructions');if(!box)return;box.replaceChildren();box.classList.remove('hidden');$('choose').classList.add('hidden');
 if(p.qr_svg){const q=el('div','qr');q.innerHTML=p.qr_svg;box.append(el('p','muted',T.scan),q)}
 if(p.va_number){box.append(el('p','muted',T.va));const v=el('p','va',p.va_number);const b=el('button','btn',T.copy);
  b.onclick=()=>{navigator.clipboard&&navigator.clipboard.writeText(p.va_number);b.textContent=T.copied};box.append(v,b)}
 if(p.payment_url&&!p.qr_svg&&!p.va_number){const a=el('a','btn primary',T.open);a.href=p.payment_url;a.rel='noopener';box.append(a)}
 box.append(el('p','muted',T.waiting));const o=el('button','btn',T.other);o.onclick=()=>{box.classList.add('hidden');$('choose').classList.remove('hidden')};box.append(o)}
document.querySelectorAll('button.method').forEach(b=>b.onclick=async()=>{
 b.disabled=true;try{const r=await fetch(location.pathname.replace(/\/$/,'')+'/payments',{method:'POST',headers:{'content-type':'application/json'},
 body:JSON.stringify({gateway:b.dataset.gateway,method:b.dataset.method})});const j=await r.json();
 if(!r.ok)throw new Error((j.error&&j.error.message)||r.status);show(j)}catch(e){alert(T.error+' '+e.message)}finally{b.disabled=false}});
if(D.pending)show(D.pending);
if(D.live&&window.EventSource){const es=new EventSource(location.pathname.replace(/\/$/,'')+'/events');
 es.addEventListener('status',ev=>{const s=JSON.parse(ev.data);if(s.delivery!==D.delivery){es.close();location.replace(location.pathname+location.search.replace(/[?&]from=gateway/,''))}})}
"#;

fn not_found(lang: Lang) -> Response {
    let t = texts(lang);
    let (title, msg) = if lang == Lang::En {
        (
            "Order not found",
            "This order link is invalid. Check the address you saved.",
        )
    } else {
        (
            "Pesanan tidak ditemukan",
            "Tautan pesanan ini tidak berlaku. Periksa alamat yang Anda simpan.",
        )
    };
    (
        StatusCode::NOT_FOUND,
        Html(page(
            t,
            lang,
            title,
            &format!(
                "<div class=card><h1>{title}</h1><p>{msg}</p><a class=btn href=\"/shop\">{}</a></div>",
                t.back
            ),
            None,
        )),
    )
        .into_response()
}

fn lang_of(q: &LangQuery, headers: &HeaderMap) -> Lang {
    super::pay::lang(q, headers)
}

pub async fn shop_page(
    State(state): State<HttpState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let lang = lang_of(&q, &headers);
    let view = shop::shop_view(&state.ctx).await?;
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Html(render_shop(&view, lang, None)),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct OrderForm {
    pub profile_id: Option<String>,
    pub phone: Option<String>,
}

/// The shop's form: opens an order and sends the buyer to its page (303). A form error
/// shows the shop again with the reason.
pub async fn create_order(
    State(state): State<HttpState>,
    Query(q): Query<LangQuery>,
    ClientAddr(remote): ClientAddr,
    headers: HeaderMap,
    ApiForm(form): ApiForm<OrderForm>,
) -> Result<Response, ApiError> {
    let lang = lang_of(&q, &headers);
    let profile_id = form
        .profile_id
        .as_deref()
        .and_then(|p| p.parse::<Uuid>().ok());
    let result = match profile_id {
        Some(id) => {
            shop::create_order(&state.ctx, id, form.phone.as_deref(), remote.as_deref()).await
        }
        None => Err(billing_app::Error::validation(
            "profile_id",
            "choose a voucher",
        )),
    };
    match result {
        Ok(created) => Ok(Redirect::to(&format!(
            "/shop/o/{}?lang={}",
            created.token,
            texts(lang).lang
        ))
        .into_response()),
        Err(
            err @ (billing_app::Error::Validation { .. } | billing_app::Error::Conflict { .. }),
        ) => {
            let view = shop::shop_view(&state.ctx).await?;
            let message = match (&err, lang) {
                (billing_app::Error::Validation { field: "phone", .. }, Lang::Id) => {
                    "Nomor WhatsApp tidak valid. Tulis nomor HP Indonesia, mis. 0812…".to_owned()
                }
                (
                    billing_app::Error::Validation {
                        field: "profile_id",
                        ..
                    },
                    Lang::Id,
                ) => "Pilih voucher yang dijual.".to_owned(),
                (billing_app::Error::Conflict { .. }, Lang::Id) => {
                    "Pesanan belum bisa dibuat sekarang. Coba lagi nanti atau beli di kasir kami."
                        .to_owned()
                }
                (e, _) => e.to_string(),
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Html(render_shop(&view, lang, Some(&message))),
            )
                .into_response())
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct OrderQuery {
    pub lang: Option<String>,
    /// Set when the gateway sent the buyer back: the payment is checked at once.
    pub from: Option<String>,
}

pub async fn order_page(
    State(state): State<HttpState>,
    Path(token): Path<String>,
    Query(q): Query<OrderQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let lang = lang_of(&LangQuery { lang: q.lang }, &headers);
    if q.from.as_deref() == Some("gateway") {
        if let Err(err) = shop::check_now(&state.ctx, &token).await {
            tracing::debug!(error = %err, "checking the order's payment on return");
        }
    }
    match shop::order_view(&state.ctx, &token, true).await {
        Ok(view) => Ok((
            [
                (header::CACHE_CONTROL, "no-store".to_owned()),
                // This page's own script, not the pay page's (the listener's default).
                (header::CONTENT_SECURITY_POLICY, super::page::policy_for(JS)),
            ],
            Html(render_order(&view, lang, &token)),
        )
            .into_response()),
        Err(billing_app::Error::NotFound(_)) => Ok(not_found(lang)),
        Err(err) => Err(err.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct StartRequest {
    pub gateway: String,
    pub method: String,
}

#[derive(Debug, Serialize)]
pub struct StartResponse {
    #[serde(flatten)]
    pub payment: OrderPayment,
    /// The QRIS payload drawn as an SVG, when the method is QRIS.
    pub qr_svg: Option<String>,
}

pub async fn start(
    State(state): State<HttpState>,
    Path(token): Path<String>,
    ApiJson(body): ApiJson<StartRequest>,
) -> Result<Json<StartResponse>, ApiError> {
    let payment = shop::start_payment(&state.ctx, &token, &body.gateway, &body.method).await?;
    let qr_svg = payment.qr_string.as_deref().and_then(qr_svg);
    Ok(Json(StartResponse { payment, qr_svg }))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderStatus {
    pub status: String,
    pub delivery: Delivery,
    /// Once delivered.
    pub code: Option<String>,
}

async fn current(state: &HttpState, token: &str) -> Result<OrderStatus, ApiError> {
    let view = shop::order_view(&state.ctx, token, false).await?;
    Ok(OrderStatus {
        status: view.status,
        delivery: view.delivery,
        code: view.voucher.map(|v| v.code),
    })
}

pub async fn status(
    State(state): State<HttpState>,
    Path(token): Path<String>,
) -> Result<Json<OrderStatus>, ApiError> {
    Ok(Json(current(&state, &token).await?))
}

/// The order's state live: an event at once, then whenever it changes (on the shop's events,
/// and every few seconds in case one was missed); ends once the voucher is delivered.
pub async fn events(
    State(state): State<HttpState>,
    Path(token): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let first = current(&state, &token).await?;
    let rx = state.ctx.events.subscribe();
    let stream = futures::stream::unfold(
        (Some(first), state, token, rx, None::<OrderStatus>),
        |(pending, state, token, mut rx, mut last)| async move {
            if let Some(status) = pending {
                let event = Event::default().event("status").json_data(&status).ok()?;
                last = Some(status);
                return Some((Ok(event), (None, state, token, rx, last)));
            }
            if last
                .as_ref()
                .is_some_and(|l| l.delivery == Delivery::Delivered)
            {
                return None;
            }
            loop {
                tokio::select! {
                    ev = rx.recv() => match ev {
                        // Only the shop's own events can change an order.
                        Ok(BillingEvent::ShopOrderPaid { .. } | BillingEvent::ShopOrderChanged { .. })
                        | Err(RecvError::Lagged(_)) => {}
                        Ok(_) => continue,
                        Err(RecvError::Closed) => return None,
                    },
                    _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                }
                let Ok(now) = current(&state, &token).await else {
                    return None;
                };
                if Some(&now) != last.as_ref() {
                    let event = Event::default().event("status").json_data(&now).ok()?;
                    last = Some(now);
                    return Some((Ok(event), (None, state, token, rx, last)));
                }
            }
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
