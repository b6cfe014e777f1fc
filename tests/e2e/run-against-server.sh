#!/usr/bin/env bash
# Starts a real `mikrobill serve` on a fresh data directory (embedded PostgreSQL), checks
# the command line against it, runs the browser test, and checks a clean shutdown.
# Usage: run-against-server.sh path/to/mikrobill   (run inside a keyring session)
set -euo pipefail
BIN="${1:?path to the mikrobill binary}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="$(mktemp -d /var/tmp/mikrobill-e2e.XXXXXX)"; chmod 755 "$DATA"
LOG="$DATA/serve.log"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
ADMIN_PORT=$(free_port); PUBLIC_PORT=$(free_port); SIM_PORT=$(free_port); SIM_TLS_PORT=$(free_port)
export MIKROBILL__ADMIN__UI_DIR="$ROOT/ui/dist"
PID=""; SIM_PID=""; SIM_TLS_PID=""
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null || true
  [ -n "$SIM_TLS_PID" ] && kill "$SIM_TLS_PID" 2>/dev/null && wait "$SIM_TLS_PID" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT
fail() { echo "e2e: $*" >&2; echo "--- server log ---" >&2; tail -n 40 "$LOG" >&2 || true; exit 1; }

"$BIN" --data-dir "$DATA" serve --admin-addr "127.0.0.1:$ADMIN_PORT" \
  --public-addr "127.0.0.1:$PUBLIC_PORT" >"$LOG" 2>&1 &
PID=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$ADMIN_PORT/api/setup/status" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || fail "mikrobill serve exited early"
  sleep 0.1
done
curl -sf "http://127.0.0.1:$ADMIN_PORT/api/setup/status" >/dev/null || fail "admin listener never answered"
curl -sf "http://127.0.0.1:$PUBLIC_PORT/healthz" >/dev/null || fail "public listener never answered"
grep -q "http://127.0.0.1:$ADMIN_PORT/" "$LOG" || fail "serve did not print the dashboard URL"

# A RouterOS simulator for the router screens, as a router fresh from the box: user admin with an
# empty password (which the app must be able to keep in the keyring).
export ROUTEROS_SIM_PASSWORD=''
"$BIN" routeros-sim --listen "127.0.0.1:$SIM_PORT" >"$DATA/sim.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 1 100); do grep -q listening "$DATA/sim.log" 2>/dev/null && break; sleep 0.1; done
grep -q listening "$DATA/sim.log" || fail "the RouterOS simulator did not start: $(cat "$DATA/sim.log")"
export ROUTEROS_SIM_ADDR="127.0.0.1:$SIM_PORT"
# And one on api-ssl with a self-signed certificate (trusted by its fingerprint in the test).
"$BIN" routeros-sim --tls --listen "127.0.0.1:$SIM_TLS_PORT" >"$DATA/sim-tls.log" 2>&1 &
SIM_TLS_PID=$!
for _ in $(seq 1 100); do grep -q listening "$DATA/sim-tls.log" 2>/dev/null && break; sleep 0.1; done
grep -q listening "$DATA/sim-tls.log" || fail "the TLS RouterOS simulator did not start: $(cat "$DATA/sim-tls.log")"
export ROUTEROS_SIM_TLS_ADDR="127.0.0.1:$SIM_TLS_PORT"

# A new user on a fresh installation: the first-run screen, login, dashboard, language.
MIKROBILL_URL="http://127.0.0.1:$ADMIN_PORT/" MIKROBILL_USERNAME=pemilik \
  MIKROBILL_PASSWORD='kata-sandi-aman-123' node "$HERE/dashboard.test.mjs" || fail "browser test failed"
# What a new owner reads (before the other tests fill the shop): the setup checklist, the health
# page's problems first, the logs as sentences, and every page free of the other language.
MIKROBILL_URL="http://127.0.0.1:$ADMIN_PORT/" MIKROBILL_USERNAME=pemilik MIKROBILL_PASSWORD='kata-sandi-aman-123' node "$HERE/words.test.mjs" || fail "words browser test failed"
# Billing screens: plan, customer, subscription, invoice, partial and over-payment, credit.
MIKROBILL_URL="http://127.0.0.1:$ADMIN_PORT/" MIKROBILL_USERNAME=pemilik \
  MIKROBILL_PASSWORD='kata-sandi-aman-123' node "$HERE/billing.test.mjs" || fail "billing browser test failed"
MIKROBILL_URL="http://127.0.0.1:$ADMIN_PORT/" MIKROBILL_USERNAME=pemilik MIKROBILL_PASSWORD='kata-sandi-aman-123' node "$HERE/online.test.mjs" || fail "online payments browser test failed"
# Router and PPPoE screens against the simulator: add, test, sync profiles, queue, reconciliation.
MIKROBILL_URL="http://127.0.0.1:$ADMIN_PORT/" MIKROBILL_USERNAME=pemilik MIKROBILL_PASSWORD='kata-sandi-aman-123' node "$HERE/routers.test.mjs" || fail "routers browser test failed"
# Hotspot vouchers against the simulator: profile, a batch of 20 with progress, list, reseller with deposit, reseller login.
MIKROBILL_URL="http://127.0.0.1:$ADMIN_PORT/" MIKROBILL_USERNAME=pemilik MIKROBILL_PASSWORD='kata-sandi-aman-123' node "$HERE/vouchers.test.mjs" || fail "vouchers browser test failed"
# WhatsApp screen: a session (nothing listens at its address), templates, a queued message, quiet hours.
MIKROBILL_URL="http://127.0.0.1:$ADMIN_PORT/" MIKROBILL_USERNAME=pemilik MIKROBILL_PASSWORD='kata-sandi-aman-123' node "$HERE/whatsapp.test.mjs" || fail "whatsapp browser test failed"
# Home screen and reports: figures against a seeded data set, a number opens its list, CSV export.
MIKROBILL_URL="http://127.0.0.1:$ADMIN_PORT/" MIKROBILL_USERNAME=pemilik MIKROBILL_PASSWORD='kata-sandi-aman-123' node "$HERE/reports.test.mjs" || fail "reports browser test failed"
# Alerts (a rule fires, shows live, clears) and a router's charts; before backups (which restores).
MIKROBILL_URL="http://127.0.0.1:$ADMIN_PORT/" MIKROBILL_USERNAME=pemilik MIKROBILL_PASSWORD='kata-sandi-aman-123' node "$HERE/monitoring.test.mjs" || fail "monitoring browser test failed"
# Import: a CSV made in the test, mapping by hand, dry run with the bad rows marked, commit.
MIKROBILL_URL="http://127.0.0.1:$ADMIN_PORT/" MIKROBILL_USERNAME=pemilik MIKROBILL_PASSWORD='kata-sandi-aman-123' node "$HERE/imports.test.mjs" || fail "imports browser test failed"
# Health page and backups, last: it restores a backup (pg_dump/pg_restore on the embedded
# cluster), so the server switches to the restored database; the CLI checks below then run
# against the database recorded in database.json.
MIKROBILL_URL="http://127.0.0.1:$ADMIN_PORT/" MIKROBILL_USERNAME=pemilik MIKROBILL_PASSWORD='kata-sandi-aman-123' node "$HERE/backups.test.mjs" || fail "backups browser test failed"
grep -q '"active": "mikrobill_r' "$DATA/database.json" || fail "database.json does not name the restored database"

# Users and roles: the users page, a cashier's menus, disabling, the activity and security logs.
MIKROBILL_URL="http://127.0.0.1:$ADMIN_PORT/" MIKROBILL_USERNAME=pemilik MIKROBILL_PASSWORD='kata-sandi-aman-123' node "$HERE/users.test.mjs" || fail "users browser test failed"

# Every page at 1366×768 and 1280×720, with the lists the tests above filled: no clipped table
# or badge, the menu does not scroll, every button named, skip link and first-field focus.
MIKROBILL_URL="http://127.0.0.1:$ADMIN_PORT/" MIKROBILL_USERNAME=pemilik MIKROBILL_PASSWORD='kata-sandi-aman-123' node "$HERE/layout.test.mjs" || fail "layout browser test failed"

# The CLI works while the server runs: it uses the running cluster.
"$BIN" --data-dir "$DATA" migrate >/dev/null || fail "migrate failed while serve runs"
echo "pembantu-toko-1" | "$BIN" --data-dir "$DATA" admin create --username kasir >/dev/null \
  || fail "admin create failed"
echo "pendek" | "$BIN" --data-dir "$DATA" admin create --username kasir2 2>"$DATA/err" \
  && fail "admin create accepted a short password"
grep -q "password must be at least 10 characters" "$DATA/err" || fail "short password error unclear: $(cat "$DATA/err")"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
  -d '{"username":"kasir","password":"pembantu-toko-1"}' "http://127.0.0.1:$ADMIN_PORT/api/auth/login")
[ "$code" = 200 ] || fail "the account made by 'admin create' cannot log in ($code)"


kill -TERM "$PID"
for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$PID" 2>/dev/null && fail "serve did not stop within 10 s of SIGTERM"
wait "$PID" || fail "serve exited with an error after SIGTERM"
PID=""
[ -e "$DATA/pgdata/postmaster.pid" ] && fail "the embedded PostgreSQL is still running after shutdown"

# Started again, the app opens the restored database named in database.json (where the CLI
# made the account `kasir`), not an empty one.
"$BIN" --data-dir "$DATA" serve --admin-addr "127.0.0.1:$ADMIN_PORT" \
  --public-addr "127.0.0.1:$PUBLIC_PORT" >"$LOG" 2>&1 &
PID=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$ADMIN_PORT/api/setup/status" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || fail "mikrobill serve did not start again after the restore"
  sleep 0.1
done
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
  -d '{"username":"kasir","password":"pembantu-toko-1"}' "http://127.0.0.1:$ADMIN_PORT/api/auth/login")
[ "$code" = 200 ] || fail "after a restart the restored database is not in use (login $code)"
kill -TERM "$PID"
for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
wait "$PID" || fail "serve exited with an error after the second SIGTERM"
PID=""
echo "e2e: serve, CLI, browser tests, restore, restart and shutdown OK"
