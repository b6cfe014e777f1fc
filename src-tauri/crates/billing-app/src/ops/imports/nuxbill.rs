//! PHPNuxBill database dumps (`mysqldump`): a tolerant reader of `CREATE TABLE` and
//! `INSERT` statements, and the mapping of `tbl_customers`, `tbl_plans` and
//! `tbl_user_recharges` (and the customer `balance`) into import rows.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::rows::{parse_date, parse_rupiah};
use super::table::Sheet;
use crate::Error;

/// One SQL value of an `INSERT`.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Text(String),
}

impl Value {
    fn text(&self) -> &str {
        match self {
            Value::Null => "",
            Value::Text(s) => s,
        }
    }
}

/// The rows of every table in the dump, by table name, with column names.
#[derive(Debug, Default)]
pub struct Dump {
    pub tables: HashMap<String, Table>,
}

#[derive(Debug, Default)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    fn records(&self) -> impl Iterator<Item = HashMap<&str, &str>> + '_ {
        self.rows.iter().map(|r| {
            self.columns
                .iter()
                .map(String::as_str)
                .zip(r.iter().map(Value::text))
                .collect()
        })
    }
}

/// Splits the dump into statements (outside strings and comments), without comments.
fn statements(sql: &str) -> Vec<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\'' | '"' | '`' => {
                cur.push(c);
                i += 1;
                while i < chars.len() {
                    let d = chars[i];
                    cur.push(d);
                    i += 1;
                    if d == '\\' && c != '`' {
                        if let Some(e) = chars.get(i) {
                            cur.push(*e);
                            i += 1;
                        }
                    } else if d == c {
                        if chars.get(i) == Some(&c) {
                            cur.push(c);
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
            '-' if next == Some('-') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
                cur.push(' ');
            }
            ';' => {
                if !cur.trim().is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                cur.clear();
                i += 1;
            }
            _ => {
                cur.push(c);
                i += 1;
            }
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Quoted(String),
    Ident(String),
    Punct(char),
}

fn tokens(stmt: &str) -> Vec<Tok> {
    let chars: Vec<char> = stmt.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' || c == '"' {
            let mut s = String::new();
            i += 1;
            while i < chars.len() {
                let d = chars[i];
                i += 1;
                if d == '\\' {
                    let e = chars.get(i).copied().unwrap_or('\\');
                    i += 1;
                    s.push(match e {
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        '0' => '\0',
                        'Z' => '\u{1a}',
                        other => other,
                    });
                } else if d == c {
                    if chars.get(i) == Some(&c) {
                        s.push(c);
                        i += 1;
                    } else {
                        break;
                    }
                } else {
                    s.push(d);
                }
            }
            out.push(Tok::Quoted(s));
        } else if c == '`' {
            let mut s = String::new();
            i += 1;
            while i < chars.len() {
                let d = chars[i];
                i += 1;
                if d == '`' {
                    if chars.get(i) == Some(&'`') {
                        s.push('`');
                        i += 1;
                    } else {
                        break;
                    }
                } else {
                    s.push(d);
                }
            }
            out.push(Tok::Ident(s));
        } else if matches!(c, '(' | ')' | ',' | '.' | '=') {
            out.push(Tok::Punct(c));
            i += 1;
        } else {
            let mut s = String::new();
            while i < chars.len() {
                let d = chars[i];
                if d.is_whitespace() || matches!(d, '(' | ')' | ',' | '\'' | '"' | '`' | '=') {
                    break;
                }
                s.push(d);
                i += 1;
            }
            // `-5`, `1.5e3`: a word may carry a dot when it is a number.
            out.push(Tok::Word(s));
        }
    }
    out
}

fn is_word(t: Option<&Tok>, w: &str) -> bool {
    matches!(t, Some(Tok::Word(x)) if x.eq_ignore_ascii_case(w))
}

fn name_of(t: Option<&Tok>) -> Option<String> {
    match t {
        Some(Tok::Ident(s)) | Some(Tok::Word(s)) => Some(s.clone()),
        _ => None,
    }
}

/// `schema`.`table` or `table` starting at `i`; returns the name and the next position.
fn table_name(toks: &[Tok], mut i: usize) -> Option<(String, usize)> {
    let mut name = name_of(toks.get(i))?;
    i += 1;
    if toks.get(i) == Some(&Tok::Punct('.')) {
        name = name_of(toks.get(i + 1))?;
        i += 2;
    }
    Some((name, i))
}

const NOT_COLUMNS: [&str; 8] = [
    "PRIMARY",
    "KEY",
    "UNIQUE",
    "CONSTRAINT",
    "INDEX",
    "FULLTEXT",
    "FOREIGN",
    "CHECK",
];

fn parse_create(toks: &[Tok], dump: &mut Dump) {
    let mut i = 2;
    if is_word(toks.get(i), "IF") {
        i += 3; // IF NOT EXISTS
    }
    let Some((name, mut i)) = table_name(toks, i) else {
        return;
    };
    if toks.get(i) != Some(&Tok::Punct('(')) {
        return;
    }
    i += 1;
    let mut columns = Vec::new();
    let mut depth = 0;
    let mut at_start = true;
    while i < toks.len() {
        match &toks[i] {
            Tok::Punct('(') => depth += 1,
            Tok::Punct(')') if depth == 0 => break,
            Tok::Punct(')') => depth -= 1,
            Tok::Punct(',') if depth == 0 => {
                at_start = true;
                i += 1;
                continue;
            }
            t if at_start => {
                let col = match t {
                    Tok::Ident(s) => Some(s.clone()),
                    Tok::Word(s) if !NOT_COLUMNS.contains(&s.to_uppercase().as_str()) => {
                        Some(s.clone())
                    }
                    _ => None,
                };
                columns.extend(col);
            }
            _ => {}
        }
        at_start = false;
        i += 1;
    }
    dump.tables.entry(name).or_default().columns = columns;
}

fn parse_insert(toks: &[Tok], dump: &mut Dump) {
    // INSERT [LOW_PRIORITY|IGNORE …] INTO name [(cols)] VALUES (…), (…)
    let Some(into) = toks.iter().position(|t| is_word(Some(t), "INTO")) else {
        return;
    };
    let Some((name, mut i)) = table_name(toks, into + 1) else {
        return;
    };
    let mut columns = Vec::new();
    if toks.get(i) == Some(&Tok::Punct('(')) {
        i += 1;
        while i < toks.len() && toks[i] != Tok::Punct(')') {
            if let Some(c) = name_of(toks.get(i)) {
                columns.push(c);
            }
            i += 1;
        }
        i += 1;
    }
    if !(is_word(toks.get(i), "VALUES") || is_word(toks.get(i), "VALUE")) {
        return;
    }
    i += 1;
    let table = dump.tables.entry(name).or_default();
    if !columns.is_empty() {
        table.columns = columns;
    }
    while i < toks.len() {
        if toks[i] != Tok::Punct('(') {
            i += 1;
            continue;
        }
        i += 1;
        let mut row = Vec::new();
        let mut pending: Option<Value> = None;
        while i < toks.len() && toks[i] != Tok::Punct(')') {
            match &toks[i] {
                Tok::Punct(',') => row.push(pending.take().unwrap_or(Value::Null)),
                Tok::Quoted(s) => pending = Some(Value::Text(s.clone())),
                Tok::Word(w) if w.eq_ignore_ascii_case("NULL") => pending = Some(Value::Null),
                Tok::Word(w) => {
                    let joined = match pending.take() {
                        Some(Value::Text(prev)) => format!("{prev}{w}"),
                        _ => w.clone(),
                    };
                    pending = Some(Value::Text(joined));
                }
                Tok::Punct('.') => {
                    if let Some(Value::Text(prev)) = pending.as_mut() {
                        prev.push('.');
                    }
                }
                _ => {}
            }
            i += 1;
        }
        row.push(pending.take().unwrap_or(Value::Null));
        table.rows.push(row);
        i += 1;
    }
}

/// Reads every `CREATE TABLE` and `INSERT` of a dump; other statements are skipped.
pub fn parse(sql: &str) -> Dump {
    let mut dump = Dump::default();
    for stmt in statements(sql) {
        let toks = tokens(&stmt);
        if is_word(toks.first(), "CREATE") && is_word(toks.get(1), "TABLE") {
            parse_create(&toks, &mut dump);
        } else if is_word(toks.first(), "INSERT") || is_word(toks.first(), "REPLACE") {
            parse_insert(&toks, &mut dump);
        }
    }
    dump
}

pub const HEADERS: [&str; 13] = [
    "name",
    "phone",
    "address",
    "notes",
    "plan",
    "price",
    "kind",
    "login",
    "password",
    "billing_day",
    "start_on",
    "credit",
    "phpnuxbill_id",
];

/// The dump as import rows (one per customer) and notes on what is not brought over.
pub fn convert(sql: &str, today: NaiveDate) -> Result<(Sheet, Vec<String>), Error> {
    let dump = parse(sql);
    let Some(customers) = dump.tables.get("tbl_customers") else {
        return Err(Error::validation(
            "content",
            "no tbl_customers rows in the file: is it a PHPNuxBill dump?",
        ));
    };
    let empty = Table::default();
    let plans_t = dump.tables.get("tbl_plans").unwrap_or(&empty);
    let recharges_t = dump.tables.get("tbl_user_recharges").unwrap_or(&empty);
    let mut notes = Vec::new();

    let mut plans: HashMap<String, (String, String, String)> = HashMap::new();
    let mut balance_plans = 0;
    for p in plans_t.records() {
        let kind = match p.get("type").copied().unwrap_or_default() {
            "PPPOE" | "PPPoE" => "pppoe",
            "Hotspot" => "hotspot",
            _ => {
                balance_plans += 1;
                continue;
            }
        };
        plans.insert(
            p.get("id").copied().unwrap_or_default().to_owned(),
            (
                p.get("name_plan").copied().unwrap_or_default().to_owned(),
                p.get("price").copied().unwrap_or_default().to_owned(),
                kind.to_owned(),
            ),
        );
    }
    if balance_plans > 0 {
        notes.push(format!(
            "{balance_plans} PHPNuxBill plan(s) of type Balance (wallet top-up packages) were not brought over: balances come over as customer credit instead"
        ));
    }

    // The latest active recharge of each customer.
    let mut active: HashMap<String, HashMap<&str, &str>> = HashMap::new();
    let mut expired = 0;
    let mut extra_active = 0;
    for r in recharges_t.records() {
        if r.get("status").copied() != Some("on") {
            expired += 1;
            continue;
        }
        let cid = r.get("customer_id").copied().unwrap_or_default().to_owned();
        let newer = active.get(&cid).is_none_or(|old| {
            old.get("expiration").copied().unwrap_or_default()
                < r.get("expiration").copied().unwrap_or_default()
        });
        if active.contains_key(&cid) {
            extra_active += 1;
        }
        if newer {
            active.insert(cid, r);
        }
    }
    if expired > 0 {
        notes.push(format!(
            "{expired} expired or inactive recharge(s) (status off) were not brought over: only active recharges become subscriptions"
        ));
    }
    if extra_active > 0 {
        notes.push(format!(
            "{extra_active} customer(s) had more than one active recharge: only the one that runs longest became a subscription"
        ));
    }
    for t in ["tbl_transactions", "tbl_voucher", "tbl_payment_gateway"] {
        if let Some(table) = dump.tables.get(t) {
            if !table.rows.is_empty() {
                notes.push(format!(
                    "{} row(s) of {t} (history) were not brought over",
                    table.rows.len()
                ));
            }
        }
    }

    let mut rows = Vec::new();
    let mut unknown_plan = 0;
    for (n, c) in customers.records().enumerate() {
        let get = |k: &str| c.get(k).copied().unwrap_or_default().trim().to_owned();
        let id = get("id");
        let username = get("username");
        let name = match get("fullname") {
            f if f.is_empty() => username.clone(),
            f => f,
        };
        let mut notes_cell = format!("PHPNuxBill: {username}");
        let email = get("email");
        if email.contains('@') {
            notes_cell.push_str(&format!(", {email}"));
        }
        let credit = match get("balance") {
            b if b.is_empty() => String::new(),
            b => match b.parse::<f64>() {
                Ok(v) if v > 0.0 => parse_rupiah(&b).map_or(b, |r| r.to_string()),
                _ => String::new(),
            },
        };
        let (mut plan, mut price, mut kind, mut login, mut password) = (
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        );
        let (mut start_on, mut billing_day) = (String::new(), String::new());
        if let Some(r) = active.get(&id) {
            let plan_id = r.get("plan_id").copied().unwrap_or_default();
            match plans.get(plan_id) {
                Some((name, p, k)) => {
                    plan = name.clone();
                    price = p.clone();
                    kind = k.clone();
                    login = username.clone();
                    password = match get("pppoe_password") {
                        p if p.is_empty() => get("password"),
                        p => p,
                    };
                    // Paid through the expiration date: billing starts there.
                    if let Some(exp) = r.get("expiration").and_then(|e| parse_date(e)) {
                        let start = exp.max(today);
                        start_on = start.to_string();
                        billing_day = chrono::Datelike::day(&start).min(28).to_string();
                    }
                }
                None => unknown_plan += 1,
            }
        }
        rows.push((
            i32::try_from(n + 1).unwrap_or(i32::MAX),
            vec![
                name,
                get("phonenumber"),
                get("address"),
                notes_cell,
                plan,
                price,
                kind,
                login,
                password,
                billing_day,
                start_on,
                credit,
                id,
            ],
        ));
    }
    if unknown_plan > 0 {
        notes.push(format!(
            "{unknown_plan} active recharge(s) point to a plan missing from tbl_plans (or a Balance plan): those customers came over without a subscription"
        ));
    }
    Ok((
        Sheet {
            headers: HEADERS.iter().map(|h| (*h).to_owned()).collect(),
            rows,
        },
        notes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mysqldump_syntax_is_read() {
        let sql = "-- MySQL dump\n/*!40101 SET NAMES utf8mb4 */;\n\
            CREATE TABLE `t` (\n `id` int(10) NOT NULL,\n `name` varchar(45) DEFAULT 'a,b',\n \
            `note` text,\n PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\n\
            INSERT INTO `t` VALUES (1,'O\\'Brien; \"x\"',NULL),(2,'it''s',-5.50),\
            (3,'line\\nbreak','back\\\\slash');\n\
            INSERT INTO u (`name`, id) VALUES ('Z', 9);";
        let dump = parse(sql);
        let t = &dump.tables["t"];
        assert_eq!(t.columns, vec!["id", "name", "note"]);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[0][1], Value::Text("O'Brien; \"x\"".into()));
        assert_eq!(t.rows[0][2], Value::Null);
        assert_eq!(t.rows[1][1], Value::Text("it's".into()));
        assert_eq!(t.rows[1][2], Value::Text("-5.50".into()));
        assert_eq!(t.rows[2][1], Value::Text("line\nbreak".into()));
        assert_eq!(t.rows[2][2], Value::Text("back\\slash".into()));
        assert_eq!(dump.tables["u"].columns, vec!["name", "id"]);
        assert_eq!(dump.tables["u"].rows[0][0], Value::Text("Z".into()));
    }
}
