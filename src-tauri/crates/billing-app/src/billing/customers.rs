//! Customers and their wallets.

use billing_domain::{CustomerId, CustomerStatus, Money, PhoneNumber};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgConnection;

use crate::{text, AppContext, Error};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Customer {
    #[schema(value_type = Uuid)]
    pub id: CustomerId,
    pub name: String,
    pub phone: String,
    pub address: String,
    pub notes: String,
    pub status: CustomerStatus,
    /// The customer asked not to get WhatsApp messages.
    pub whatsapp_opt_out: bool,
    /// The customer's own wallet.
    #[schema(value_type = i64)]
    pub balance: Money,
    /// The customer's wallet plus all its subscription wallets.
    #[schema(value_type = i64)]
    pub total_credit: Money,
    /// What the customer still has to pay: the remaining amounts of their open invoices.
    #[schema(value_type = i64)]
    pub owed: Money,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default)]
pub struct CustomerInput {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub status: Option<String>,
    pub whatsapp_opt_out: Option<bool>,
}

/// The columns of [`Customer`] over a source aliased `c`: `{SELECT} from customers c …`, or for a
/// list page `{SELECT} from (…page of customers…) c`, so the sums run for the page's rows only.
const SELECT: &str =
    "select c.id, c.name, c.phone, c.address, c.notes, c.status, c.whatsapp_opt_out, \
    coalesce((select sum(delta) from ledger_entries l where l.customer_id = c.id \
              and l.account = 'customer'), 0)::bigint as balance, \
    coalesce((select sum(delta) from ledger_entries l where l.customer_id = c.id), 0)::bigint \
        as total_credit, \
    coalesce((select sum(i.total - i.paid) from invoices i where i.customer_id = c.id \
              and i.status in ('unpaid', 'partial')), 0)::bigint as owed, \
    c.created_at";

pub(crate) fn parse_name(raw: &str) -> Result<String, Error> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > text::NAME {
        return Err(Error::validation(
            "name",
            format!("the name must be 1 to {} characters", text::NAME),
        ));
    }
    Ok(name.to_owned())
}

/// The address and notes limits ([`text::ADDRESS`], [`text::NOTES`]), after trimming.
pub(crate) fn check_texts(address: Option<&str>, notes: Option<&str>) -> Result<(), Error> {
    text::check_opt("address", address.map(str::trim), text::ADDRESS)?;
    text::check_opt("notes", notes.map(str::trim), text::NOTES)
}

fn parse_status(raw: &str) -> Result<CustomerStatus, Error> {
    match raw.parse() {
        Ok(status) => Ok(status),
        Err(_) => Err(Error::validation(
            "status",
            "status must be active or inactive",
        )),
    }
}

pub async fn create(ctx: &AppContext, input: CustomerInput) -> Result<Customer, Error> {
    let name = parse_name(input.name.as_deref().unwrap_or_default())?;
    let phone = PhoneNumber::parse(input.phone.as_deref().unwrap_or_default())?;
    let address = input.address.unwrap_or_default();
    let notes = input.notes.unwrap_or_default();
    check_texts(Some(&address), Some(&notes))?;
    let id = CustomerId::new();
    let mut tx = ctx.pool.begin().await?;
    insert_in(&mut tx, id, &name, &phone, &address, &notes).await?;
    let customer = fetch(&mut tx, id).await?;
    tx.commit().await?;
    Ok(customer)
}

/// Writes a customer whose name and phone passed [`parse_name`] and [`PhoneNumber::parse`]
/// (the create use-case and the import share it).
pub(crate) async fn insert_in(
    conn: &mut PgConnection,
    id: CustomerId,
    name: &str,
    phone: &PhoneNumber,
    address: &str,
    notes: &str,
) -> Result<(), Error> {
    sqlx::query(
        "insert into customers (id, name, phone, address, notes) values ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(name)
    .bind(phone.as_str())
    .bind(address.trim())
    .bind(notes.trim())
    .execute(conn)
    .await?;
    Ok(())
}

/// One customer for [`insert_many_in`].
pub(crate) struct NewCustomerRow<'a> {
    pub id: CustomerId,
    pub name: &'a str,
    pub phone: &'a PhoneNumber,
    pub address: &'a str,
    pub notes: &'a str,
}

/// [`insert_in`] for many customers at once (an import), in one statement.
pub(crate) async fn insert_many_in(
    conn: &mut PgConnection,
    rows: &[NewCustomerRow<'_>],
) -> Result<(), Error> {
    for chunk in rows.chunks(5_000) {
        let ids: Vec<CustomerId> = chunk.iter().map(|r| r.id).collect();
        let names: Vec<&str> = chunk.iter().map(|r| r.name).collect();
        let phones: Vec<&str> = chunk.iter().map(|r| r.phone.as_str()).collect();
        let addresses: Vec<&str> = chunk.iter().map(|r| r.address.trim()).collect();
        let notes: Vec<&str> = chunk.iter().map(|r| r.notes.trim()).collect();
        sqlx::query(
            "insert into customers (id, name, phone, address, notes) \
             select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])",
        )
        .bind(&ids)
        .bind(&names)
        .bind(&phones)
        .bind(&addresses)
        .bind(&notes)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn update(
    ctx: &AppContext,
    id: CustomerId,
    input: CustomerInput,
) -> Result<Customer, Error> {
    let name = input.name.as_deref().map(parse_name).transpose()?;
    let phone = input.phone.as_deref().map(PhoneNumber::parse).transpose()?;
    let status = input.status.as_deref().map(parse_status).transpose()?;
    check_texts(input.address.as_deref(), input.notes.as_deref())?;
    let mut tx = ctx.pool.begin().await?;
    let updated = sqlx::query(
        "update customers set name = coalesce($2, name), phone = coalesce($3, phone), \
         address = coalesce($4, address), notes = coalesce($5, notes), \
         status = coalesce($6, status), whatsapp_opt_out = coalesce($7, whatsapp_opt_out) \
         where id = $1",
    )
    .bind(id)
    .bind(name)
    .bind(phone.as_ref().map(PhoneNumber::as_str))
    .bind(input.address.map(|a| a.trim().to_owned()))
    .bind(input.notes.map(|n| n.trim().to_owned()))
    .bind(status)
    .bind(input.whatsapp_opt_out)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(Error::NotFound("customer"));
    }
    let customer = fetch(&mut tx, id).await?;
    tx.commit().await?;
    Ok(customer)
}

pub async fn get(ctx: &AppContext, id: CustomerId) -> Result<Customer, Error> {
    let mut conn = ctx.pool.acquire().await?;
    fetch(&mut conn, id).await
}

pub(crate) async fn fetch(conn: &mut PgConnection, id: CustomerId) -> Result<Customer, Error> {
    sqlx::query_as(&format!("{SELECT} from customers c where c.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::NotFound("customer"))
}

/// A customer of a search's page, with how many customers match in all.
#[derive(sqlx::FromRow)]
struct Found {
    #[sqlx(flatten)]
    customer: Customer,
    matches: i64,
}

#[derive(Debug, Clone, Default)]
pub struct CustomerQuery {
    pub q: Option<String>,
    pub status: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// Search by name (substring), phone (any form) or a subscription login.
pub async fn list(ctx: &AppContext, query: CustomerQuery) -> Result<(Vec<Customer>, i64), Error> {
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let pattern = q.map(|q| format!("%{}%", escape_like(&q.to_lowercase())));
    let phone_digits = q
        .map(|q| q.chars().filter(char::is_ascii_digit).collect::<String>())
        .filter(|d| d.len() >= 4)
        .map(|d| {
            let national = d
                .strip_prefix("62")
                .or_else(|| d.strip_prefix('0'))
                .unwrap_or(&d);
            format!("%{national}%")
        });
    let filter = "where ($1::text is null or lower(c.name) like $1 \
                  or ($2::text is not null and c.phone like $2) \
                  or exists (select 1 from subscriptions s where s.customer_id = c.id \
                             and lower(s.login) like $1)) \
                  and ($3::text is null or c.status = $3)";
    let mut conn = ctx.pool.acquire().await?;
    // One pass over the customers for the page and the count of all matches (the filter's
    // name and login substrings are scans); the page is chosen first, so the balance and owed
    // sums run for its rows only.
    let found: Vec<Found> = sqlx::query_as(&format!(
        "{SELECT}, c.matches from (select c.*, count(*) over () as matches from customers c \
         {filter} order by lower(c.name), c.id limit $4 offset $5) c order by lower(c.name), c.id"
    ))
    .bind(&pattern)
    .bind(&phone_digits)
    .bind(&query.status)
    .bind(query.limit.clamp(1, 200))
    .bind(query.offset.max(0))
    .fetch_all(&mut *conn)
    .await?;
    let total = match found.first() {
        Some(first) => first.matches,
        // A page past the end: count on its own.
        None if query.offset > 0 => {
            sqlx::query_scalar(&format!("select count(*) from customers c {filter}"))
                .bind(&pattern)
                .bind(&phone_digits)
                .bind(&query.status)
                .fetch_one(&mut *conn)
                .await?
        }
        None => 0,
    };
    let items = found.into_iter().map(|f| f.customer).collect();
    Ok((items, total))
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Locks the customer row: every use-case that moves a customer's money takes this lock
/// first, so wallet checks and allocations never race.
pub(crate) async fn lock(conn: &mut PgConnection, id: CustomerId) -> Result<(), Error> {
    sqlx::query("select 1 from customers where id = $1 for update")
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(|_: sqlx::postgres::PgRow| ())
        .ok_or(Error::NotFound("customer"))
}
