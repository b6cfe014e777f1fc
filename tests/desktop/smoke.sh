#!/usr/bin/env bash
# Desktop smoke test: the real `mikrobill` window on a virtual display.
#
#   bash tests/desktop/smoke.sh [path/to/mikrobill]
#   MIKROBILL_BIN=... bash tests/desktop/smoke.sh
#
# Starts Xvfb on a free display, runs the app with a fresh data dir and free ports, waits until the
# window exists and the admin listener answers, saves tests/desktop/artifacts/window.png and checks
# it is not blank, then sends SIGTERM and checks the app exits in time and its embedded PostgreSQL
# is stopped. Default binary: ${CARGO_TARGET_DIR:-target}/debug/mikrobill (build it with
# `cargo build -p billing-desktop`). Needs: Xvfb, xdotool, ImageMagick, curl, python3, keyctl.
# Knobs: SMOKE_START_TIMEOUT (s, default 120), SMOKE_SETTLE_SECS (default 5),
# SMOKE_EXIT_TIMEOUT (default 30), SMOKE_KEEP=1 keeps the data dir.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ARTIFACTS="$ROOT/tests/desktop/artifacts"
BIN="${1:-${MIKROBILL_BIN:-${CARGO_TARGET_DIR:-target}/debug/mikrobill}}"
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
START_TIMEOUT="${SMOKE_START_TIMEOUT:-120}"
SETTLE_SECS="${SMOKE_SETTLE_SECS:-5}"
EXIT_TIMEOUT="${SMOKE_EXIT_TIMEOUT:-30}"

say() { printf '\033[1;34m[smoke]\033[0m %s\n' "$*" >&2; }
fail() {
  printf '\033[1;31m[smoke] FAIL:\033[0m %s\n' "$*" >&2
  if [ -s "${APP_LOG:-/nonexistent}" ]; then
    printf -- '--- last lines of %s ---\n' "$APP_LOG" >&2
    tail -n 40 "$APP_LOG" >&2
  fi
  exit 1
}

[ -x "$BIN" ] || fail "no mikrobill binary at $BIN (cargo build -p billing-desktop, or pass its path)"
for tool in Xvfb xdotool import convert curl python3 keyctl pgrep; do
  command -v "$tool" >/dev/null || fail "missing tool: $tool"
done

# The app keeps its secrets in the OS keyring; give it a private kernel session keyring and no
# D-Bus session (so a mikrobill already running on this desktop cannot swallow the launch).
if [ -z "${SMOKE_IN_KEYRING:-}" ]; then
  export SMOKE_IN_KEYRING=1
  exec keyctl session - env -u DBUS_SESSION_BUS_ADDRESS bash "$0" "$BIN"
fi

mkdir -p "$ARTIFACTS"
rm -f "$ARTIFACTS/window.png"
APP_LOG="$ARTIFACTS/app.log"
XVFB_LOG="$ARTIFACTS/xvfb.log"
: >"$APP_LOG"
# Not under /root: as root the embedded PostgreSQL runs as the `postgres` user and must reach it.
WORK="$(mktemp -d /var/tmp/mikrobill-smoke.XXXXXX)"
chmod 755 "$WORK"
DATA="$WORK/data"
XVFB_PID=""
APP_PID=""

postgres_pids() { pgrep -f "postgres.*$DATA" || true; }

cleanup() {
  local status=$?
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -KILL "$APP_PID" 2>/dev/null || true
  fi
  local leftover
  leftover="$(postgres_pids)"
  if [ -n "$leftover" ]; then
    # shellcheck disable=SC2086
    kill -TERM $leftover 2>/dev/null || true
  fi
  if [ -n "$XVFB_PID" ]; then
    kill -TERM "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
  fi
  if [ "${SMOKE_KEEP:-0}" = 1 ]; then
    say "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT

# shellcheck source=tests/desktop/lib.sh
. "$ROOT/tests/desktop/lib.sh"
now() { date +%s; }

# 1. A virtual display on a free number (Xvfb picks it and writes it to the fd).
start_xvfb "$XVFB_LOG"
say "Xvfb on $DISPLAY"

# 2. The app, with its own data dir and ports (and this checkout's dashboard build, if any).
if [ -z "${MIKROBILL__ADMIN__UI_DIR:-}" ] && [ -f "$ROOT/ui/dist/index.html" ]; then
  export MIKROBILL__ADMIN__UI_DIR="$ROOT/ui/dist"
fi
ADMIN_PORT="$(free_port)"
PUBLIC_PORT="$(free_port)"
say "starting $BIN (data dir $DATA, admin port $ADMIN_PORT)"
MIKROBILL__ADMIN__ADDR="127.0.0.1:$ADMIN_PORT" \
  MIKROBILL__PUBLIC__ADDR="127.0.0.1:$PUBLIC_PORT" \
  MIKROBILL__SECRETS__BACKEND=keyutils \
  RUST_LOG="${RUST_LOG:-info}" \
  "$BIN" --data-dir "$DATA" >"$APP_LOG" 2>&1 &
APP_PID=$!

# 3. Wait for the window and the admin listener.
started=$(now)
deadline=$((started + START_TIMEOUT))
window=""
until [ -n "$window" ] && curl -sf -o /dev/null "http://127.0.0.1:$ADMIN_PORT/api/setup/status"; do
  kill -0 "$APP_PID" 2>/dev/null || fail "the app exited during start-up"
  [ "$(now)" -lt "$deadline" ] || fail "no window and answering admin listener after ${START_TIMEOUT} s"
  [ -n "$window" ] || window="$(xdotool search --name mikrobill 2>/dev/null | head -n 1 || true)"
  sleep 0.25
done
say "window $window is up and the admin listener answers ($(($(now) - started)) s)"

# 4. Let the dashboard render, take a screenshot, check it is not blank.
sleep "$SETTLE_SECS"
say "screenshot: $(screenshot "$ARTIFACTS/window.png")"

# 5. SIGTERM takes the graceful path: the app stops its listeners and PostgreSQL, then exits.
[ -n "$(postgres_pids)" ] || fail "no embedded PostgreSQL process for $DATA while running"
say "sending SIGTERM"
kill -TERM "$APP_PID"
exits_cleanly "$APP_PID" "$EXIT_TIMEOUT" "after SIGTERM"
APP_PID=""
leftover="$(postgres_pids)"
[ -z "$leftover" ] || fail "embedded PostgreSQL still running after exit (pids: $leftover)"
say "PASS: window rendered, app exited cleanly and PostgreSQL is stopped"
