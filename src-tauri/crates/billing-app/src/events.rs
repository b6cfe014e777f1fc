//! In-process events for live pages (SSE, the desktop's notifications): money, subscriptions,
//! WhatsApp sessions and alerts. Each event says which permission a reader needs.

use billing_domain::Permission;
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BillingEvent {
    /// A payment moved to `paid`.
    PaymentSettled {
        payment_id: Uuid,
        invoice_id: Option<Uuid>,
        customer_id: Uuid,
        amount: i64,
    },
    /// A gateway payment failed, expired or was held for review.
    PaymentChanged {
        payment_id: Uuid,
        invoice_id: Option<Uuid>,
        status: String,
    },
    /// A WhatsApp sender session stopped working; the others took over.
    WhatsAppSessionFailed {
        session_id: Uuid,
        name: String,
        reason: String,
        /// The backup that became primary in its place, if one did.
        promoted: Option<String>,
    },
    /// A subscription was isolated (`status`: `isolated`). Restores follow payments, which
    /// have their own event.
    SubscriptionChanged {
        subscription_id: Uuid,
        status: String,
    },
    /// The voucher monitor saw a voucher's first login (its validity starts).
    VoucherActivated { router_id: Uuid, code: String },
    /// A voucher's validity, online time or quota ran out; it was ended on the router.
    VoucherExpired {
        router_id: Uuid,
        code: String,
        reason: Option<String>,
    },
    /// A voucher was found gone from the router (removed there) and closed here.
    VoucherRemoved { router_id: Uuid, code: String },
    /// The router monitor saw a PPPoE user connect.
    PppoeConnected { router_id: Uuid, login: String },
    /// The router monitor saw a PPPoE user no longer connected.
    PppoeDisconnected { router_id: Uuid, login: String },
    /// Users online on a router at the last reading (each minute).
    ActiveUsers {
        router_id: Uuid,
        hotspot: i32,
        pppoe: i32,
    },
    /// An online voucher shop order was paid (its voucher is made next).
    ShopOrderPaid { order_id: Uuid },
    /// An order's voucher was made (`delivered`), or making it failed for now (`waiting`).
    ShopOrderChanged { order_id: Uuid, delivery: String },
    /// An alert rule's condition held long enough.
    AlertRaised(AlertEvent),
    /// The condition stopped holding.
    AlertCleared(AlertEvent),
}

/// What a notification shows: title, severity and message.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AlertEvent {
    pub alert_id: Uuid,
    pub rule_id: Option<Uuid>,
    pub metric: String,
    /// The router's or session's id, or empty for the whole shop.
    pub subject: String,
    pub title: String,
    pub message: String,
    /// `info`, `warning` or `critical`.
    pub severity: String,
}

impl BillingEvent {
    /// The event's name on the SSE stream (`payment_settled`, `alert_raised`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            BillingEvent::PaymentSettled { .. } => "payment_settled",
            BillingEvent::PaymentChanged { .. } => "payment_changed",
            BillingEvent::WhatsAppSessionFailed { .. } => "whats_app_session_failed",
            BillingEvent::SubscriptionChanged { .. } => "subscription_changed",
            BillingEvent::VoucherActivated { .. } => "voucher_activated",
            BillingEvent::VoucherExpired { .. } => "voucher_expired",
            BillingEvent::VoucherRemoved { .. } => "voucher_removed",
            BillingEvent::PppoeConnected { .. } => "pppoe_connected",
            BillingEvent::PppoeDisconnected { .. } => "pppoe_disconnected",
            BillingEvent::ActiveUsers { .. } => "active_users",
            BillingEvent::ShopOrderPaid { .. } => "shop_order_paid",
            BillingEvent::ShopOrderChanged { .. } => "shop_order_changed",
            BillingEvent::AlertRaised(_) => "alert_raised",
            BillingEvent::AlertCleared(_) => "alert_cleared",
        }
    }

    /// What a reader must be allowed to see this: payments for payment staff, router alerts
    /// for those who look after routers, and so on.
    pub fn permission(&self) -> Permission {
        match self {
            BillingEvent::PaymentSettled { .. } | BillingEvent::PaymentChanged { .. } => {
                Permission::PaymentsRead
            }
            BillingEvent::WhatsAppSessionFailed { .. } => Permission::WhatsappRead,
            BillingEvent::SubscriptionChanged { .. } => Permission::SubscriptionsRead,
            BillingEvent::VoucherActivated { .. }
            | BillingEvent::VoucherExpired { .. }
            | BillingEvent::VoucherRemoved { .. }
            | BillingEvent::ShopOrderPaid { .. }
            | BillingEvent::ShopOrderChanged { .. } => Permission::VouchersRead,
            BillingEvent::PppoeConnected { .. } | BillingEvent::PppoeDisconnected { .. } => {
                Permission::PppoeRead
            }
            BillingEvent::ActiveUsers { .. } => Permission::RoutersRead,
            // A critical alert reaches every signed-in staff member (whoever is at the PC
            // can act or call the owner); the others only those who look after that area.
            BillingEvent::AlertRaised(a) | BillingEvent::AlertCleared(a)
                if a.severity == "critical" =>
            {
                Permission::DashboardView
            }
            BillingEvent::AlertRaised(a) | BillingEvent::AlertCleared(a) => {
                alert_permission(&a.metric)
            }
        }
    }
}

/// Who is told about an alert on this metric.
pub fn alert_permission(metric: &str) -> Permission {
    if metric.starts_with("router_") || metric.starts_with("subscriptions_") {
        Permission::RoutersRead
    } else if metric.starts_with("whatsapp_") {
        Permission::WhatsappManage
    } else if metric.starts_with("payment_") || metric.starts_with("shop_") {
        Permission::PaymentsRead
    } else {
        // Disk, backups, jobs: the people who run the PC.
        Permission::BackupsManage
    }
}

pub fn publish(ctx: &crate::AppContext, event: BillingEvent) {
    // Nobody listening is fine.
    let _ = ctx.events.send(event);
}
