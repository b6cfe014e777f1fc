//! Import benchmark: 10,000 customers with plans and subscriptions from one CSV file,
//! through the admin API (upload and preview, dry run = validation of every row, commit
//! in one transaction). Target: ≤ 2 s in total (issue #23).
//!
//!   keyctl session - cargo bench -p billing-tests --bench imports
//!
//! Uses MIKROBILL_TEST_DATABASE_URL when set, otherwise a throwaway cluster.

use std::fmt::Write as _;
use std::time::Instant;

use base64::Engine as _;
use billing_tests::bench::{figure, size};
use billing_tests::spawn_app;
use chrono::{TimeZone, Utc};
use serde_json::json;

#[tokio::main]
pub async fn main() {
    let rows: usize = size(10_000, 200);
    let app = spawn_app().await;
    app.clock.set(
        Utc.with_ymd_and_hms(2026, 11, 2, 1, 0, 0)
            .single()
            .expect("date"),
    );
    let first = [
        "Budi", "Siti", "Agus", "Dewi", "Rudi", "Rina", "Joko", "Sri", "Wati", "Eko",
    ];
    let last = [
        "Santoso",
        "Aminah",
        "Prasetyo",
        "Lestari",
        "Hartono",
        "Wulandari",
    ];
    let plans = [
        ("Paket 10M", 150_000),
        ("Paket 20M", 250_000),
        ("Paket 50M", 400_000),
    ];
    let mut csv =
        String::from("Nama,No HP,Alamat,Paket,Harga,Username PPPoE,Password,Tgl Tagihan\n");
    for n in 0..rows {
        let (plan, price) = plans[n % plans.len()];
        writeln!(
            csv,
            "{} {} {n},08{:010},\"RT {}, RW {}\",{plan},{price},user{n:05},rahasia{n:05},{}",
            first[n % first.len()],
            last[(n / 10) % last.len()],
            1_200_000_000 + n,
            n % 12,
            n % 5,
            1 + n % 28
        )
        .expect("csv");
    }
    let body = json!({
        "file_name": format!("pelanggan-{rows}.csv"),
        "content_base64": base64::engine::general_purpose::STANDARD.encode(csv.as_bytes()),
    });
    println!("CSV: {rows} rows, {} KiB", csv.len() / 1024);
    app.token().await;

    let started = Instant::now();
    let (status, record) = app.call("POST", "/api/imports/file", Some(body)).await;
    assert_eq!(status.as_u16(), 201, "{record}");
    let upload = started.elapsed();
    let id = record["id"].as_str().expect("id").to_owned();
    let opts = json!({"options": {"create_missing_plans": true}});

    let started = Instant::now();
    let (status, dry) = app
        .call(
            "POST",
            &format!("/api/imports/{id}/dry-run"),
            Some(opts.clone()),
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{}", dry["totals"]);
    let dry_run = started.elapsed();
    assert_eq!(dry["totals"]["ok"], rows as i64, "{}", dry["totals"]);

    let started = Instant::now();
    let (status, done) = app
        .call("POST", &format!("/api/imports/{id}/commit"), Some(opts))
        .await;
    assert_eq!(status.as_u16(), 200, "{}", done["totals"]);
    let commit = started.elapsed();
    assert_eq!(done["totals"]["imported"], rows as i64);
    assert_eq!(done["totals"]["subscriptions"], rows as i64);
    assert_eq!(done["totals"]["plans_created"], 3);

    let total = upload + dry_run + commit;
    println!("upload + preview:     {:>8.2} s", upload.as_secs_f64());
    println!("dry run (validation): {:>8.2} s", dry_run.as_secs_f64());
    println!(
        "commit (1 tx):        {:>8.2} s  ({} invoices issued)",
        commit.as_secs_f64(),
        done["totals"]["invoices"]
    );
    println!("total:                {:>8.2} s", total.as_secs_f64());
    figure("imports.upload_s", upload.as_secs_f64(), "s");
    figure("imports.dry_run_s", dry_run.as_secs_f64(), "s");
    figure("imports.commit_s", commit.as_secs_f64(), "s");
    figure("imports.total_s", total.as_secs_f64(), "s");
    app.shutdown().await;
}
