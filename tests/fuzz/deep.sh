#!/usr/bin/env bash
# The long fuzzing run (not part of scripts/test.sh): Schemathesis with many examples per
# operation, the stateful phase and the hostile hooks, then many rounds of the public
# listener's hostile list. Takes an hour or more on two cores; run it before a release or
# after changing input handling.
# Usage: bash tests/fuzz/deep.sh [path/to/mikrobill] (builds the debug binary when omitted)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="${1:-}"
if [ -z "$BIN" ]; then
  (cd "$ROOT" && cargo build --locked -q -p billing-desktop --bin mikrobill)
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/mikrobill"
fi
export MIKROBILL_FUZZ_EXAMPLES="${MIKROBILL_FUZZ_EXAMPLES:-300}"
export MIKROBILL_FUZZ_PUBLIC_ROUNDS="${MIKROBILL_FUZZ_PUBLIC_ROUNDS:-40}"
export MIKROBILL_FUZZ_SEED="${MIKROBILL_FUZZ_SEED:-$(date +%s)}"
echo "fuzz (deep): seed $MIKROBILL_FUZZ_SEED (set MIKROBILL_FUZZ_SEED to repeat a run)"
keyctl session - bash "$ROOT/tests/fuzz/schemathesis.sh" "$BIN"
