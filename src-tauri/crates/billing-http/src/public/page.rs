//! The pay page: one small server-rendered HTML document (no dashboard bundle), usable on
//! a 360 px phone, Indonesian by default with English.

use billing_app::online::{PayPage, PaymentInstructions};
use billing_documents::{escape_html as esc, format_date_id, format_rupiah, Lang as DocLang};
use billing_domain::InvoiceStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Id,
    En,
}

struct Texts {
    lang: &'static str,
    title: &'static str,
    invoice: &'static str,
    period: &'static str,
    due: &'static str,
    owed: &'static str,
    paid_badge: &'static str,
    paid_msg: &'static str,
    choose: &'static str,
    transfer: &'static str,
    va: &'static str,
    copy: &'static str,
    copied: &'static str,
    open: &'static str,
    scan: &'static str,
    waiting: &'static str,
    other: &'static str,
    error: &'static str,
    proof_title: &'static str,
    proof_amount: &'static str,
    proof_payer: &'static str,
    proof_file: &'static str,
    proof_send: &'static str,
    proof_sent: &'static str,
    transfer_only: &'static str,
    counter: &'static str,
    whatsapp: &'static str,
    whatsapp_text: &'static str,
    phone: &'static str,
}

const ID: Texts = Texts {
    lang: "id",
    title: "Pembayaran tagihan",
    invoice: "Nomor tagihan",
    period: "Periode",
    due: "Jatuh tempo",
    owed: "Sisa yang harus dibayar",
    paid_badge: "LUNAS",
    paid_msg: "Terima kasih, pembayaran sudah diterima.",
    choose: "Pilih cara bayar",
    transfer: "Atau transfer manual ke:",
    va: "Nomor Virtual Account",
    copy: "Salin",
    copied: "Tersalin",
    open: "Lanjutkan ke halaman pembayaran",
    scan: "Pindai kode QRIS ini dengan aplikasi bank atau e-wallet Anda.",
    waiting: "Menunggu pembayaran… halaman ini diperbarui otomatis.",
    other: "Pilih cara lain",
    error: "Maaf, terjadi kesalahan. Coba lagi.",
    proof_title: "Sudah transfer? Kirim bukti transfer:",
    proof_amount: "Jumlah yang ditransfer",
    proof_payer: "Nama pemilik rekening pengirim",
    proof_file: "Foto/tangkapan layar bukti transfer",
    proof_send: "Kirim bukti",
    proof_sent: "Bukti terkirim. Pembayaran akan dikonfirmasi oleh admin.",
    transfer_only: "Bayar dengan transfer ke rekening berikut:",
    counter: "Pembayaran online belum tersedia. Silakan bayar langsung di kantor kami, \
              atau hubungi kami untuk cara bayar lainnya.",
    whatsapp: "Hubungi kami lewat WhatsApp",
    whatsapp_text: "Halo, saya ingin menanyakan tagihan",
    phone: "Telepon",
};

const EN: Texts = Texts {
    lang: "en",
    title: "Invoice payment",
    invoice: "Invoice number",
    period: "Period",
    due: "Due date",
    owed: "Amount to pay",
    paid_badge: "PAID",
    paid_msg: "Thank you, your payment has been received.",
    choose: "Choose how to pay",
    transfer: "Or transfer manually to:",
    va: "Virtual Account number",
    copy: "Copy",
    copied: "Copied",
    open: "Continue to the payment page",
    scan: "Scan this QRIS code with your bank or e-wallet app.",
    waiting: "Waiting for payment… this page updates by itself.",
    other: "Choose another method",
    error: "Sorry, something went wrong. Please try again.",
    proof_title: "Already transferred? Send the proof:",
    proof_amount: "Amount transferred",
    proof_payer: "Name on the sending account",
    proof_file: "Photo or screenshot of the transfer",
    proof_send: "Send proof",
    proof_sent: "Proof sent. The payment will be confirmed by the admin.",
    transfer_only: "Pay by transfer to this account:",
    counter: "Online payment is not available yet. Please pay at our office, or contact us \
              for other ways to pay.",
    whatsapp: "Contact us on WhatsApp",
    whatsapp_text: "Hello, I have a question about invoice",
    phone: "Phone",
};

pub(super) const CSS: &str =
    "*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,\
'Segoe UI',Roboto,sans-serif;background:#f3f5f7;color:#1b1f24}main{max-width:480px;margin:0 auto;\
padding:16px}.card{background:#fff;border-radius:12px;padding:16px;margin-bottom:12px;\
box-shadow:0 1px 3px rgba(0,0,0,.08)}header{display:flex;align-items:center;gap:12px}\
header img{max-height:48px;max-width:96px}h1{font-size:18px;margin:0}dl{display:grid;\
grid-template-columns:auto 1fr;gap:6px 12px;margin:0}dt{color:#5c6670}dd{margin:0;\
text-align:right;font-weight:600}.amount{font-size:28px;font-weight:700;text-align:center;\
margin:8px 0}.badge{display:inline-block;background:#12b886;color:#fff;border-radius:6px;\
padding:4px 10px;font-weight:700}button,.btn{display:block;width:100%;padding:12px;margin:6px 0;\
border:1px solid #d0d7de;border-radius:8px;background:#fff;font-size:15px;text-align:left;\
cursor:pointer;color:inherit;text-decoration:none}.btn.primary{background:#12b886;color:#fff;\
border:0;text-align:center}.fee{float:right;color:#5c6670;font-size:13px}.va{font-size:22px;\
font-weight:700;letter-spacing:1px;text-align:center}.qr svg{display:block;margin:0 auto;\
max-width:100%;height:auto}.muted{color:#5c6670;font-size:13px}.lang{text-align:right;\
font-size:13px}.hidden{display:none}.ok{text-align:center}label{display:block;font-size:13px;\
color:#5c6670;margin:8px 0}input{display:block;width:100%;padding:10px;margin-top:4px;border:1px \
solid #d0d7de;border-radius:8px;font-size:15px}h2{font-size:16px}.spaced{margin-top:12px}\
.contact p{margin:4px 0}.btn.wa{background:#25d366;color:#fff;border:0;text-align:center;\
font-weight:600}.item{display:flex;gap:10px;align-items:flex-start;padding:10px;margin:6px 0;\
border:1px solid #d0d7de;border-radius:8px;color:inherit;font-size:15px}.item input{width:auto;\
margin:3px 0 0}.item span{flex:1}.code{font-size:30px;letter-spacing:3px}.err{color:#c92a2a}";

fn doc_lang(lang: Lang) -> DocLang {
    match lang {
        Lang::Id => DocLang::Id,
        Lang::En => DocLang::En,
    }
}

pub fn render(view: &PayPage, token: &str, lang: Lang) -> String {
    let t = if lang == Lang::En { &EN } else { &ID };
    let dl = doc_lang(lang);
    let logo = view
        .logo_data_url
        .as_deref()
        .filter(|l| l.starts_with("data:image/"))
        .map(|l| format!("<img src=\"{}\" alt=\"\">", esc(l)))
        .unwrap_or_default();
    let paid = view.owed.is_zero() && view.status == InvoiceStatus::Paid;
    let methods: String = view
        .methods
        .iter()
        .map(|m| {
            format!(
                "<button type=button class=method data-gateway=\"{}\" data-method=\"{}\">{}{}</button>",
                esc(&m.gateway),
                esc(&m.code),
                esc(&m.name),
                if m.fee.is_positive() { format!("<span class=fee>+{}</span>", esc(&format_rupiah(m.fee.minor()))) } else { String::new() }
            )
        })
        .collect();
    let banks: String = view
        .bank_accounts
        .iter()
        .map(|b| {
            format!(
                "<p><b>{}</b> {} <span class=muted>a.n. {}</span></p>",
                esc(&b.bank),
                esc(&b.number),
                esc(&b.holder)
            )
        })
        .collect();
    let no_methods = view.methods.is_empty() && view.pending.is_none();
    let wa = view
        .business_whatsapp
        .as_deref()
        .map(|digits| {
            let text = format!("{} {}", t.whatsapp_text, view.invoice_number);
            format!(
                "<a class=\"btn wa\" id=whatsapp href=\"https://wa.me/{}?text={}\" \
                 rel=noopener>{}</a>",
                esc(digits),
                esc(&urlencoding::encode(&text)),
                t.whatsapp
            )
        })
        .unwrap_or_default();
    let address = if view.business_address.trim().is_empty() {
        String::new()
    } else {
        format!("<p>{}</p>", esc(&view.business_address))
    };
    let phone = if view.business_phone.trim().is_empty() {
        String::new()
    } else {
        format!(
            "<p>{}: <a href=\"tel:{}\">{}</a></p>",
            t.phone,
            esc(&view.business_phone.replace([' ', '-', '.'], "")),
            esc(&view.business_phone)
        )
    };
    let contact = format!("<div class=\"contact muted\" id=contact>{address}{phone}</div>{wa}");
    // Without a gateway's methods: transfer to the shop's accounts when it has any, else pay at
    // the counter or contact the shop. Never only "not available".
    let none = match (no_methods, view.bank_accounts.is_empty()) {
        (true, true) => format!("<p id=counter>{}</p>", t.counter),
        _ => String::new(),
    };
    let other_lang = if lang == Lang::En {
        ("id", "Bahasa Indonesia")
    } else {
        ("en", "English")
    };
    format!(
        "<!doctype html><html lang={lang}><head><meta charset=utf-8>\
<meta name=viewport content=\"width=device-width,initial-scale=1\"><title>{title} {number}</title>\
<style>{CSS}</style></head><body><main>\
<p class=lang><a href=\"?lang={ol}\">{oln}</a></p>\
<div class=card><header>{logo}<h1>{business}</h1></header>{contact}</div>\
<div class=card><dl><dt>{l_invoice}</dt><dd>{number}</dd><dt>{l_period}</dt><dd>{period}</dd>\
<dt>{l_due}</dt><dd>{due}</dd></dl>\
<p class=\"muted spaced\">{customer}</p>\
<div id=owed class=\"{owed_class}\"><p class=\"muted ok\">{l_owed}</p>\
<p class=amount id=amount>{owed}</p></div>\
<div id=paid class=\"ok {paid_class}\" role=status><p><span class=badge>{paid_badge}</span></p><p>{paid_msg}</p></div></div>\
<div id=choose class=\"card {choose_class}\"><h2>{l_choose}</h2>{methods}{none}</div>\
<div id=instructions class=\"card hidden\"></div>\
<div class=\"card {banks_class}\"><p class=muted>{l_transfer}</p>{banks}\
<form id=proof><p class=muted>{proof_title}</p>\
<label>{proof_amount}<input name=amount inputmode=numeric required value=\"{owed_plain}\"></label>\
<label>{proof_payer}<input name=payer_name required maxlength=100></label>\
<label>{proof_file}<input name=proof type=file accept=\"image/png,image/jpeg,image/webp\" required></label>\
<button type=submit class=\"btn primary\">{proof_send}</button></form>\
<p id=proof-sent class=\"ok hidden\" role=status>{proof_sent}</p></div>\
</main><script type=application/json id=pay-data>{data}</script><script>{js}</script>\
</body></html>",
        lang = t.lang,
        title = t.title,
        number = esc(&view.invoice_number),
        ol = other_lang.0,
        oln = other_lang.1,
        business = if view.business_name.trim().is_empty() {
            t.title.to_owned()
        } else {
            esc(&view.business_name)
        },
        l_invoice = t.invoice,
        l_period = t.period,
        period = esc(&format!("{} – {}", format_date_id(view.period_start, dl), format_date_id(view.period_end, dl))),
        l_due = t.due,
        due = esc(&format_date_id(view.due_on, dl)),
        customer = esc(&view.customer_name),
        owed_class = if paid { "hidden" } else { "" },
        l_owed = t.owed,
        owed = esc(&format_rupiah(view.owed.minor())),
        paid_class = if paid { "" } else { "hidden" },
        paid_badge = t.paid_badge,
        paid_msg = t.paid_msg,
        choose_class = if paid || view.owed.is_zero() || (no_methods && none.is_empty()) { "hidden" } else { "" },
        l_choose = t.choose,
        none = none,
        banks_class = if paid || view.bank_accounts.is_empty() { "hidden" } else { "" },
        l_transfer = if no_methods { t.transfer_only } else { t.transfer },
        proof_title = t.proof_title,
        proof_amount = t.proof_amount,
        proof_payer = t.proof_payer,
        proof_file = t.proof_file,
        proof_send = t.proof_send,
        proof_sent = t.proof_sent,
        owed_plain = view.owed,
        data = page_data(t, token, view.pending.as_ref()),
        js = JS,
    )
}

/// What the script needs (texts, the link's token, a payment already chosen) as a JSON data
/// block: data, not code, so the script itself is the same on every page and the CSP can
/// allow exactly it by its hash.
fn page_data(t: &Texts, token: &str, pending: Option<&PaymentInstructions>) -> String {
    let pending = pending.map(|p| {
        serde_json::json!({
            "payment_url": p.payment_url, "va_number": p.va_number,
            "qr_svg": p.qr_string.as_deref().and_then(super::pay::qr_svg),
        })
    });
    let value = serde_json::json!({
        "texts": {
            "va": t.va, "copy": t.copy, "copied": t.copied, "open": t.open, "scan": t.scan,
            "waiting": t.waiting, "other": t.other, "error": t.error,
        },
        "token": token,
        "pending": pending,
    });
    // `<` appears only inside JSON strings, where `\u003c` means the same; nothing in the
    // data can end the script element or open a comment.
    value.to_string().replace('<', "\\u003c")
}

const JS: &str = r#"
const $=id=>document.getElementById(id);
const DATA=JSON.parse($('pay-data').textContent);const T=DATA.texts;const TOKEN=DATA.token;let current=DATA.pending;
function el(tag,cls,text){const e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e}
function show(p){const box=$('instructions');box.replaceChildren();box.classList.remove('hidden');$('choose').classList.add('hidden');
 if(p.qr_svg){const q=el('div','qr');q.innerHTML=p.qr_svg;box.append(el('p','muted',T.scan),q)}
 if(p.va_number){box.append(el('p','muted',T.va));const v=el('p','va',p.va_number);const b=el('button','btn',T.copy);
  b.onclick=()=>{navigator.clipboard&&navigator.clipboard.writeText(p.va_number);b.textContent=T.copied};box.append(v,b)}
 if(p.payment_url&&!p.qr_svg&&!p.va_number){const a=el('a','btn primary',T.open);a.href=p.payment_url;a.rel='noopener';box.append(a)}
 box.append(el('p','muted',T.waiting));const o=el('button','btn',T.other);o.onclick=()=>{box.classList.add('hidden');$('choose').classList.remove('hidden')};box.append(o)}
document.querySelectorAll('button.method').forEach(b=>b.onclick=async()=>{
 b.disabled=true;try{const r=await fetch(location.pathname.replace(/\/$/,'')+'/payments',{method:'POST',headers:{'content-type':'application/json'},
 body:JSON.stringify({gateway:b.dataset.gateway,method:b.dataset.method})});const j=await r.json();
 if(!r.ok)throw new Error((j.error&&j.error.message)||r.status);current=j;show(j)}catch(e){alert(T.error+' '+e.message)}finally{b.disabled=false}});
if(current)show(current);
const pf=$('proof');if(pf)pf.onsubmit=async(ev)=>{ev.preventDefault();const b=pf.querySelector('button');b.disabled=true;
 try{const r=await fetch(location.pathname.replace(/\/$/,'')+'/manual',{method:'POST',body:new FormData(pf)});const j=await r.json();
 if(!r.ok)throw new Error((j.error&&j.error.message)||r.status);pf.classList.add('hidden');$('proof-sent').classList.remove('hidden')}
 catch(e){alert(T.error+' '+e.message)}finally{b.disabled=false}};
function paid(){$('owed').classList.add('hidden');$('choose').classList.add('hidden');$('instructions').classList.add('hidden');$('paid').classList.remove('hidden')}
if(window.EventSource){const es=new EventSource(location.pathname.replace(/\/$/,'')+'/events');
 es.addEventListener('status',ev=>{const s=JSON.parse(ev.data);if(s.status==='paid'){paid();es.close()}})}
"#;

/// The page a gateway sends the customer back to (no script).
pub fn returned() -> String {
    format!(
        "<!doctype html><html lang=id><head><meta charset=utf-8><meta name=viewport \
         content=\"width=device-width,initial-scale=1\"><title>mikrobill</title>\
         <style>{CSS}</style></head><body><main><div class=card><h2>Terima kasih</h2>\
         <p>Status pembayaran akan diperbarui otomatis. Anda boleh menutup halaman ini.</p>\
         <p lang=en>Thank you. The payment status updates automatically; you may close this \
         page.</p></div></main></body></html>"
    )
}

/// The Content-Security-Policy of the public listener: the one script and the one style
/// sheet the pages carry are allowed by their SHA-256 hashes; nothing else inline runs
/// (no `'unsafe-inline'`), no other origin is contacted, and no page may be framed.
pub fn content_security_policy() -> String {
    policy_for(JS)
}

/// The same policy for a page whose one script is `script` (the shop's order page).
pub(super) fn policy_for(script: &str) -> String {
    format!(
        "default-src 'none'; script-src '{}'; style-src '{}'; img-src 'self' data: https:; \
         connect-src 'self'; form-action 'self' https:; frame-ancestors 'none'; \
         base-uri 'none'",
        csp_hash(script),
        csp_hash(CSS)
    )
}

fn csp_hash(source: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(source.as_bytes());
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

pub fn not_found(lang: Lang) -> String {
    let (title, body) = match lang {
        Lang::En => (
            "Link not found",
            "This payment link is invalid or has expired. Ask for a new one.",
        ),
        Lang::Id => (
            "Tautan tidak ditemukan",
            "Tautan pembayaran ini tidak berlaku atau sudah kedaluwarsa. Mintalah tautan baru.",
        ),
    };
    format!(
        "<!doctype html><html><head><meta charset=utf-8><meta name=viewport \
         content=\"width=device-width,initial-scale=1\"><title>{title}</title><style>{CSS}</style>\
         </head><body><main><div class=card><h1>{title}</h1><p>{body}</p></div></main></body></html>"
    )
}
