//! Every benchmark of the app in one binary (one optimised link instead of nine).
//!
//!   keyctl session - cargo bench -p billing-tests --bench suite -- billing webhooks
//!
//! With no names, every benchmark runs in turn. `bash tests/benches/all.sh` runs each one in
//! its own process at full size and prints the table against `tests/benches/baseline.json`;
//! `MIKROBILL_BENCH_SIZE=smoke` runs them at the size CI uses (seconds each). Each benchmark
//! prints its figures as `bench: <key> <value> <unit>` lines.

mod backup;
mod billing;
mod imports;
mod reports;
mod routeros;
mod routers;
mod shop;
mod vouchers;
mod webhooks;
mod whatsapp;

/// Name, what it measures, entry point.
const BENCHES: &[(&str, &str, fn())] = &[
    (
        "routeros",
        "RouterOS client: pipelined and sequential adds, print",
        routeros::main,
    ),
    (
        "billing",
        "monthly billing of 10,000 subscriptions, payments, customer search",
        billing::main,
    ),
    (
        "webhooks",
        "Duitku callbacks sustained and saturated, pay page",
        webhooks::main,
    ),
    (
        "routers",
        "isolation of 500 online subscribers, reconciliation of 5,000 secrets",
        routers::main,
    ),
    (
        "vouchers",
        "voucher batches at 20 ms round trip, one call each, monitor",
        vouchers::main,
    ),
    ("whatsapp", "WhatsApp queue per message", whatsapp::main),
    (
        "shop",
        "voucher shop page, code after the callback, customer page sign-in",
        shop::main,
    ),
    (
        "reports",
        "home screen and reports at 10,000 customers / 120,000 invoices",
        reports::main,
    ),
    (
        "imports",
        "import of 10,000 customers with subscriptions",
        imports::main,
    ),
    (
        "backup",
        "backup, verify, restore, size; health endpoint",
        backup::main,
    ),
];

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --bench` passes nothing of ours.
    let names: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if let Some(unknown) = names
        .iter()
        .find(|n| !BENCHES.iter().any(|(name, _, _)| name == n))
    {
        eprintln!("unknown benchmark {unknown:?}; known:");
        for (name, what, _) in BENCHES {
            eprintln!("  {name:<10} {what}");
        }
        std::process::exit(2);
    }
    for (name, what, run) in BENCHES {
        if names.is_empty() || names.iter().any(|n| n == name) {
            println!("== {name}: {what}");
            run();
        }
    }
}
