//! What a backup must reproduce: the row count of every table and, for the money tables, a
//! checksum over every row and the sum of the money column. Captured inside the snapshot
//! pg_dump reads, and again after restoring, with fixed text settings so the same rows give
//! the same checksum on any connection.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

/// Money tables and their money column.
pub const MONEY_TABLES: [(&str, &str); 8] = [
    ("invoices", "total"),
    ("invoice_lines", "amount"),
    ("carry_overs", "amount"),
    ("payments", "amount"),
    ("ledger_entries", "delta"),
    ("allocations", "amount"),
    ("reseller_ledger", "amount"),
    ("voucher_batches", "price"),
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Census {
    /// Rows of every table in the `public` schema.
    pub tables: BTreeMap<String, i64>,
    /// The money tables: rows, checksum and total.
    pub money: BTreeMap<String, MoneyCheck>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MoneyCheck {
    pub rows: i64,
    /// md5 over the md5 of every row's text, in sorted order.
    pub checksum: String,
    /// Sum of the money column (minor units).
    pub total: i64,
}

impl Census {
    pub fn total_rows(&self) -> i64 {
        self.tables.values().sum()
    }
}

/// Makes row text independent of the session (time zone, date and number formats). Must
/// run inside the transaction that captures the census.
pub async fn fix_text_settings(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    for setting in [
        "set local timezone to 'UTC'",
        "set local datestyle to 'ISO, YMD'",
        "set local intervalstyle to 'postgres'",
        "set local extra_float_digits to 1",
        "set local bytea_output to 'hex'",
    ] {
        sqlx::query(setting).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Counts every table and checks the money tables, as the current transaction sees them.
pub async fn capture(conn: &mut PgConnection) -> Result<Census, sqlx::Error> {
    let tables: Vec<String> = sqlx::query_scalar(
        "select tablename::text from pg_tables where schemaname = 'public' order by 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut census = Census::default();
    for table in &tables {
        let count: i64 =
            sqlx::query_scalar(&format!("select count(*) from public.{}", ident(table)))
                .fetch_one(&mut *conn)
                .await?;
        census.tables.insert(table.clone(), count);
    }
    for (table, column) in MONEY_TABLES {
        if !tables.iter().any(|t| t == table) {
            continue;
        }
        let (rows, checksum, total): (i64, String, i64) = sqlx::query_as(&format!(
            "select count(*), \
                    coalesce(md5(string_agg(h, '' order by h)), ''), \
                    coalesce(sum(m), 0)::bigint \
             from (select md5(t::text) as h, t.{col} as m from public.{tbl} t) rows",
            col = ident(column),
            tbl = ident(table),
        ))
        .fetch_one(&mut *conn)
        .await?;
        census.money.insert(
            table.to_owned(),
            MoneyCheck {
                rows,
                checksum,
                total,
            },
        );
    }
    Ok(census)
}

/// What differs between the census of the source and of a restored copy, in words.
pub fn differences(expected: &Census, actual: &Census) -> Vec<String> {
    let mut out = Vec::new();
    for (table, rows) in &expected.tables {
        match actual.tables.get(table) {
            None => out.push(format!("table {table} is missing")),
            Some(got) if got != rows => {
                out.push(format!("table {table} has {got} rows instead of {rows}"))
            }
            Some(_) => {}
        }
    }
    for table in actual.tables.keys() {
        if !expected.tables.contains_key(table) {
            out.push(format!("table {table} should not be there"));
        }
    }
    for (table, want) in &expected.money {
        match actual.money.get(table) {
            None => out.push(format!("the money table {table} was not checked")),
            Some(got) if got.total != want.total => out.push(format!(
                "{table}: the money total is {} instead of {}",
                got.total, want.total
            )),
            Some(got) if got.checksum != want.checksum => {
                out.push(format!("{table}: the rows differ (checksum mismatch)"))
            }
            Some(_) => {}
        }
    }
    out
}

/// A quoted SQL identifier.
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn census(invoices: i64, checksum: &str) -> Census {
        let mut c = Census::default();
        c.tables.insert("customers".into(), 10);
        c.tables.insert("invoices".into(), invoices);
        c.money.insert(
            "invoices".into(),
            MoneyCheck {
                rows: invoices,
                checksum: checksum.into(),
                total: 150_000 * invoices,
            },
        );
        c
    }

    #[test]
    fn equal_censuses_have_no_differences() {
        assert!(differences(&census(3, "abc"), &census(3, "abc")).is_empty());
    }

    #[test]
    fn differences_name_the_table_and_what_is_wrong() {
        let diff = differences(&census(3, "abc"), &census(2, "abd"));
        assert_eq!(
            diff,
            [
                "table invoices has 2 rows instead of 3",
                "invoices: the money total is 300000 instead of 450000"
            ]
        );
        let diff = differences(&census(3, "abc"), &census(3, "abd"));
        assert_eq!(diff, ["invoices: the rows differ (checksum mismatch)"]);
        let mut missing = census(3, "abc");
        missing.tables.remove("customers");
        missing.tables.insert("extra".into(), 0);
        let diff = differences(&census(3, "abc"), &missing);
        assert_eq!(
            diff,
            [
                "table customers is missing",
                "table extra should not be there"
            ]
        );
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
    }
}
