//! Checking imported rows with the same rules as the create use-cases, and writing the
//! good ones (customers, plans, subscriptions, wallet credit) inside one transaction.

use std::collections::{BTreeMap, HashMap};

use billing_domain::{CustomerId, Money, PhoneNumber, PlanId, RouterId, SubscriptionId, UserId};
use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

use super::table::Sheet;
use super::{ImportOptions, RowError, RowResult};
use crate::billing::monthly_run::{self, Scope};
use crate::billing::plans::{self, PlanInput};
use crate::billing::subscriptions::{self, CheckedSubscription, NewSubscription};
use crate::billing::wallets::{self, BalanceChange};
use crate::{billing::customers, AppContext, Error};

/// A row that passed every check.
#[derive(Debug, Clone)]
pub(crate) struct GoodRow {
    pub index: usize,
    pub name: String,
    pub phone: PhoneNumber,
    pub address: String,
    pub notes: String,
    pub credit: i64,
    pub subscription: Option<GoodSubscription>,
}

#[derive(Debug, Clone)]
pub(crate) struct GoodSubscription {
    pub plan: PlanRef,
    pub kind: String,
    pub input: NewSubscription,
    pub checked: CheckedSubscription,
}

#[derive(Debug, Clone)]
pub(crate) enum PlanRef {
    Existing(Uuid),
    /// A plan to create (key: lower-case name).
    New(String),
}

pub(crate) struct Evaluation {
    pub results: Vec<RowResult>,
    pub good: Vec<GoodRow>,
    /// lower-case name → the plan to create
    pub new_plans: BTreeMap<String, PlanInput>,
}

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: Uuid,
    name: String,
    router_profile: String,
    kind: String,
    active: bool,
}

/// Rupiah from `150000`, `150.000`, `Rp 150.000`, `150000.00` or `150,000`.
pub(crate) fn parse_rupiah(raw: &str) -> Option<i64> {
    let s: String = raw
        .trim()
        .trim_start_matches("Rp")
        .trim_start_matches("rp")
        .trim_start_matches('.')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.is_empty() {
        return None;
    }
    let bytes = s.as_bytes();
    // A decimal part of one or two digits (`150000.00`): it must be zero.
    if let Some(pos) = s.rfind(['.', ',']) {
        let frac = &s[pos + 1..];
        if (1..=2).contains(&frac.len()) && frac.chars().all(|c| c.is_ascii_digit()) {
            if frac.chars().any(|c| c != '0') {
                return None;
            }
            return parse_rupiah(&s[..pos]);
        }
    }
    if !bytes
        .iter()
        .all(|b| b.is_ascii_digit() || *b == b'.' || *b == b',')
    {
        return None;
    }
    s.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
}

pub(crate) fn parse_date(raw: &str) -> Option<NaiveDate> {
    let s = raw.trim();
    let s = s.get(..10).unwrap_or(s);
    ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
}

fn kind_of(raw: &str) -> Option<&'static str> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "pppoe" | "ppp" | "pppoe/ppp" => Some("pppoe"),
        "hotspot" => Some("hotspot"),
        _ => None,
    }
}

struct Cells<'a> {
    cells: &'a [String],
    columns: &'a HashMap<String, usize>,
}

impl Cells<'_> {
    fn get(&self, field: &str) -> &str {
        self.columns
            .get(field)
            .and_then(|i| self.cells.get(*i))
            .map(|s| s.trim())
            .unwrap_or_default()
    }
}

/// Checks every row against the rules and the database (read only).
pub(crate) async fn evaluate(
    conn: &mut PgConnection,
    ctx: &AppContext,
    sheet: &Sheet,
    mapping: &BTreeMap<String, String>,
    options: &ImportOptions,
) -> Result<Evaluation, Error> {
    let mut columns = HashMap::new();
    for (field, header) in mapping {
        if header.is_empty() {
            continue;
        }
        if !super::table::FIELDS.contains(&field.as_str()) {
            return Err(Error::validation(
                "mapping",
                format!("unknown field {field}"),
            ));
        }
        let idx = sheet
            .headers
            .iter()
            .position(|h| h == header)
            .ok_or_else(|| Error::validation("mapping", format!("no column named {header}")))?;
        columns.insert(field.clone(), idx);
    }
    for required in ["name", "phone"] {
        if !columns.contains_key(required) {
            return Err(Error::validation(
                "mapping",
                format!("choose the column that holds the {required}"),
            ));
        }
    }

    let plans: Vec<PlanRow> =
        sqlx::query_as("select id, name, router_profile, kind, active from plans")
            .fetch_all(&mut *conn)
            .await?;
    let mut plan_by_name: HashMap<String, &PlanRow> = HashMap::new();
    for p in &plans {
        plan_by_name
            .entry(p.router_profile.to_lowercase())
            .or_insert(p);
    }
    for p in &plans {
        plan_by_name.insert(p.name.to_lowercase(), p);
    }
    let routers: Vec<(Uuid, String, String)> = sqlx::query_as("select id, name, host from routers")
        .fetch_all(&mut *conn)
        .await?;
    if let Some(r) = options.router_id {
        if !routers.iter().any(|(id, _, _)| *id == r) {
            return Err(Error::validation("router_id", "no such router"));
        }
    }
    let cells_of = |i: usize| Cells {
        cells: &sheet.rows[i].1,
        columns: &columns,
    };
    let phones: Vec<String> = (0..sheet.rows.len())
        .filter_map(|i| PhoneNumber::parse(cells_of(i).get("phone")).ok())
        .map(|p| p.as_str().to_owned())
        .collect();
    let taken_phones: std::collections::HashSet<String> =
        sqlx::query_scalar("select phone from customers where phone = any($1)")
            .bind(&phones)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
    let logins: Vec<String> = (0..sheet.rows.len())
        .map(|i| cells_of(i).get("login").to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    let taken_logins: std::collections::HashSet<String> =
        sqlx::query_scalar("select login from subscriptions where login = any($1)")
            .bind(&logins)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();

    let today = ctx.today();
    let mut seen_phone: HashMap<String, i32> = HashMap::new();
    let mut seen_login: HashMap<String, i32> = HashMap::new();
    let mut new_plans: BTreeMap<String, PlanInput> = BTreeMap::new();
    let mut results = Vec::with_capacity(sheet.rows.len());
    let mut good = Vec::new();

    for (index, (line, _)) in sheet.rows.iter().enumerate() {
        let c = cells_of(index);
        let mut errors: Vec<RowError> = Vec::new();
        let mut duplicate = false;
        let mut err = |field: &str, message: String| {
            errors.push(RowError {
                field: field.to_owned(),
                message,
            })
        };

        let name = customers::parse_name(c.get("name"));
        if let Err(Error::Validation { message, .. }) = &name {
            err("name", message.clone());
        }
        let phone = match PhoneNumber::parse(c.get("phone")) {
            Ok(p) => Some(p),
            Err(e) => {
                err("phone", e.message);
                None
            }
        };
        if let Some(p) = &phone {
            if let Some(first) = seen_phone.get(p.as_str()) {
                duplicate = true;
                err(
                    "phone",
                    format!("the same number is already on row {first} of this file"),
                );
            } else if taken_phones.contains(p.as_str()) {
                duplicate = true;
                err(
                    "phone",
                    "a customer with this number already exists".to_owned(),
                );
            }
        }
        let credit = match c.get("credit") {
            "" => 0,
            raw => match parse_rupiah(raw) {
                Some(v) if v > billing_domain::money::MAX_INPUT => {
                    err("credit", format!("{raw} is more than Rp 1.000.000.000"));
                    0
                }
                Some(v) => v,
                None => {
                    err("credit", format!("{raw} is not a whole rupiah amount"));
                    0
                }
            },
        };

        for (field, max) in [
            ("address", crate::text::ADDRESS),
            ("notes", crate::text::NOTES),
        ] {
            if c.get(field).trim().chars().count() > max {
                err(field, format!("{field} is at most {max} characters"));
            }
        }

        let plan_name = c.get("plan");
        let login = c.get("login");
        let mut subscription = None;
        if !plan_name.is_empty() || !login.is_empty() {
            let price_raw = c.get("price");
            let price = parse_rupiah(price_raw);
            if !price_raw.is_empty() && price.is_none() {
                err("price", format!("{price_raw} is not a whole rupiah amount"));
            }
            let kind_raw = c.get("kind");
            let kind_given = kind_of(kind_raw);
            if !kind_raw.is_empty() && kind_given.is_none() {
                err("kind", "kind must be pppoe or hotspot".to_owned());
            }
            let plan = if plan_name.is_empty() {
                err("plan", "a login needs a plan".to_owned());
                None
            } else if let Some(p) = plan_by_name.get(&plan_name.to_lowercase()) {
                if p.active {
                    Some((PlanRef::Existing(p.id), p.kind.clone()))
                } else {
                    err("plan", format!("the plan {} is not active", p.name));
                    None
                }
            } else if options.create_missing_plans {
                let key = plan_name.to_lowercase();
                let kind = kind_given.unwrap_or("pppoe").to_owned();
                let input = PlanInput {
                    name: Some(plan_name.to_owned()),
                    price: price.map(Money::from_minor),
                    kind: Some(kind.clone()),
                    router_profile: Some(plan_name.to_owned()),
                    speed_label: None,
                    active: Some(true),
                };
                match plans::validate(&input, true) {
                    Ok(()) => {
                        new_plans.entry(key.clone()).or_insert(input);
                        Some((PlanRef::New(key), kind))
                    }
                    Err(Error::Validation { field, message }) => {
                        err(
                            field,
                            format!("the plan {plan_name} cannot be created: {message}"),
                        );
                        None
                    }
                    Err(e) => return Err(e),
                }
            } else {
                err(
                    "plan",
                    format!("unknown plan {plan_name} (create it first or allow creating plans)"),
                );
                None
            };

            let router_raw = c.get("router");
            let router_id = if router_raw.is_empty() {
                options.router_id
            } else if let Some((id, _, _)) = routers.iter().find(|(id, name, host)| {
                name.eq_ignore_ascii_case(router_raw)
                    || host.eq_ignore_ascii_case(router_raw)
                    || id.to_string() == router_raw
            }) {
                Some(*id)
            } else {
                err("router", format!("unknown router {router_raw}"));
                None
            };
            let billing_day = match c.get("billing_day") {
                "" => None,
                raw => match raw.parse::<i16>() {
                    Ok(d) => Some(d),
                    Err(_) => {
                        err("billing_day", format!("{raw} is not a day of the month"));
                        None
                    }
                },
            };
            let start_on = match c.get("start_on") {
                "" => today,
                raw => parse_date(raw).unwrap_or_else(|| {
                    err(
                        "start_on",
                        format!("{raw} is not a date (use YYYY-MM-DD or DD/MM/YYYY)"),
                    );
                    today
                }),
            };
            if login.is_empty() {
                err("login", "a subscription needs a login".to_owned());
            } else if let Some(first) = seen_login.get(login) {
                duplicate = true;
                err(
                    "login",
                    format!("the same login is already on row {first} of this file"),
                );
            } else if taken_logins.contains(login) {
                duplicate = true;
                err("login", format!("the login {login} is already in use"));
            }
            let input = NewSubscription {
                customer_id: CustomerId::default(),
                plan_id: PlanId::default(),
                login: login.to_owned(),
                password: c.get("password").to_owned(),
                start_on,
                billing_day,
                due_days: None,
                grace_days: None,
                router_id: router_id.map(RouterId::from),
                created_by: None,
            };
            match subscriptions::check_new(ctx, &input) {
                Ok(checked) => {
                    if let Some((plan, kind)) = plan {
                        subscription = Some(GoodSubscription {
                            plan,
                            kind,
                            input,
                            checked,
                        });
                    }
                }
                Err(Error::Validation { field, message }) => {
                    if !(field == "login" && login.is_empty()) {
                        err(field, message)
                    }
                }
                Err(e) => return Err(e),
            }
        }

        if let Some(p) = &phone {
            seen_phone.entry(p.as_str().to_owned()).or_insert(*line);
        }
        if !login.is_empty() {
            seen_login.entry(login.to_owned()).or_insert(*line);
        }
        let label = c.get("name").to_owned();
        let status = if errors.is_empty() {
            "ok"
        } else if duplicate {
            "duplicate"
        } else {
            "error"
        };
        results.push(RowResult {
            row: *line,
            label,
            status: status.to_owned(),
            errors,
            customer_id: None,
        });
        if status == "ok" {
            if let (Ok(name), Some(phone)) = (name, phone) {
                good.push(GoodRow {
                    index,
                    name,
                    phone,
                    address: c.get("address").to_owned(),
                    notes: c.get("notes").to_owned(),
                    credit,
                    subscription,
                });
            }
        }
    }
    // Plans are only created for rows that are written.
    new_plans.retain(|key, _| {
        good.iter().any(|g| {
            matches!(&g.subscription, Some(GoodSubscription { plan: PlanRef::New(k), .. }) if k == key)
        })
    });
    Ok(Evaluation {
        results,
        good,
        new_plans,
    })
}

/// What a commit wrote.
#[derive(Debug, Default)]
pub(crate) struct Written {
    pub customers: i64,
    pub subscriptions: i64,
    pub plans: i64,
    pub credit: i64,
    pub invoices: i64,
}

/// Writes the good rows of `eval` inside the caller's transaction.
pub(crate) async fn write(
    conn: &mut PgConnection,
    ctx: &AppContext,
    user: Option<UserId>,
    source_label: &str,
    eval: &mut Evaluation,
) -> Result<Written, Error> {
    let mut written = Written::default();
    let mut plan_ids: HashMap<String, PlanId> = HashMap::new();
    for (key, input) in &eval.new_plans {
        let id = PlanId::new();
        plans::insert_in(&mut *conn, id, input).await?;
        plan_ids.insert(key.clone(), id);
        written.plans += 1;
    }
    let mut by_through: BTreeMap<NaiveDate, Vec<SubscriptionId>> = BTreeMap::new();
    let customer_ids: Vec<CustomerId> = eval.good.iter().map(|_| CustomerId::new()).collect();
    let new_customers: Vec<customers::NewCustomerRow<'_>> = eval
        .good
        .iter()
        .zip(&customer_ids)
        .map(|(row, id)| customers::NewCustomerRow {
            id: *id,
            name: &row.name,
            phone: &row.phone,
            address: &row.address,
            notes: &row.notes,
        })
        .collect();
    customers::insert_many_in(&mut *conn, &new_customers).await?;
    written.customers = i64::try_from(new_customers.len()).unwrap_or(i64::MAX);
    let mut subs: Vec<(SubscriptionId, NewSubscription, &CheckedSubscription, &str)> = Vec::new();
    for (row, customer_id) in eval.good.iter().zip(&customer_ids) {
        let customer_id = *customer_id;
        if row.credit > 0 {
            let change = BalanceChange {
                kind: "adjustment".into(),
                amount: Money::from_minor(row.credit),
                reason: format!("saldo dibawa dari {source_label}"),
                subscription_id: None,
            };
            wallets::adjust_in(&mut *conn, ctx, user, customer_id, &change).await?;
            written.credit += row.credit;
        }
        if let Some(sub) = &row.subscription {
            let plan_id = match &sub.plan {
                PlanRef::Existing(id) => PlanId::from(*id),
                PlanRef::New(key) => *plan_ids
                    .get(key)
                    .ok_or_else(|| anyhow::anyhow!("plan {key} was not created"))?,
            };
            let input = NewSubscription {
                customer_id,
                plan_id,
                ..sub.input.clone()
            };
            let id = SubscriptionId::new();
            by_through
                .entry(ctx.today().max(input.start_on))
                .or_default()
                .push(id);
            subs.push((id, input, &sub.checked, sub.kind.as_str()));
        }
    }
    let sub_rows: Vec<(SubscriptionId, &NewSubscription, &CheckedSubscription, &str)> =
        subs.iter().map(|(id, i, c, k)| (*id, i, *c, *k)).collect();
    subscriptions::insert_many_in(&mut *conn, ctx, &sub_rows).await?;
    written.subscriptions = i64::try_from(sub_rows.len()).unwrap_or(i64::MAX);
    for (row, customer_id) in eval.good.iter().zip(&customer_ids) {
        if let Some(r) = eval.results.get_mut(row.index) {
            r.status = "imported".into();
            r.customer_id = Some(customer_id.uuid());
        }
    }
    // The first invoice of each subscription, as the create use-case issues it.
    for (through, ids) in &by_through {
        let issued = monthly_run::run_in(
            &mut *conn,
            ctx,
            Scope::Many {
                subscription_ids: ids,
                through: *through,
            },
        )
        .await?;
        written.invoices += i64::try_from(issued.len()).unwrap_or(i64::MAX);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_in_the_forms_people_type() {
        assert_eq!(parse_rupiah("150000"), Some(150_000));
        assert_eq!(parse_rupiah("150.000"), Some(150_000));
        assert_eq!(parse_rupiah("Rp 150.000"), Some(150_000));
        assert_eq!(parse_rupiah("Rp. 1.500.000"), Some(1_500_000));
        assert_eq!(parse_rupiah("150000.00"), Some(150_000));
        assert_eq!(parse_rupiah("150000.50"), None);
        assert_eq!(parse_rupiah("abc"), None);
        assert_eq!(parse_rupiah(""), None);
    }

    #[test]
    fn dates_in_common_forms() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 5).expect("date");
        assert_eq!(parse_date("2026-11-05"), Some(d));
        assert_eq!(parse_date("05/11/2026"), Some(d));
        assert_eq!(parse_date("2026-11-05 10:00:00"), Some(d));
        assert_eq!(parse_date("kemarin"), None);
    }
}
