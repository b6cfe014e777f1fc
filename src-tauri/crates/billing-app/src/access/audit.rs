//! The activity log. Rows are written by a database trigger on every audited table, in
//! the same transaction as the change; this module tells that trigger who is acting
//! (transaction-local settings taken from the request's [`Actor`]) and reads the log.

use std::future::Future;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use crate::{AppContext, Error};

/// Who is making the changes of the current request.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Uuid,
    pub username: String,
    pub client_ip: Option<String>,
    /// The route, e.g. `POST /api/invoices/{id}/void`.
    pub request: String,
}

tokio::task_local! {
    static ACTOR: Actor;
}

/// Runs `work` with `actor` as the author of every change it makes.
pub async fn with_actor<F: Future>(actor: Actor, work: F) -> F::Output {
    ACTOR.scope(actor, work).await
}

/// The actor of the current request, if any (jobs have none).
pub fn current_actor() -> Option<Actor> {
    ACTOR.try_with(Actor::clone).ok()
}

/// Tells the audit trigger who is acting on this connection: the current request's actor,
/// or nobody (jobs). The pool runs this whenever a connection is handed out, so every
/// change is attributed, in a transaction or not.
pub async fn attribute_connection(conn: &mut sqlx::PgConnection) -> Result<(), sqlx::Error> {
    let actor = current_actor();
    sqlx::query(
        "select set_config('mikrobill.actor_id', $1, false), \
                set_config('mikrobill.actor_name', $2, false), \
                set_config('mikrobill.client_ip', $3, false), \
                set_config('mikrobill.request', $4, false)",
    )
    .bind(
        actor
            .as_ref()
            .map(|a| a.user_id.to_string())
            .unwrap_or_default(),
    )
    .bind(
        actor
            .as_ref()
            .map(|a| a.username.as_str())
            .unwrap_or_default(),
    )
    .bind(
        actor
            .as_ref()
            .and_then(|a| a.client_ip.as_deref())
            .unwrap_or_default(),
    )
    .bind(
        actor
            .as_ref()
            .map(|a| a.request.as_str())
            .unwrap_or_default(),
    )
    .execute(conn)
    .await
    .map(|_| ())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[schema(as = ActivityEntry)]
pub struct AuditEntry {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    /// `system` for changes made by scheduled jobs.
    pub actor_name: Option<String>,
    pub client_ip: Option<String>,
    pub request: Option<String>,
    /// `<table>.insert|update|delete`.
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    /// What was changed, by its own name (the customer's or router's name, the invoice's
    /// number, the user's name, the gateway's code, …), for the log's sentence.
    pub subject: Option<String>,
    /// The customer the changed row belongs to (a subscription, invoice, payment, …), by name.
    pub customer: Option<String>,
}

/// The name a changed row is known by, from its before or after image; an update stores only
/// the columns that changed, so when its name is not among them the row's name now is used.
const SUBJECT: &str = "coalesce(after->>'name', before->>'name', after->>'username', \
     before->>'username', after->>'number', before->>'number', after->>'login', \
     before->>'login', after->>'code', before->>'code', after->>'gateway', \
     before->>'gateway', after->>'key', before->>'key', after->>'file_name', \
     before->>'file_name', after->>'payer_name', before->>'payer_name', \
     case when entity = 'whatsapp_templates' then entity_id \
          when entity_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then \
          case entity \
            when 'users' then (select x.username from users x where x.id = entity_id::uuid) \
            when 'customers' then (select x.name from customers x where x.id = entity_id::uuid) \
            when 'plans' then (select x.name from plans x where x.id = entity_id::uuid) \
            when 'routers' then (select x.name from routers x where x.id = entity_id::uuid) \
            when 'subscriptions' then \
                (select x.login from subscriptions x where x.id = entity_id::uuid) \
            when 'invoices' then (select x.number from invoices x where x.id = entity_id::uuid) \
            when 'vouchers' then (select x.code from vouchers x where x.id = entity_id::uuid) \
            when 'resellers' then (select x.name from resellers x where x.id = entity_id::uuid) \
            when 'voucher_profiles' then \
                (select x.name from voucher_profiles x where x.id = entity_id::uuid) \
            when 'whatsapp_sessions' then \
                (select x.name from whatsapp_sessions x where x.id = entity_id::uuid) \
            when 'alert_rules' then \
                (select x.name from alert_rules x where x.id = entity_id::uuid) \
            when 'imports' then (select x.file_name from imports x where x.id = entity_id::uuid) \
            when 'backups' then (select x.file_name from backups x where x.id = entity_id::uuid) \
          end end)";

/// The customer a changed row belongs to.
/// An update whose change does not name the customer: the row's customer now.
const CUSTOMER: &str = "(select c.name from customers c where c.id = (\
     coalesce(audit_log.after->>'customer_id', audit_log.before->>'customer_id', \
       case when audit_log.entity_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' \
       then case audit_log.entity \
         when 'subscriptions' then (select x.customer_id::text from subscriptions x \
                                    where x.id = audit_log.entity_id::uuid) \
         when 'invoices' then (select x.customer_id::text from invoices x \
                               where x.id = audit_log.entity_id::uuid) \
       end end))::uuid)";

#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// Username of the actor.
    pub user: Option<String>,
    /// Free text, searched in the action, request and the before/after documents.
    pub q: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The activity log, newest first.
pub async fn search(ctx: &AppContext, query: AuditQuery) -> Result<(Vec<AuditEntry>, i64), Error> {
    let limit = query.limit.unwrap_or(50).clamp(1, 500);
    let offset = query.offset.unwrap_or(0).max(0);
    let filters = |b: &mut QueryBuilder<'_, Postgres>| {
        b.push(" where true");
        if let Some(entity) = query.entity.as_ref().filter(|s| !s.is_empty()) {
            b.push(" and entity = ").push_bind(entity.clone());
        }
        if let Some(id) = query.entity_id.as_ref().filter(|s| !s.is_empty()) {
            b.push(" and entity_id = ").push_bind(id.clone());
        }
        if let Some(user) = query.user.as_ref().filter(|s| !s.is_empty()) {
            b.push(" and actor_name = ")
                .push_bind(user.trim().to_ascii_lowercase());
        }
        if let Some(q) = query.q.as_ref().filter(|s| !s.trim().is_empty()) {
            let pattern = format!("%{}%", q.trim().replace('%', "\\%").replace('_', "\\_"));
            b.push(" and (action ilike ")
                .push_bind(pattern.clone())
                .push(" or coalesce(request, '') ilike ")
                .push_bind(pattern.clone())
                .push(" or coalesce(before::text, '') ilike ")
                .push_bind(pattern.clone())
                .push(" or coalesce(after::text, '') ilike ")
                .push_bind(pattern)
                .push(")");
        }
        if let Some(from) = query.from {
            b.push(" and occurred_at >= ").push_bind(from);
        }
        if let Some(to) = query.to {
            b.push(" and occurred_at < ").push_bind(to);
        }
    };
    let mut conn = ctx.pool.acquire().await?;
    let mut count = QueryBuilder::new("select count(*) from audit_log");
    filters(&mut count);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut list = QueryBuilder::new(format!(
        "select id, occurred_at, actor_id, actor_name, client_ip, request, action, entity, \
         entity_id, before, after, {SUBJECT} as subject, {CUSTOMER} as customer from audit_log"
    ));
    filters(&mut list);
    list.push(" order by id desc limit ")
        .push_bind(limit)
        .push(" offset ")
        .push_bind(offset);
    let items = list.build_query_as().fetch_all(&mut *conn).await?;
    Ok((items, total))
}
