//! The online voucher shop (`/shop` on the public listener): the profiles the owner put on
//! sale, orders, and the voucher of each paid order.
//!
//! Exactly once: the order is paid by `online::orders` (callbacks and polling, applied once);
//! its voucher is then made here as a one-voucher batch that names the order. A unique index
//! allows one batch per order that is not `failed`, so the event listener, the job and the
//! owner's "send now" can all try at once and one voucher comes out. The code is shown to the
//! holder of the order's link only once the voucher is on the router and in the database; a
//! router that cannot be reached leaves the order paid and waiting, tried again each minute
//! (less often as it keeps failing) and raised as an alert after the shop's set time.

use std::collections::HashMap;

use base64::Engine as _;
use billing_documents::Lang;
use billing_domain::Money;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use serde::Serialize;
use uuid::Uuid;

use super::batches::{self, Actor, BatchInput};
use super::print::{limits_text, login_url};
use crate::events::{publish, BillingEvent};
use crate::messaging::{enqueue_in, NewMessage, Priority};
use crate::online::orders::{self, OrderCharge, OrderPayment};
use crate::online::{available_methods, MethodOption};
use crate::{AppContext, Error};

/// The name the shop's batches are made under.
pub const SHOP_ACTOR: &str = "Toko online";

/// At most this many unpaid orders per client address per hour (a bot cannot fill the table).
const OPEN_ORDERS_PER_ADDRESS: i64 = 20;

// ---------------------------------------------------------------------------------------
// Settings

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ShopSettings {
    /// The shop takes orders.
    pub enabled: bool,
    /// The router the shop's vouchers are made on.
    pub router_id: Option<Uuid>,
    /// A paid order not delivered within this many minutes raises an alert.
    pub alert_minutes: i32,
    /// The shop's page on the public address (`…/shop`).
    #[sqlx(skip)]
    pub url: String,
    /// What keeps the shop from selling online right now, if anything: `disabled`,
    /// `no_router`, `nothing_for_sale` or `no_gateway` (then it shows how to buy at the
    /// counter).
    #[sqlx(skip)]
    pub closed_reason: Option<String>,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct ShopSettingsInput {
    pub enabled: bool,
    pub router_id: Option<Uuid>,
    pub alert_minutes: i32,
}

pub async fn settings(ctx: &AppContext) -> Result<ShopSettings, Error> {
    let mut s: ShopSettings = sqlx::query_as(
        "select shop_enabled as enabled, shop_router_id as router_id, \
         shop_alert_minutes as alert_minutes from business_profile",
    )
    .fetch_one(&ctx.pool)
    .await?;
    let mut conn = ctx.pool.acquire().await?;
    s.url = format!("{}/shop", crate::online::public_base(&mut conn, ctx).await?);
    drop(conn);
    s.closed_reason = closed_reason(ctx, &s).await?;
    Ok(s)
}

async fn closed_reason(ctx: &AppContext, s: &ShopSettings) -> Result<Option<String>, Error> {
    if !s.enabled {
        return Ok(Some("disabled".into()));
    }
    if s.router_id.is_none() {
        return Ok(Some("no_router".into()));
    }
    let for_sale: bool = sqlx::query_scalar(
        "select exists (select 1 from voucher_profiles where for_sale and active)",
    )
    .fetch_one(&ctx.pool)
    .await?;
    if !for_sale {
        return Ok(Some("nothing_for_sale".into()));
    }
    if ctx.gateways.all().is_empty() {
        return Ok(Some("no_gateway".into()));
    }
    Ok(None)
}

pub async fn update_settings(
    ctx: &AppContext,
    input: ShopSettingsInput,
) -> Result<ShopSettings, Error> {
    if !(1..=1440).contains(&input.alert_minutes) {
        return Err(Error::validation(
            "alert_minutes",
            "the alert time is 1 to 1440 minutes",
        ));
    }
    if let Some(id) = input.router_id {
        let known: bool = sqlx::query_scalar("select exists (select 1 from routers where id = $1)")
            .bind(id)
            .fetch_one(&ctx.pool)
            .await?;
        if !known {
            return Err(Error::validation("router_id", "no such router"));
        }
    }
    if input.enabled && input.router_id.is_none() {
        return Err(Error::validation(
            "router_id",
            "choose the router the shop's vouchers are made on",
        ));
    }
    sqlx::query(
        "update business_profile set shop_enabled = $1, shop_router_id = $2, \
         shop_alert_minutes = $3",
    )
    .bind(input.enabled)
    .bind(input.router_id)
    .bind(input.alert_minutes)
    .execute(&ctx.pool)
    .await?;
    settings(ctx).await
}

// ---------------------------------------------------------------------------------------
// The buyer's pages

/// The shop as a buyer sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ShopView {
    pub business_name: String,
    pub business_address: String,
    pub business_phone: String,
    /// The shop's phone as WhatsApp digits (`62…`), when it is a mobile number.
    pub business_whatsapp: Option<String>,
    pub logo_data_url: Option<String>,
    /// Orders can be paid online now; otherwise `items` are the counter's price list.
    pub online: bool,
    /// The shop is switched on (else the page only says it is closed).
    pub enabled: bool,
    pub items: Vec<ShopItem>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ShopItem {
    pub id: Uuid,
    pub name: String,
    pub price: i64,
    pub validity_secs: Option<i64>,
    pub uptime_limit_secs: Option<i64>,
    pub quota_bytes: Option<i64>,
    pub rate_limit: String,
}

impl ShopItem {
    /// "1 hari · 2 GB" in the buyer's language.
    pub fn limits(&self, lang: Lang) -> String {
        limits_text(
            self.validity_secs,
            self.uptime_limit_secs,
            self.quota_bytes,
            lang,
        )
    }
}

const ITEM: &str = "select id, name, price, validity_secs, uptime_limit_secs, quota_bytes, \
    rate_limit from voucher_profiles";

pub async fn shop_view(ctx: &AppContext) -> Result<ShopView, Error> {
    let s = settings_row(ctx).await?;
    let items: Vec<ShopItem> = if s.enabled {
        sqlx::query_as(&format!(
            "{ITEM} where for_sale and active and price > 0 order by price, name"
        ))
        .fetch_all(&ctx.pool)
        .await?
    } else {
        Vec::new()
    };
    let business = crate::billing::business::get(ctx).await?;
    Ok(ShopView {
        business_whatsapp: billing_domain::PhoneNumber::parse(&business.phone)
            .ok()
            .map(|p| p.as_str().to_owned()),
        business_name: business.name,
        business_address: business.address,
        business_phone: business.phone,
        logo_data_url: business.logo_data_url,
        online: s.enabled
            && s.router_id.is_some()
            && !items.is_empty()
            && !ctx.gateways.all().is_empty(),
        enabled: s.enabled,
        items,
    })
}

async fn settings_row(ctx: &AppContext) -> Result<ShopSettings, Error> {
    Ok(sqlx::query_as(
        "select shop_enabled as enabled, shop_router_id as router_id, \
         shop_alert_minutes as alert_minutes from business_profile",
    )
    .fetch_one(&ctx.pool)
    .await?)
}

/// A new order: the link to its page (keep it; it is the only way back to the code).
#[derive(Debug, Clone, Serialize)]
pub struct CreatedOrder {
    pub order_id: Uuid,
    pub number: i64,
    /// The secret part of the order's page address (`/shop/o/{token}`).
    pub token: String,
}

/// The buyer chose a voucher. `phone` (optional) receives the code by WhatsApp.
pub async fn create_order(
    ctx: &AppContext,
    profile_id: Uuid,
    phone: Option<&str>,
    remote_addr: Option<&str>,
) -> Result<CreatedOrder, Error> {
    let phone = match phone.map(str::trim).filter(|p| !p.is_empty()) {
        Some(raw) => Some(
            billing_domain::PhoneNumber::parse(raw)
                .map_err(|_| {
                    Error::validation(
                        "phone",
                        "the WhatsApp number is not a valid Indonesian mobile number",
                    )
                })?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    let s = settings_row(ctx).await?;
    let (true, Some(router_id)) = (s.enabled, s.router_id) else {
        return Err(Error::conflict("the online shop is closed"));
    };
    if ctx.gateways.all().is_empty() {
        return Err(Error::conflict(
            "online payment is not available; buy the voucher at the counter",
        ));
    }
    let item: ShopItem = sqlx::query_as(&format!(
        "{ITEM} where id = $1 and for_sale and active and price > 0"
    ))
    .bind(profile_id)
    .fetch_optional(&ctx.pool)
    .await?
    .ok_or_else(|| Error::validation("profile_id", "this voucher is not for sale"))?;
    let now = ctx.clock.now();
    if let Some(addr) = remote_addr {
        let recent: i64 = sqlx::query_scalar(
            "select count(*) from shop_orders where remote_addr = $1 and status = 'open' \
             and created_at > $2",
        )
        .bind(addr)
        .bind(now - Duration::hours(1))
        .fetch_one(&ctx.pool)
        .await?;
        if recent >= OPEN_ORDERS_PER_ADDRESS {
            return Err(Error::conflict(
                "too many unpaid orders from this address; pay one or try again in an hour",
            ));
        }
    }
    let mut raw = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
    let id = Uuid::now_v7();
    let number: i64 = sqlx::query_scalar(
        "insert into shop_orders (id, profile_id, router_id, amount, buyer_phone, token_hash, \
                                  remote_addr, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning number",
    )
    .bind(id)
    .bind(item.id)
    .bind(router_id)
    .bind(item.price)
    .bind(&phone)
    .bind(crate::online::token_hash(&token))
    .bind(remote_addr)
    .bind(now)
    .fetch_one(&ctx.pool)
    .await?;
    tracing::info!(order = number, profile = %item.name, "shop order opened");
    Ok(CreatedOrder {
        order_id: id,
        number,
        token,
    })
}

/// Where the order's voucher is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Not paid yet.
    AwaitingPayment,
    /// Paid; the voucher is being made.
    Making,
    /// Paid; the router could not be reached yet. It is made when it answers.
    Delayed,
    /// The voucher is on the router.
    Delivered,
}

/// The voucher of a delivered order.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveredVoucher {
    pub code: String,
    pub password: String,
    /// Signs the voucher in with one tap on the hotspot (and is its QR code).
    pub login_url: String,
}

/// The order's page.
#[derive(Debug, Clone, Serialize)]
pub struct OrderView {
    pub order_id: Uuid,
    pub number: i64,
    pub item: ShopItem,
    pub amount: i64,
    /// open or paid.
    pub status: String,
    pub delivery: Delivery,
    pub voucher: Option<DeliveredVoucher>,
    /// The payment the buyer chose and is waiting for.
    pub pending: Option<OrderPayment>,
    /// The gateways' methods for the amount (only while open, and only when asked for).
    pub methods: Vec<MethodOption>,
    /// The buyer gave a WhatsApp number: the code is sent there too.
    pub whatsapp_code: bool,
    pub business_name: String,
    pub business_whatsapp: Option<String>,
    pub logo_data_url: Option<String>,
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: Uuid,
    number: i64,
    profile_id: Uuid,
    amount: i64,
    status: String,
    voucher_id: Option<Uuid>,
    delivery_attempts: i32,
    delivery_error: Option<String>,
    buyer_phone: Option<String>,
}

const ORDER: &str = "select id, number, profile_id, amount, status, voucher_id, \
    delivery_attempts, delivery_error, buyer_phone from shop_orders";

async fn resolve(ctx: &AppContext, token: &str) -> Result<OrderRow, Error> {
    if token.len() < 20 || token.len() > 64 {
        return Err(Error::NotFound("order"));
    }
    sqlx::query_as(&format!("{ORDER} where token_hash = $1"))
        .bind(crate::online::token_hash(token))
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("order"))
}

/// The order's page by its link; with the gateways' methods when `with_methods` (the live
/// status asks without).
pub async fn order_view(
    ctx: &AppContext,
    token: &str,
    with_methods: bool,
) -> Result<OrderView, Error> {
    let o = resolve(ctx, token).await?;
    let item: ShopItem = sqlx::query_as(&format!("{ITEM} where id = $1"))
        .bind(o.profile_id)
        .fetch_one(&ctx.pool)
        .await?;
    let voucher = match o.voucher_id {
        Some(v) => Some(voucher_of(ctx, v).await?),
        None => None,
    };
    let delivery = match (o.status.as_str(), &voucher) {
        ("open", _) => Delivery::AwaitingPayment,
        (_, Some(_)) => Delivery::Delivered,
        _ if o.delivery_attempts > 0 && o.delivery_error.is_some() => Delivery::Delayed,
        _ => Delivery::Making,
    };
    let pending = if o.status == "open" {
        orders::waiting_payment(ctx, o.id).await?
    } else {
        None
    };
    let mut methods = Vec::new();
    if with_methods && o.status == "open" {
        let (available, unavailable) = available_methods(ctx, Money::from_minor(o.amount)).await?;
        methods = available;
        for (gateway, err) in unavailable {
            tracing::warn!(gateway, error = %err, "payment methods unavailable");
        }
    }
    let business = crate::billing::business::get(ctx).await?;
    Ok(OrderView {
        order_id: o.id,
        number: o.number,
        item,
        amount: o.amount,
        status: o.status,
        delivery,
        voucher,
        pending,
        methods,
        whatsapp_code: o.buyer_phone.is_some(),
        business_whatsapp: billing_domain::PhoneNumber::parse(&business.phone)
            .ok()
            .map(|p| p.as_str().to_owned()),
        business_name: business.name,
        logo_data_url: business.logo_data_url,
    })
}

async fn voucher_of(ctx: &AppContext, voucher_id: Uuid) -> Result<DeliveredVoucher, Error> {
    let (code, sealed, base): (String, Option<Vec<u8>>, String) = sqlx::query_as(
        "select v.code, v.password, (select hotspot_login_url from business_profile) \
         from vouchers v where v.id = $1",
    )
    .bind(voucher_id)
    .fetch_one(&ctx.pool)
    .await?;
    let password = match sealed {
        Some(s) => ctx
            .cipher
            .open(&s)
            .map_err(|e| Error::Unexpected(anyhow::anyhow!("voucher password: {e}")))?,
        None => code.clone(),
    };
    Ok(DeliveredVoucher {
        login_url: login_url(&base, &code, Some(&password)),
        code,
        password,
    })
}

/// The buyer chose a method on the order's page.
pub async fn start_payment(
    ctx: &AppContext,
    token: &str,
    gateway: &str,
    method: &str,
) -> Result<OrderPayment, Error> {
    let o = resolve(ctx, token).await?;
    if o.status != "open" {
        return Err(Error::conflict("the order is already paid"));
    }
    let name: String = sqlx::query_scalar("select name from voucher_profiles where id = $1")
        .bind(o.profile_id)
        .fetch_one(&ctx.pool)
        .await?;
    let description = format!("Voucher {name} (pesanan {})", o.number);
    let return_path = format!("/shop/o/{token}?from=gateway");
    orders::start(
        ctx,
        OrderCharge {
            order_id: o.id,
            number: o.number,
            amount: Money::from_minor(o.amount),
            description: &description,
            buyer_phone: o.buyer_phone.as_deref(),
            return_path: &return_path,
        },
        gateway,
        method,
    )
    .await
}

/// The buyer came back from the gateway's page: ask the gateway about the order's waiting
/// payment now instead of at the next poll.
pub async fn check_now(ctx: &AppContext, token: &str) -> Result<(), Error> {
    let o = resolve(ctx, token).await?;
    if o.status != "open" {
        return Ok(());
    }
    if let Some(p) = orders::waiting_payment(ctx, o.id).await? {
        orders::check_one(ctx, p.payment_id).await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Delivery

/// What one delivery attempt did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryOutcome {
    /// The voucher was made now.
    Delivered,
    /// It had been made before: nothing changed.
    AlreadyDelivered,
    /// Another delivery of the order is running.
    InProgress,
    /// The router (or the profile) refused; the order stays waiting.
    Failed,
    /// The order is not paid.
    NotPaid,
}

/// Makes the voucher of a paid order, once.
#[tracing::instrument(skip(ctx))]
pub async fn deliver(ctx: &AppContext, order_id: Uuid) -> Result<DeliveryOutcome, Error> {
    let o: OrderRow = sqlx::query_as(&format!("{ORDER} where id = $1"))
        .bind(order_id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("order"))?;
    if o.status != "paid" {
        return Ok(DeliveryOutcome::NotPaid);
    }
    if o.voucher_id.is_some() {
        return Ok(DeliveryOutcome::AlreadyDelivered);
    }
    let router_id: Uuid = sqlx::query_scalar("select router_id from shop_orders where id = $1")
        .bind(order_id)
        .fetch_one(&ctx.pool)
        .await?;
    // A batch made before but not linked (the app stopped in between) is the order's voucher.
    let made: Option<Uuid> = sqlx::query_scalar(
        "select v.id from voucher_batches b join vouchers v on v.batch_id = b.id \
         where b.shop_order_id = $1 and b.status = 'ready'",
    )
    .bind(order_id)
    .fetch_optional(&ctx.pool)
    .await?;
    let voucher = match made {
        Some(v) => v,
        None => {
            let input = BatchInput {
                profile_id: o.profile_id,
                router_id: Some(router_id),
                count: 1,
                code_length: None,
                charset: None,
                prefix: None,
                separate_password: false,
                reseller_id: None,
            };
            let actor = Actor {
                user_id: None,
                name: SHOP_ACTOR.to_owned(),
            };
            let batch = match batches::create_for_order(ctx, actor, input, order_id).await {
                Ok(b) => b,
                Err(Error::Conflict { .. }) => return Ok(DeliveryOutcome::InProgress),
                // The router's credentials, the profile, the database: whatever stopped it is
                // recorded on the order, which waits and is tried again.
                Err(e) => {
                    record_failure(ctx, order_id, &e.to_string()).await?;
                    return Ok(DeliveryOutcome::Failed);
                }
            };
            if batch.status != billing_domain::BatchStatus::Ready {
                let why = batch
                    .error
                    .unwrap_or_else(|| "the voucher could not be made".into());
                record_failure(ctx, order_id, &why).await?;
                return Ok(DeliveryOutcome::Failed);
            }
            sqlx::query_scalar("select id from vouchers where batch_id = $1")
                .bind(batch.id)
                .fetch_one(&ctx.pool)
                .await?
        }
    };
    let now = ctx.clock.now();
    let mut tx = ctx.pool.begin().await?;
    let linked = sqlx::query(
        "update shop_orders set voucher_id = $2, delivered_at = $3, delivery_error = null, \
         delivery_error_code = null, last_delivery_at = $3 where id = $1 and voucher_id is null",
    )
    .bind(order_id)
    .bind(voucher)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if linked.rows_affected() == 0 {
        return Ok(DeliveryOutcome::AlreadyDelivered);
    }
    if let Some(phone) = &o.buyer_phone {
        send_code(&mut tx, ctx, order_id, o.profile_id, voucher, phone).await?;
    }
    tx.commit().await?;
    tracing::info!(order = o.number, "shop order delivered");
    publish(
        ctx,
        BillingEvent::ShopOrderChanged {
            order_id,
            delivery: "delivered".into(),
        },
    );
    Ok(DeliveryOutcome::Delivered)
}

async fn send_code(
    tx: &mut sqlx::PgConnection,
    ctx: &AppContext,
    order_id: Uuid,
    profile_id: Uuid,
    voucher_id: Uuid,
    phone: &str,
) -> Result<(), Error> {
    let item: ShopItem = sqlx::query_as(&format!("{ITEM} where id = $1"))
        .bind(profile_id)
        .fetch_one(&mut *tx)
        .await?;
    let code: String = sqlx::query_scalar("select code from vouchers where id = $1")
        .bind(voucher_id)
        .fetch_one(&mut *tx)
        .await?;
    let isp: String = sqlx::query_scalar("select name from business_profile")
        .fetch_one(&mut *tx)
        .await?;
    let mut vars: HashMap<&'static str, String> = HashMap::new();
    vars.insert("paket", item.name.clone());
    vars.insert("kode", code);
    vars.insert("masa_aktif", item.limits(Lang::Id));
    vars.insert(
        "isp",
        if isp.trim().is_empty() {
            "mikrobill".into()
        } else {
            isp
        },
    );
    enqueue_in(
        tx,
        ctx.clock.now(),
        NewMessage {
            key: format!("shop_order:{order_id}:code"),
            customer_id: None,
            to_phone: phone,
            template: "voucher_codes",
            vars,
            priority: Priority::High,
        },
    )
    .await?;
    Ok(())
}

async fn record_failure(ctx: &AppContext, order_id: Uuid, why: &str) -> Result<(), Error> {
    tracing::warn!(%order_id, error = why, "shop order not delivered yet");
    let code = crate::failure::classify_router(why).code;
    sqlx::query(
        "update shop_orders set delivery_attempts = delivery_attempts + 1, \
         delivery_error = left($2, 2000), delivery_error_code = $3, last_delivery_at = $4 \
         where id = $1 and voucher_id is null",
    )
    .bind(order_id)
    .bind(why)
    .bind(code)
    .bind(ctx.clock.now())
    .execute(&ctx.pool)
    .await?;
    publish(
        ctx,
        BillingEvent::ShopOrderChanged {
            order_id,
            delivery: "waiting".into(),
        },
    );
    Ok(())
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct DeliverySummary {
    pub delivered: usize,
    pub waiting: usize,
}

/// The shop's job: every paid order still without its voucher, oldest first. An order that
/// keeps failing is tried less often (after n failures, every n minutes, at most every 10),
/// unless `all` (the catch-up at start, the owner's "send now").
pub async fn deliver_due(ctx: &AppContext, all: bool) -> Result<DeliverySummary, Error> {
    let now = ctx.clock.now();
    let due: Vec<Uuid> = sqlx::query_scalar(
        "select id from shop_orders where status = 'paid' and voucher_id is null \
         and ($1 or last_delivery_at is null \
              or last_delivery_at + least(delivery_attempts, 10) * interval '1 minute' <= $2) \
         order by paid_at limit 200",
    )
    .bind(all)
    .bind(now)
    .fetch_all(&ctx.pool)
    .await?;
    let mut summary = DeliverySummary::default();
    for id in due {
        match deliver(ctx, id).await {
            Ok(DeliveryOutcome::Delivered) => summary.delivered += 1,
            Ok(DeliveryOutcome::AlreadyDelivered) => {}
            Ok(_) => summary.waiting += 1,
            Err(err) => {
                summary.waiting += 1;
                tracing::warn!(order_id = %id, error = %err, "delivering a shop order failed");
            }
        }
    }
    Ok(summary)
}

/// Delivers each order as soon as it is paid: listens for `ShopOrderPaid` (one order at a
/// time, so a burst of payments does not open a connection to the router for each); the
/// job catches whatever this misses. Ends when `stop` turns true (the app shuts down), so it
/// holds nothing of the app past its shutdown.
pub fn spawn_delivery(
    ctx: &AppContext,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    let ctx = ctx.clone();
    let mut rx = ctx.events.subscribe();
    tokio::spawn(async move {
        loop {
            let event = tokio::select! {
                _ = stop.wait_for(|stopped| *stopped) => break,
                event = rx.recv() => event,
            };
            match event {
                Ok(BillingEvent::ShopOrderPaid { order_id }) => {
                    if let Err(err) = deliver(&ctx, order_id).await {
                        tracing::warn!(%order_id, error = %err, "delivering a shop order failed");
                    }
                }
                Ok(_) => {}
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    if let Err(err) = deliver_due(&ctx, false).await {
                        tracing::warn!(error = %err, "delivering shop orders failed");
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    })
}

// ---------------------------------------------------------------------------------------
// The owner's list

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ShopOrder {
    pub id: Uuid,
    pub number: i64,
    pub created_at: DateTime<Utc>,
    pub profile_id: Uuid,
    pub profile_name: String,
    pub router_name: String,
    pub amount: i64,
    pub buyer_phone: Option<String>,
    /// open or paid.
    pub status: String,
    pub paid_at: Option<DateTime<Utc>>,
    /// The gateway and method that paid it.
    pub paid_with: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub voucher_code: Option<String>,
    pub delivery_attempts: i32,
    /// Why the voucher is not made yet.
    pub delivery_error: Option<String>,
    /// Payments of this order the owner must look at: another amount than the price, or
    /// paid twice (refund one).
    pub review: Option<String>,
    /// The first of them, for `POST /api/shop/payments/{id}/review`.
    pub review_payment_id: Option<Uuid>,
}

/// Orders, newest first: `status` = open, paid, undelivered (paid, no voucher yet) or review.
pub async fn list_orders(
    ctx: &AppContext,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<ShopOrder>, Error> {
    let filter = match status {
        None | Some("") | Some("all") => "true",
        Some("open") => "o.status = 'open'",
        Some("paid") => "o.status = 'paid'",
        Some("undelivered") => "o.status = 'paid' and o.voucher_id is null",
        Some("review") => {
            "exists (select 1 from shop_payments x where x.order_id = o.id \
                            and x.review_reason is not null and x.reviewed_at is null \
                            and x.status in ('pending', 'paid'))"
        }
        Some(other) => {
            return Err(Error::validation(
                "status",
                format!("unknown status {other:?}: all, open, paid, undelivered or review"),
            ))
        }
    };
    Ok(sqlx::query_as(&format!(
        "{ORDER_LINE} where {filter} order by o.created_at desc limit $1"
    ))
    .bind(limit.clamp(1, 500))
    .fetch_all(&ctx.pool)
    .await?)
}

pub async fn get_order(ctx: &AppContext, id: Uuid) -> Result<ShopOrder, Error> {
    sqlx::query_as(&format!("{ORDER_LINE} where o.id = $1"))
        .bind(id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("order"))
}

const ORDER_LINE: &str = "select o.id, o.number, o.created_at, o.profile_id, \
        p.name as profile_name, r.name as router_name, o.amount, o.buyer_phone, o.status, \
        o.paid_at, (select pp.gateway || ' ' || pp.gateway_method from shop_payments pp \
          where pp.id = o.paid_payment_id) as paid_with, \
        o.delivered_at, v.code as voucher_code, o.delivery_attempts, o.delivery_error, \
        (select string_agg(x.merchant_ref || ': ' || x.review_reason, '; ') \
           from shop_payments x where x.order_id = o.id and x.review_reason is not null \
            and x.reviewed_at is null and x.status in ('pending', 'paid')) as review, \
        (select x.id from shop_payments x where x.order_id = o.id \
            and x.review_reason is not null and x.reviewed_at is null \
            and x.status in ('pending', 'paid') order by x.created_at limit 1) \
          as review_payment_id \
    from shop_orders o join voucher_profiles p on p.id = o.profile_id \
    join routers r on r.id = o.router_id left join vouchers v on v.id = o.voucher_id";

/// Paid orders without their voucher for longer than the shop's alert time (the alert's
/// reading): how many, and the oldest one's number and reason.
pub async fn overdue(ctx: &AppContext) -> Result<(i64, Option<(i64, Option<String>)>), Error> {
    let now = ctx.clock.now();
    let (n, number, error): (i64, Option<i64>, Option<String>) = sqlx::query_as(
        "select count(*), (array_agg(o.number order by o.paid_at))[1], \
                (array_agg(o.delivery_error order by o.paid_at))[1] \
         from shop_orders o, business_profile b \
         where o.status = 'paid' and o.voucher_id is null \
           and o.paid_at + b.shop_alert_minutes * interval '1 minute' <= $1",
    )
    .bind(now)
    .fetch_one(&ctx.pool)
    .await?;
    Ok((n, number.map(|num| (num, error))))
}

/// The order a shop payment belongs to.
pub async fn order_of_payment(ctx: &AppContext, payment_id: Uuid) -> Result<Uuid, Error> {
    sqlx::query_scalar("select order_id from shop_payments where id = $1")
        .bind(payment_id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("payment"))
}
