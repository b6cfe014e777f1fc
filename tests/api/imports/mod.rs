//! Imports: CSV/XLSX files, a PHPNuxBill dump and a router kept the Mikhmon way, through the
//! real API on a real PostgreSQL (and the RouterOS simulator over real TCP).

mod mikhmon;
mod nuxbill;

use base64::Engine as _;
use billing_tests::*;
use serde_json::{json, Value};

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub async fn count(app: &TestApp, table: &str) -> i64 {
    let pool = app.pool().await;
    sqlx::query_scalar(&format!("select count(*) from {table}"))
        .fetch_one(&pool)
        .await
        .expect("count")
}

pub async fn plan(app: &TestApp, name: &str, price: i64, profile: &str) -> Value {
    let (status, p) = app
        .call(
            "POST",
            "/api/plans",
            Some(json!({"name": name, "price": price, "kind": "pppoe", "router_profile": profile})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    p
}

pub async fn upload(app: &TestApp, path: &str, file_name: &str, bytes: &[u8]) -> Value {
    let (status, record) = app
        .call(
            "POST",
            path,
            Some(json!({"file_name": file_name, "content_base64": b64(bytes)})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{record}");
    record
}

pub async fn step(app: &TestApp, id: &str, action: &str, body: Value) -> Value {
    let (status, record) = app
        .call("POST", &format!("/api/imports/{id}/{action}"), Some(body))
        .await;
    assert_eq!(status, StatusCode::OK, "{record}");
    record
}

/// row number → (status, fields with errors)
pub fn outcome(record: &Value) -> Vec<(i64, String, Vec<String>)> {
    record["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["row"].as_i64().expect("row"),
                r["status"].as_str().expect("status").to_owned(),
                r["errors"]
                    .as_array()
                    .expect("errors")
                    .iter()
                    .map(|e| e["field"].as_str().expect("field").to_owned())
                    .collect(),
            )
        })
        .collect()
}

const CSV: &str = "Nama,No HP,Alamat,Paket,Harga,Username PPPoE,Password,Tgl Tagihan\n\
Budi Santoso,0812-3456-7801,Jl. Mawar 1,Paket 10M,150000,budi,rahasia-budi,5\n\
Siti Aminah,+62 812 3456 7802,\"Jl. Melati, Gg. 2\",Paket 20M,250.000,siti,rahasia-siti,\n\
Andi,12345,Jl. Kenanga,Paket 10M,150000,andi,rahasia-andi,\n\
Dewi,081234567801,Jl. Anggrek,Paket 10M,150000,dewi,rahasia-dewi,\n\
Eko,081234567805,,Paket Gaib,99000,eko,rahasia-eko,\n\
,081234567806,,Paket 10M,150000,tanpanama,rahasia-nn,\n\
Rina,081234567807,Jl. Dahlia,,,,,\n";

#[tokio::test]
async fn csv_import_reports_bad_rows_keeps_good_ones_and_never_duplicates() {
    let app = spawn_app().await;
    plan(&app, "Paket 10M", 150_000, "10M").await;
    plan(&app, "Paket 20M", 250_000, "20M").await;

    let record = upload(&app, "/api/imports/file", "pelanggan.csv", CSV.as_bytes()).await;
    assert_eq!(record["source"], "csv");
    assert_eq!(record["row_count"], 7);
    assert_eq!(record["mapping"]["name"], "Nama");
    assert_eq!(record["mapping"]["phone"], "No HP");
    assert_eq!(record["mapping"]["login"], "Username PPPoE");
    assert_eq!(record["mapping"]["billing_day"], "Tgl Tagihan");
    assert_eq!(
        record["sample"][0][6], "••••",
        "passwords are masked in the preview"
    );
    let id = record["id"].as_str().expect("id").to_owned();

    let dry = step(&app, &id, "dry-run", json!({})).await;
    let rows = outcome(&dry);
    assert_eq!(
        rows,
        vec![
            (2, "ok".into(), vec![]),
            (3, "ok".into(), vec![]),
            (4, "error".into(), vec!["phone".to_owned()]),
            (5, "duplicate".into(), vec!["phone".to_owned()]),
            (6, "error".into(), vec!["plan".to_owned()]),
            (7, "error".into(), vec!["name".to_owned()]),
            (8, "ok".into(), vec![]),
        ]
    );
    assert_eq!(dry["totals"]["ok"], 3);
    assert_eq!(dry["totals"]["customers"], 3);
    assert_eq!(dry["totals"]["subscriptions"], 2);
    assert_eq!(
        count(&app, "customers").await,
        0,
        "a dry run writes nothing"
    );
    assert_eq!(count(&app, "subscriptions").await, 0);
    assert_eq!(count(&app, "invoices").await, 0);

    let done = step(&app, &id, "commit", json!({})).await;
    assert_eq!(done["status"], "committed");
    assert_eq!(done["totals"]["imported"], 3);
    assert_eq!(done["totals"]["errors"], 3);
    assert_eq!(done["totals"]["duplicates"], 1);
    assert_eq!(count(&app, "customers").await, 3);
    assert_eq!(count(&app, "subscriptions").await, 2);
    // Each subscription got its first invoice, as the create use-case issues it.
    assert_eq!(count(&app, "invoices").await, 2);

    let pool = app.pool().await;
    let (phone, address): (String, String) =
        sqlx::query_as("select phone, address from customers where name = 'Siti Aminah'")
            .fetch_one(&pool)
            .await
            .expect("siti");
    assert_eq!(phone, "6281234567802", "the phone is normalised to 62…");
    assert_eq!(address, "Jl. Melati, Gg. 2");
    let (sealed, day): (Vec<u8>, i16) =
        sqlx::query_as("select password_enc, billing_day from subscriptions where login = 'budi'")
            .fetch_one(&pool)
            .await
            .expect("budi");
    assert_eq!(day, 5);
    assert!(
        !sealed.windows(12).any(|w| w == b"rahasia-budi"),
        "the PPPoE password is sealed"
    );
    let raw: Option<Vec<u8>> =
        sqlx::query_scalar("select data_enc from imports where id = $1::uuid")
            .bind(&id)
            .fetch_one(&pool)
            .await
            .expect("import");
    assert!(
        raw.is_none(),
        "the uploaded rows are dropped after the commit"
    );

    // The report can be opened again.
    let (status, again) = app.call("GET", &format!("/api/imports/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(outcome(&again)[3].1, "duplicate");
    assert_eq!(outcome(&again)[0].1, "imported");
    let (_, list) = app.call("GET", "/api/imports", None).await;
    assert_eq!(list["items"][0]["id"], id.as_str());

    // A second commit of the same draft is refused; the same file again imports nothing.
    let (status, _) = app
        .call(
            "POST",
            &format!("/api/imports/{id}/commit"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let second = upload(&app, "/api/imports/file", "pelanggan.csv", CSV.as_bytes()).await;
    let second_id = second["id"].as_str().expect("id");
    let done = step(&app, second_id, "commit", json!({})).await;
    assert_eq!(done["totals"]["imported"], 0);
    assert_eq!(done["totals"]["duplicates"], 4);
    assert_eq!(count(&app, "customers").await, 3);
    assert_eq!(count(&app, "subscriptions").await, 2);
}

#[tokio::test]
async fn xlsx_import_creates_missing_plans_and_brings_credit_through_the_ledger() {
    let app = spawn_app().await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows: [[&str; 7]; 3] = [
        [
            "Name", "Phone", "Plan", "Price", "Login", "Password", "Balance",
        ],
        [
            "Joko",
            "081399990001",
            "Paket 30M",
            "300000",
            "joko",
            "rahasia-joko",
            "50000",
        ],
        [
            "Lina",
            "0213456789",
            "Paket 30M",
            "300000",
            "lina",
            "rahasia-lina",
            "",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (u32::try_from(r).expect("r"), u16::try_from(c).expect("c"));
            if r > 0 && (c == 3 || c == 6) && !cell.is_empty() {
                sheet
                    .write_number(r, c, cell.parse::<f64>().expect("number"))
                    .expect("write");
            } else {
                sheet.write_string(r, c, *cell).expect("write");
            }
        }
    }
    let bytes = book.save_to_buffer().expect("xlsx");
    let record = upload(&app, "/api/imports/file", "pelanggan.xlsx", &bytes).await;
    assert_eq!(record["source"], "xlsx");
    assert_eq!(record["mapping"]["credit"], "Balance");
    let id = record["id"].as_str().expect("id").to_owned();

    // Without the option the plan is unknown; with it, it is created.
    let dry = step(&app, &id, "dry-run", json!({})).await;
    assert_eq!(
        outcome(&dry)[0],
        (2, "error".into(), vec!["plan".to_owned()])
    );
    let opts = json!({"options": {"create_missing_plans": true}});
    let dry = step(&app, &id, "dry-run", opts.clone()).await;
    assert_eq!(outcome(&dry)[0].1, "ok");
    assert_eq!(
        outcome(&dry)[1],
        (3, "error".into(), vec!["phone".to_owned()])
    );
    assert_eq!(dry["totals"]["plans_created"], 1);
    assert_eq!(count(&app, "plans").await, 0);

    let done = step(&app, &id, "commit", opts).await;
    assert_eq!(done["totals"]["imported"], 1);
    assert_eq!(done["totals"]["credit"], 50_000);
    let pool = app.pool().await;
    let price: i64 = sqlx::query_scalar("select price from plans where name = 'Paket 30M'")
        .fetch_one(&pool)
        .await
        .expect("plan");
    assert_eq!(price, 300_000);
    let customer = done["results"][0]["customer_id"]
        .as_str()
        .expect("customer");
    let (status, balance) = app
        .call("GET", &format!("/api/customers/{customer}/balance"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{balance}");
    let entries = balance["entries"].as_array().expect("entries");
    let brought: i64 = entries
        .iter()
        .filter(|e| e["reason"] == "adjustment")
        .map(|e| e["delta"].as_i64().expect("delta"))
        .sum();
    assert_eq!(
        brought, 50_000,
        "the balance came in as one ledger adjustment"
    );
    let invoice_paid: i64 = sqlx::query_scalar(
        "select coalesce(sum(a.amount), 0)::bigint from allocations a \
         join invoices i on i.id = a.invoice_id join customers c on c.id = i.customer_id \
         where c.name = 'Joko'",
    )
    .fetch_one(&pool)
    .await
    .expect("allocations");
    assert!(invoice_paid > 0, "the credit pays the first invoice");
}

#[tokio::test]
async fn bad_uploads_and_mappings_name_the_field() {
    let app = spawn_app().await;
    let (status, body) = app
        .call(
            "POST",
            "/api/imports/file",
            Some(json!({"file_name": "x.csv", "content_base64": "%%%"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("content_base64"), "{body}");
    let record = upload(&app, "/api/imports/file", "x.csv", b"kolom1,kolom2\na,b\n").await;
    let id = record["id"].as_str().expect("id");
    let (status, body) = app
        .call(
            "POST",
            &format!("/api/imports/{id}/dry-run"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("mapping"), "{body}");
    let dry = step(
        &app,
        id,
        "dry-run",
        json!({"mapping": {"name": "kolom1", "phone": "kolom2"}}),
    )
    .await;
    assert_eq!(
        outcome(&dry)[0],
        (2, "error".into(), vec!["phone".to_owned()])
    );
}

#[tokio::test]
async fn a_commit_is_one_transaction_all_good_rows_or_none() {
    let app = spawn_app().await;
    plan(&app, "Paket 10M", 150_000, "10M").await;
    let record = upload(&app, "/api/imports/file", "pelanggan.csv", CSV.as_bytes()).await;
    let id = record["id"].as_str().expect("id").to_owned();
    // The database refuses the last good row (Rina) only when it is written.
    let pool = app.pool().await;
    sqlx::query(
        "create function refuse_rina() returns trigger language plpgsql as $$ \
         begin if new.name = 'Rina' then raise exception 'refused for the test'; end if; \
         return new; end $$",
    )
    .execute(&pool)
    .await
    .expect("function");
    sqlx::query(
        "create trigger refuse_rina before insert on customers \
         for each row execute function refuse_rina()",
    )
    .execute(&pool)
    .await
    .expect("trigger");
    let (status, _) = app
        .call(
            "POST",
            &format!("/api/imports/{id}/commit"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        count(&app, "customers").await,
        0,
        "the rows before it were rolled back"
    );
    assert_eq!(count(&app, "subscriptions").await, 0);
    assert_eq!(count(&app, "invoices").await, 0);
    let (_, again) = app.call("GET", &format!("/api/imports/{id}"), None).await;
    assert_eq!(
        again["status"], "draft",
        "the import can be committed again"
    );

    sqlx::query("drop trigger refuse_rina on customers")
        .execute(&pool)
        .await
        .expect("drop");
    let done = step(&app, &id, "commit", json!({})).await;
    assert_eq!(
        done["totals"]["imported"], 2,
        "Budi and Rina (Siti's plan is unknown here)"
    );
    assert_eq!(count(&app, "customers").await, 2);
}
