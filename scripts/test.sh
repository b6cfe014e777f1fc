#!/usr/bin/env bash
# Runs every test: formatting and lints, the Rust unit and end-to-end tests (real
# PostgreSQL through the app's embedded-Postgres code, the real OS keyring), the
# browser test of the dashboard in Chromium, the desktop window smoke test under Xvfb, and the
# .deb installed and started with its bundled PostgreSQL.
source "$(dirname "$0")/lib.sh"

ensure_packages "${APP_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
ensure_npm
build_ui
cd "$ROOT"

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy"
cargo clippy --locked --workspace --all-targets -q -- -D warnings

log "UI unit tests"
(cd ui && npm test --silent)

# The keyring: a private D-Bus session with an unlocked gnome-keyring (Secret Service)
# inside a fresh kernel session keyring, so both backends are real (scripts/test-keyring.sh).
log "cargo test"
keyctl session - bash "$ROOT/scripts/test-keyring.sh" cargo test --locked --workspace --all-features \
  -- --skip a_year_of_shop_life

# Every benchmark at its smoke size (seconds each, test profile), so none of them can rot: a
# crash or a broken assertion fails CI. Full sizes and the table: bash tests/benches/all.sh.
log "benchmarks at smoke size"
MIKROBILL_BENCH_SIZE=smoke keyctl session - bash "$ROOT/scripts/test-keyring.sh" \
  cargo test --locked --workspace --all-features --bench '*'

# Its own step: a long deterministic scenario (tests/year; size from MIKROBILL_YEAR_*).
log "a year of shop life (tests/year)"
# CI's size: 60 simulated days still hold every event of the plan (two billing cycles, two
# router outages, the WhatsApp session dying, the restore, ten days off); each day costs about a
# second plus a daily backup verified by a restore, so the full 400 days (MIKROBILL_YEAR_DAYS=400)
# is a separate run of about half an hour.
MIKROBILL_YEAR_DAYS="${MIKROBILL_YEAR_DAYS:-60}" MIKROBILL_YEAR_SUBSCRIBERS="${MIKROBILL_YEAR_SUBSCRIBERS:-30}" \
  MIKROBILL_YEAR_NIGHTLY_RESTARTS="${MIKROBILL_YEAR_NIGHTLY_RESTARTS:-10}" \
  keyctl session - bash "$ROOT/scripts/test-keyring.sh" cargo test --locked --workspace --all-features --test year

log "browser test (Chromium) against mikrobill serve"
cargo build --locked -q -p billing-desktop --bin mikrobill
keyctl session - bash "$ROOT/tests/e2e/run-against-server.sh" "$CARGO_TARGET_DIR/debug/mikrobill"

log "start-up and memory benchmark at smoke size"
MIKROBILL_BENCH_SIZE=smoke bash "$ROOT/tests/benches/startup.sh" "$CARGO_TARGET_DIR/debug/mikrobill"

log "API fuzzing (Schemathesis, from the OpenAPI document) against mikrobill serve"
keyctl session - bash "$ROOT/tests/fuzz/schemathesis.sh" "$CARGO_TARGET_DIR/debug/mikrobill"

log "desktop smoke test (Xvfb)"
keyctl session - bash "$ROOT/tests/desktop/smoke.sh" "$CARGO_TARGET_DIR/debug/mikrobill"

log "installer test: the .deb (installed and started under Xvfb) and the .rpm, with their bundled PostgreSQL"
# The debug build reuses what the tests compiled (about 1.5 min instead of a release build).
DEB_PROFILE=debug BUNDLES=deb,rpm bash "$ROOT/tests/desktop/deb-install.sh"

log "all tests passed"
