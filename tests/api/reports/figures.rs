//! Every report and the home screen against figures computed from the seed list.

use std::collections::BTreeMap;
use std::io::Cursor;

use billing_tests::*;
use calamine::{Data, Reader, Xlsx};
use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use super::seed::{login, subs, today, Sub, VOUCHERS};
use super::{raw, report, seeded};

fn month(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn due_on(s: &Sub) -> NaiveDate {
    s.start + chrono::Days::new(7)
}

fn owed(s: &Sub) -> i64 {
    s.price - s.payment.map_or(0, |p| p.1)
}

/// (days past due, owed) of every subscription that still owes something.
fn open(subs: &[Sub], router_only: bool) -> Vec<(&Sub, i64)> {
    subs.iter()
        .filter(|s| owed(s) > 0 && (!router_only || s.on_router))
        .map(|s| (s, (today() - due_on(s)).num_days()))
        .collect()
}

fn bucket(days: i64) -> &'static str {
    match days {
        ..=30 => "0-30",
        31..=60 => "31-60",
        61..=90 => "61-90",
        _ => "90+",
    }
}

fn rows(v: &Value, key: &str) -> Vec<Value> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} in {v}"))
        .clone()
}

/// Payments of the seed within [from, to], optionally on the router only.
fn paid(
    subs: &[Sub],
    from: NaiveDate,
    to: NaiveDate,
    router_only: bool,
) -> Vec<(NaiveDate, i64, &'static str, &'static str)> {
    subs.iter()
        .filter(|s| !router_only || s.on_router)
        .filter_map(|s| s.payment)
        .filter(|p| p.0 >= from && p.0 <= to)
        .collect()
}

fn by<K: Ord>(items: impl Iterator<Item = (K, i64)>) -> BTreeMap<K, (i64, i64)> {
    let mut m = BTreeMap::new();
    for (k, amount) in items {
        let e = m.entry(k).or_insert((0, 0));
        e.0 += 1;
        e.1 += amount;
    }
    m
}

#[tokio::test]
async fn home_and_every_report_add_up_to_the_seeded_data_and_exports_match() {
    let s = seeded().await;
    let app = &s.app;
    let subs = subs();
    let today = today();
    let voucher_count: i64 = VOUCHERS.iter().map(|v| v.3 as i64).sum();
    let voucher_gross: i64 = VOUCHERS.iter().map(|v| v.1 * v.3 as i64).sum();

    // --- Home ---
    let home = report(app, "/api/dashboard/home").await;
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("date");
    let today_paid = paid(&subs, today, today, false);
    let month_paid = paid(&subs, first, today, false);
    assert_eq!(
        home["income_today"]["amount"],
        today_paid.iter().map(|p| p.1).sum::<i64>()
    );
    assert_eq!(home["income_today"]["count"], today_paid.len());
    assert_eq!(
        home["income_month"]["amount"],
        month_paid.iter().map(|p| p.1).sum::<i64>()
    );
    let methods = by(month_paid.iter().map(|p| (p.2.to_owned(), p.1)));
    let got: BTreeMap<String, (i64, i64)> = rows(&home["income_month"], "by_method")
        .iter()
        .map(|r| {
            (
                r["method"].as_str().expect("m").to_owned(),
                (
                    r["count"].as_i64().expect("n"),
                    r["amount"].as_i64().expect("a"),
                ),
            )
        })
        .collect();
    assert_eq!(got, methods);
    let all_open = open(&subs, false);
    let overdue: Vec<_> = all_open.iter().filter(|(_, days)| *days > 0).collect();
    let soon: Vec<_> = all_open
        .iter()
        .filter(|(s, days)| *days <= 0 && due_on(s) <= today + chrono::Days::new(6))
        .collect();
    assert_eq!(home["invoices_overdue"]["count"], overdue.len());
    assert_eq!(
        home["invoices_overdue"]["amount"],
        overdue.iter().map(|(s, _)| owed(s)).sum::<i64>()
    );
    assert_eq!(home["invoices_due_soon"]["count"], soon.len());
    assert_eq!(
        home["invoices_due_soon"]["amount"],
        soon.iter().map(|(s, _)| owed(s)).sum::<i64>()
    );
    assert!(!soon.is_empty() && !overdue.is_empty(), "the seed has both");
    assert_eq!(
        home["arrears"]["amount"],
        all_open.iter().map(|(s, _)| owed(s)).sum::<i64>()
    );
    assert_eq!(home["arrears_customers"], all_open.len());
    assert_eq!(
        home["active_subscriptions"],
        subs.iter().filter(|s| s.terminated.is_none()).count()
    );
    assert_eq!(home["isolated_subscriptions"], 0);
    assert_eq!(home["vouchers_sold_today"]["count"], voucher_count);
    assert_eq!(home["vouchers_sold_today"]["gross"], voucher_gross);
    assert_eq!(home["vouchers_sold_month"]["count"], voucher_count);
    assert_eq!(home["vouchers_active"], voucher_count);
    let printed: usize = VOUCHERS.iter().map(|v| v.2).sum();
    assert_eq!(home["vouchers_unused"], printed as i64 - voucher_count);
    assert_eq!(home["routers_total"], 1);
    let routers = rows(&home, "routers");
    assert_eq!(routers[0]["id"], s.router.as_str());
    assert_eq!(routers[0]["active_vouchers"], voucher_count);
    assert_eq!(
        routers[0]["active_subscriptions"],
        subs.iter()
            .filter(|s| s.on_router && s.terminated.is_none())
            .count()
    );
    assert_eq!(home["pending_proofs"], 0);

    // The lists behind the numbers hold the same.
    let (_, list) = app.call("GET", "/api/invoices?due=overdue", None).await;
    assert_eq!(list["total"], overdue.len(), "{list}");
    let (_, list) = app.call("GET", "/api/invoices?due=soon", None).await;
    assert_eq!(list["total"], soon.len(), "{list}");
    let (_, list) = app
        .call(
            "GET",
            &format!("/api/payments?status=paid&paid_from={first}&paid_to={today}"),
            None,
        )
        .await;
    assert_eq!(list["total"], month_paid.len(), "{list}");
    let (_, list) = app
        .call(
            "GET",
            &format!("/api/payments?status=paid&method=cash&paid_from={first}&paid_to={today}"),
            None,
        )
        .await;
    assert_eq!(list["total"], methods["cash"].0, "{list}");

    // --- Revenue per month (default: 12 months up to today) ---
    let rev = report(app, "/api/reports/revenue").await;
    let months = rows(&rev, "months");
    assert_eq!(months.len(), 12);
    assert_eq!(months[11]["month"], month(today));
    assert_eq!(months[0]["month"], "2025-12");
    let year_paid = paid(
        &subs,
        NaiveDate::from_ymd_opt(2025, 12, 1).expect("d"),
        today,
        false,
    );
    let per_month = by(year_paid.iter().map(|p| (month(p.0), p.1)));
    for m in &months {
        let key = m["month"].as_str().expect("month");
        let (n, amount) = per_month.get(key).copied().unwrap_or((0, 0));
        assert_eq!(
            (m["payments"].as_i64(), m["payment_count"].as_i64()),
            (Some(amount), Some(n)),
            "{m}"
        );
        let vouchers = if key == month(today) {
            voucher_gross
        } else {
            0
        };
        assert_eq!(m["vouchers"], vouchers, "{m}");
        assert_eq!(m["total"], amount + vouchers, "{m}");
    }
    let paid_total: i64 = year_paid.iter().map(|p| p.1).sum();
    assert_eq!(rev["total"]["total"], paid_total + voucher_gross);

    // CSV and XLSX say the same.
    let res = raw(app, "/api/reports/revenue?format=csv", &app.token().await).await;
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        disposition
            .starts_with("attachment; filename=\"mikrobill_revenue_2025-12-01_2026-11-20.csv\""),
        "{disposition}"
    );
    let text = res.text().await.expect("csv");
    let mut csv = csv::Reader::from_reader(text.as_bytes());
    let headers = csv.headers().expect("headers").clone();
    assert_eq!(&headers[0], "month");
    let records: Vec<csv::StringRecord> = csv.records().map(|r| r.expect("row")).collect();
    assert_eq!(records.len(), 13);
    for (r, m) in records.iter().zip(&months) {
        assert_eq!(&r[0], m["month"].as_str().expect("m"));
        assert_eq!(
            r[1].parse::<i64>().expect("n"),
            m["payments"].as_i64().expect("p")
        );
        assert_eq!(
            r[5].parse::<i64>().expect("n"),
            m["total"].as_i64().expect("t")
        );
    }
    assert_eq!(&records[12][0], "total");
    assert_eq!(
        records[12][5].parse::<i64>().expect("n"),
        paid_total + voucher_gross
    );

    let res = raw(app, "/api/reports/revenue?format=xlsx", &app.token().await).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .expect("a")
        .ends_with(".xlsx\""));
    let bytes = res.bytes().await.expect("xlsx").to_vec();
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx opens");
    let sheet = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    let cells: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    assert_eq!(cells.len(), 14, "header, 12 months, total");
    assert_eq!(cells[0][0], Data::String("month".into()));
    assert_eq!(cells[13][0], Data::String("total".into()));
    assert_eq!(
        cells[13][5],
        Data::Float((paid_total + voucher_gross) as f64)
    );
    for (r, m) in cells[1..13].iter().zip(&months) {
        assert_eq!(r[1], Data::Float(m["payments"].as_i64().expect("p") as f64));
    }

    // --- Payments by method and by cashier ---
    let year = NaiveDate::from_ymd_opt(2025, 12, 1).expect("d");
    let r = report(app, "/api/reports/payments-by-method").await;
    let expected = by(year_paid.iter().map(|p| (p.2.to_owned(), p.1)));
    let got: BTreeMap<String, (i64, i64)> = rows(&r, "rows")
        .iter()
        .map(|x| {
            (
                x["method"].as_str().expect("m").to_owned(),
                (
                    x["count"].as_i64().expect("n"),
                    x["amount"].as_i64().expect("a"),
                ),
            )
        })
        .collect();
    assert_eq!(got, expected);
    let r = report(app, "/api/reports/payments-by-cashier").await;
    let expected = by(year_paid.iter().map(|p| (p.3.to_owned(), p.1)));
    let got: BTreeMap<String, (i64, i64)> = rows(&r, "rows")
        .iter()
        .map(|x| {
            assert_eq!(x["kind"], "user", "{x}");
            (
                x["name"].as_str().expect("m").to_owned(),
                (
                    x["count"].as_i64().expect("n"),
                    x["amount"].as_i64().expect("a"),
                ),
            )
        })
        .collect();
    assert_eq!(got, expected);
    assert_eq!(expected.len(), 3, "three people recorded money");

    // The period and the router narrow it.
    let (from, to) = (
        NaiveDate::from_ymd_opt(2026, 9, 1).expect("d"),
        NaiveDate::from_ymd_opt(2026, 10, 31).expect("d"),
    );
    let r = report(
        app,
        &format!("/api/reports/payments-by-method?from={from}&to={to}"),
    )
    .await;
    let expected = by(paid(&subs, from, to, false)
        .iter()
        .map(|p| (p.2.to_owned(), p.1)));
    assert_eq!(r["amount"], expected.values().map(|v| v.1).sum::<i64>());
    assert_eq!(rows(&r, "rows").len(), expected.len());
    let r = report(app, &format!("/api/reports/revenue?from={from}&to={to}")).await;
    assert_eq!(rows(&r, "months").len(), 2);
    let router = &s.router;
    let r = report(
        app,
        &format!("/api/reports/payments-by-method?router_id={router}"),
    )
    .await;
    let on_router = paid(&subs, year, today, true);
    assert!(on_router.len() < year_paid.len());
    assert_eq!(r["amount"], on_router.iter().map(|p| p.1).sum::<i64>());
    assert_eq!(r["count"], on_router.len());

    // --- Arrears aging ---
    for router_only in [false, true] {
        let path = if router_only {
            format!("/api/reports/arrears-aging?router_id={router}")
        } else {
            "/api/reports/arrears-aging".to_owned()
        };
        let r = report(app, &path).await;
        let past: Vec<_> = open(&subs, router_only)
            .into_iter()
            .filter(|(_, d)| *d > 0)
            .collect();
        for b in rows(&r, "buckets") {
            let name = b["bucket"].as_str().expect("bucket");
            let these: Vec<_> = past.iter().filter(|(_, d)| bucket(*d) == name).collect();
            assert_eq!(b["invoices"], these.len(), "{path} {b}");
            assert_eq!(b["customers"], these.len(), "{path} {b}");
            assert_eq!(
                b["amount"],
                these.iter().map(|(s, _)| owed(s)).sum::<i64>(),
                "{path} {b}"
            );
        }
        assert_eq!(
            r["total"]["amount"],
            past.iter().map(|(s, _)| owed(s)).sum::<i64>()
        );
    }
    let r = report(app, "/api/reports/arrears-aging").await;
    let filled = rows(&r, "buckets")
        .iter()
        .filter(|b| b["invoices"].as_i64() > Some(0))
        .count();
    assert_eq!(filled, 4, "the seed puts debt in every bucket: {r}");

    // --- Top unpaid ---
    let r = report(app, "/api/reports/top-unpaid?limit=3").await;
    let mut expected: Vec<(i64, String)> = open(&subs, false)
        .iter()
        .map(|(s, _)| (-owed(s), format!("Pelanggan {}", s.login)))
        .collect();
    expected.sort();
    let got: Vec<(i64, String)> = rows(&r, "rows")
        .iter()
        .map(|x| {
            (
                -x["owed"].as_i64().expect("owed"),
                x["name"].as_str().expect("n").to_owned(),
            )
        })
        .collect();
    assert_eq!(got, expected[..3].to_vec());
    assert_eq!(r["owed_total"], expected.iter().map(|e| -e.0).sum::<i64>());
    assert_eq!(r["customers_total"], expected.len());
    let first_row = &rows(&r, "rows")[0];
    let top = subs
        .iter()
        .find(|x| format!("Pelanggan {}", x.login) == first_row["name"])
        .expect("top");
    assert_eq!(first_row["customer_id"], s.customer_ids[top.login].as_str());
    let res = raw(
        app,
        "/api/reports/top-unpaid?limit=3&format=csv",
        &app.token().await,
    )
    .await;
    let text = res.text().await.expect("csv");
    let mut csv = csv::Reader::from_reader(text.as_bytes());
    let owed_col: Vec<i64> = csv
        .records()
        .map(|r| r.expect("row")[3].parse().expect("owed"))
        .collect();
    assert_eq!(
        owed_col[..3],
        got.iter().map(|g| -g.0).collect::<Vec<_>>()[..]
    );

    // --- Subscribers gained and lost ---
    let r = report(app, "/api/reports/subscribers").await;
    for m in rows(&r, "months") {
        let key = m["month"].as_str().expect("m");
        let gained = subs.iter().filter(|s| month(s.start) == key).count();
        let lost = subs
            .iter()
            .filter(|s| s.terminated.is_some_and(|t| month(t) == key))
            .count();
        assert_eq!(
            (m["gained"].as_i64(), m["lost"].as_i64()),
            (Some(gained as i64), Some(lost as i64)),
            "{m}"
        );
    }
    assert_eq!(
        r["total"]["lost"],
        subs.iter().filter(|s| s.terminated.is_some()).count()
    );
    let r = report(app, &format!("/api/reports/subscribers?router_id={router}")).await;
    assert_eq!(
        r["total"]["gained"],
        subs.iter().filter(|s| s.on_router).count()
    );

    // --- Voucher sales ---
    let r = report(app, "/api/reports/vouchers-by-profile").await;
    let got: BTreeMap<String, (i64, i64)> = rows(&r, "rows")
        .iter()
        .map(|x| {
            (
                x["name"].as_str().expect("n").to_owned(),
                (
                    x["count"].as_i64().expect("c"),
                    x["gross"].as_i64().expect("g"),
                ),
            )
        })
        .collect();
    let expected: BTreeMap<String, (i64, i64)> = VOUCHERS
        .iter()
        .map(|v| (v.0.to_owned(), (v.3 as i64, v.1 * v.3 as i64)))
        .collect();
    assert_eq!(got, expected);
    let r = report(app, "/api/reports/vouchers-by-reseller").await;
    assert_eq!(rows(&r, "rows").len(), 1, "only the shop sold: {r}");
    assert_eq!(r["rows"][0]["name"], "");
    assert_eq!(r["total"]["revenue"], voucher_gross);
    let res = raw(
        app,
        "/api/reports/vouchers-by-profile?format=xlsx",
        &app.token().await,
    )
    .await;
    let bytes = res.bytes().await.expect("xlsx").to_vec();
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx opens");
    let sheet = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    let last = sheet.rows().next_back().expect("total row").to_vec();
    assert_eq!(last[0], Data::String("total".into()));
    assert_eq!(last[2], Data::Float(voucher_gross as f64));
    let r = report(
        app,
        "/api/reports/vouchers-by-profile?from=2026-10-01&to=2026-10-31",
    )
    .await;
    assert_eq!(r["total"]["count"], 0, "nothing was sold in October");

    s.app.shutdown().await;
}

#[tokio::test]
async fn bad_filters_are_refused_naming_the_field_and_only_owners_and_admins_see_reports() {
    let s = seeded().await;
    let app = &s.app;
    for (query, field) in [
        ("from=2026-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2026-11-01&to=2026-10-01", "from"),
        ("router_id=not-a-uuid", "router_id"),
        (
            "router_id=6f1c2a9e-0000-4000-8000-000000000000",
            "router_id",
        ),
        ("limit=0", "limit"),
        ("format=pdf", "format"),
    ] {
        let (status, body) = app
            .call("GET", &format!("/api/reports/revenue?{query}"), None)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(body["error"]["field"], field, "{query}: {body}");
    }
    let (status, body) = app.call("GET", "/api/invoices?due=later", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "due");

    for who in ["kasir1", "teknisi"] {
        let token = login(app, who).await;
        for name in billing_app::insight::reports::NAMES {
            let res = raw(app, &format!("/api/reports/{name}"), &token).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who} {name}");
            let res = raw(app, &format!("/api/reports/{name}?format=csv"), &token).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who} {name} csv");
        }
        // The home screen is for every staff member.
        let res = raw(app, "/api/dashboard/home", &token).await;
        assert_eq!(res.status(), StatusCode::OK, "{who} home");
    }
    s.app.shutdown().await;
}
