#!/usr/bin/env bash
# Every benchmark at full size, release build, each in its own process, then one table:
# figure, target, the last recorded figure (tests/benches/baseline.json) and the ratio to it,
# flagging anything more than 25% worse; figures with a peer measured in the same run (one
# call per voucher, sequential adds) are shown as ratios below it.
#
#   bash tests/benches/all.sh                 # everything (about 25 min cold build, then ~10 min)
#   bash tests/benches/all.sh billing reports # some
#   bash tests/benches/all.sh --record        # ... and record the figures as the new baseline
#
# MIKROBILL_BENCH_SIZE=smoke runs the sizes CI uses (the table is then only a shape check).
# The raw `bench:` lines and each benchmark's own output are kept in $BENCH_OUT (a temp dir).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/mikrobill-target}"
ALL=(routeros billing webhooks routers vouchers whatsapp shop reports imports backup startup)

RECORD=()
NAMES=()
for arg in "$@"; do
  case "$arg" in
    --record) RECORD=(--record) ;;
    *) NAMES+=("$arg") ;;
  esac
done
[ ${#NAMES[@]} -gt 0 ] || NAMES=("${ALL[@]}")

# A private kernel keyring (and no desktop keyring needed), as the tests use.
if [ -z "${KEYCTL_SESSION_DONE:-}" ] && [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  export KEYCTL_SESSION_DONE=1
  exec keyctl session - bash "$0" "$@"
fi

OUT="${BENCH_OUT:-$(mktemp -d /var/tmp/mikrobill-benches.XXXXXX)}"
mkdir -p "$OUT"
RESULTS="$OUT/results.txt"
: >"$RESULTS"
echo "benchmarks: ${NAMES[*]} (output in $OUT)"

echo "building the benchmarks (release)…"
cargo bench --locked -q -p billing-tests --bench suite --no-run
if printf '%s\n' "${NAMES[@]}" | grep -qx startup; then
  cargo build --release --locked -q -p billing-desktop --bin mikrobill
fi

failed=()
for name in "${NAMES[@]}"; do
  echo "== $name"
  log="$OUT/$name.log"
  if [ "$name" = startup ]; then
    cmd=(bash tests/benches/startup.sh "$CARGO_TARGET_DIR/release/mikrobill")
  else
    cmd=(cargo bench --locked -q -p billing-tests --bench suite -- "$name")
  fi
  if "${cmd[@]}" >"$log" 2>&1; then
    grep '^bench: ' "$log" | tee -a "$RESULTS" | sed 's/^bench: /   /'
  else
    echo "   FAILED (see $log):"
    tail -5 "$log" | sed 's/^/   /'
    failed+=("$name")
  fi
done

echo
python3 tests/benches/table.py tests/benches/baseline.json "$RESULTS" "${RECORD[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
