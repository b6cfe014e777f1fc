#!/usr/bin/env bash
# Start-up time and idle memory of `mikrobill serve` (release build) on its embedded PostgreSQL.
#   bash tests/benches/startup.sh [path/to/mikrobill]
# Measures: first start including initdb, a warm start on the initialised cluster (until both
# listeners answer), idle RSS of the app process, and PostgreSQL's memory (PSS, all processes).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/mikrobill-target}"
BIN="${1:-}"
if [ -z "$BIN" ]; then
  (cd "$ROOT" && cargo build --release --locked -q -p billing-desktop --bin mikrobill)
  BIN="$CARGO_TARGET_DIR/release/mikrobill"
fi
if [ -z "${KEYCTL_SESSION_DONE:-}" ] && [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  export KEYCTL_SESSION_DONE=1
  exec keyctl session - bash "$0" "$BIN"
fi

DATA="$(mktemp -d /var/tmp/mikrobill-bench.XXXXXX)"; chmod 755 "$DATA"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
A=$(free_port); P=$(free_port)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$DATA"' EXIT
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

start() {
  local t0 t1
  t0=$(now_ms)
  RUST_LOG=warn "$BIN" --data-dir "$DATA" serve --admin-addr "127.0.0.1:$A" --public-addr "127.0.0.1:$P" \
    >"$DATA/serve.log" 2>&1 &
  PID=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$A/api/setup/status" \
     && curl -sf -o /dev/null "http://127.0.0.1:$P/healthz"; do
    kill -0 "$PID" 2>/dev/null || { cat "$DATA/serve.log"; exit 1; }
    sleep 0.005
  done
  t1=$(now_ms)
  ELAPSED=$((t1 - t0))
}
stop() { kill -TERM "$PID"; wait "$PID" || true; PID=""; }

start; first=$ELAPSED; stop
warm=()
for _ in 1 2 3; do start; warm+=("$ELAPSED"); stop; done
start
sleep 3
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$PID/status")
pg_pss_kb=0
for pid in $(pgrep -f "postgres.*$DATA" || true); do
  pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
  pg_pss_kb=$((pg_pss_kb + pss))
done

# 10,000 customers with subscriptions (imported through the API, as an owner would), then the
# dashboard's first screen and the customer list loaded; idle RSS measured after that.
BASE="http://127.0.0.1:$A"
TOKEN=$(curl -sf -H 'content-type: application/json' \
  -d '{"username":"pemilik","password":"kata-sandi-bench-123"}' "$BASE/api/setup/owner" \
  | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
CUSTOMERS=10000
[ "${MIKROBILL_BENCH_SIZE:-}" = smoke ] && CUSTOMERS=200
python3 - "$BASE" "$TOKEN" "$CUSTOMERS" <<'PY'
import base64, json, sys, urllib.request
base, token, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = ["Nama,No HP,Alamat,Paket,Harga,Username PPPoE,Password,Tgl Tagihan"]
for n in range(count):
    rows.append(f"Pelanggan {n},08{1_200_000_000 + n:010d},RT {n % 12},Paket 10M,150000,"
                f"user{n:05d},rahasia{n:05d},{1 + n % 28}")
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"authorization": f"Bearer {token}",
                                          "content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=600) as res:
        return json.load(res) if res.headers.get("content-type", "").startswith("application/json") else res.read()
csv = "\n".join(rows).encode()
record = call("POST", "/api/imports/file", {"file_name": "pelanggan.csv",
              "content_base64": base64.b64encode(csv).decode()})
opts = {"options": {"create_missing_plans": True}}
call("POST", f"/api/imports/{record['id']}/dry-run", opts)
done = call("POST", f"/api/imports/{record['id']}/commit", opts)
assert done["totals"]["imported"] == count, done["totals"]
for path in ["/api/dashboard/home", "/api/customers?limit=50", "/api/subscriptions?limit=50",
             "/api/invoices?limit=50"]:
    call("GET", path)
PY
sleep 3
loaded_rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$PID/status")
stop
best_warm=$(printf '%s\n' "${warm[@]}" | sort -n | head -1)
med_warm=$(printf '%s\n' "${warm[@]}" | sort -n | sed -n 2p)
echo "first start (initdb + start + migrations + listeners): ${first} ms"
echo "warm starts: ${warm[*]} ms"
echo "idle app RSS: $((rss_kb / 1024)) MB; PostgreSQL PSS (all processes): $((pg_pss_kb / 1024)) MB"
echo "idle app RSS with 10,000 customers after the first screens: $((loaded_rss_kb / 1024)) MB"
echo "startup: first_start=${first}ms warm_start_median=${med_warm}ms warm_start_best=${best_warm}ms app_rss=$((rss_kb / 1024))MB postgres_pss=$((pg_pss_kb / 1024))MB app_rss_10000=$((loaded_rss_kb / 1024))MB"
echo "bench: startup.first_start_ms $first ms"
echo "bench: startup.warm_start_ms $med_warm ms"
echo "bench: startup.app_rss_mb $((rss_kb / 1024)) MB"
echo "bench: startup.app_rss_10000_customers_mb $((loaded_rss_kb / 1024)) MB"
echo "bench: startup.postgres_pss_mb $((pg_pss_kb / 1024)) MB"
