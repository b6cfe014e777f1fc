#!/usr/bin/env bash
# Installer proof: build the .deb, install it, run the installed app like a new user would and
# check that it uses the PostgreSQL server it ships, not one of the machine.
#
#   bash tests/desktop/deb-install.sh              # builds (release, FAST=1), installs and runs
#   DEB_PROFILE=debug bash tests/desktop/deb-install.sh   # packages the debug build instead
#   DEB=path/to/mikrobill_x_amd64.deb bash tests/desktop/deb-install.sh   # skip the build
#
# Steps: installers/build-linux.sh (FAST=1: no LTO) → `dpkg -i` → /usr/bin/mikrobill under Xvfb
# with a fresh HOME (so the data dir is the per-user default, ~/.local/share/mikrobill) and free
# ports → wait for the window and the admin listener's /api/setup/status (needs_owner = true: the
# first-run wizard is what the window shows) → screenshot tests/desktop/artifacts/deb-first-run.png
# → the running postmaster's binary (readlink /proc/PID/exe) must be under
# /usr/lib/mikrobill/postgres/ (a system PostgreSQL, which CI has installed for the other tests,
# would be under /usr/lib/postgresql/) → SIGTERM (the tray's Quit path) → the app exits 0 and no
# PostgreSQL process of that data dir is left → `dpkg -r mikrobill`.
# Prints the figures: .deb size, installed size, cold start to first screen.
# Needs root (dpkg), Xvfb, xdotool, ImageMagick, curl, python3, keyctl, pgrep.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ARTIFACTS="$ROOT/tests/desktop/artifacts"
START_TIMEOUT="${SMOKE_START_TIMEOUT:-120}"
SETTLE_SECS="${SMOKE_SETTLE_SECS:-5}"
EXIT_TIMEOUT="${SMOKE_EXIT_TIMEOUT:-30}"
PKG=mikrobill
INSTALLED_BIN=/usr/bin/mikrobill
BUNDLED_PG=/usr/lib/mikrobill/postgres

say() { printf '\033[1;34m[deb]\033[0m %s\n' "$*" >&2; }
fail() {
  printf '\033[1;31m[deb] FAIL:\033[0m %s\n' "$*" >&2
  if [ -s "${APP_LOG:-/nonexistent}" ]; then
    printf -- '--- last lines of %s ---\n' "$APP_LOG" >&2
    tail -n 40 "$APP_LOG" >&2
  fi
  exit 1
}

[ "$(id -u)" = 0 ] || fail "run as root (dpkg -i / dpkg -r)"
for tool in dpkg dpkg-deb Xvfb xdotool import convert curl python3 keyctl pgrep; do
  command -v "$tool" >/dev/null || fail "missing tool: $tool"
done
if dpkg -s "$PKG" >/dev/null 2>&1; then
  fail "package $PKG is already installed on this machine; remove it first (dpkg -r $PKG)"
fi

# Private kernel session keyring for the app's secrets, and no D-Bus session of the caller.
if [ -z "${DEB_IN_KEYRING:-}" ]; then
  export DEB_IN_KEYRING=1
  exec keyctl session - env -u DBUS_SESSION_BUS_ADDRESS -u MIKROBILL_PG_BIN bash "$0" "$@"
fi

# 1. The package.
if [ -z "${DEB:-}" ]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/mikrobill-target}"
  build_started=$(date +%s)
  # DEB_PROFILE=debug packages the debug build the tests already compiled (quick in CI);
  # release (the default) packages an optimised one, with FAST=1 (no LTO).
  profile="${DEB_PROFILE:-release}"
  if [ "$profile" = debug ]; then
    DEBUG=1 BUNDLES="${BUNDLES:-deb}" bash "$ROOT/installers/build-linux.sh" >&2
  else
    FAST="${FAST:-1}" BUNDLES="${BUNDLES:-deb}" bash "$ROOT/installers/build-linux.sh" >&2
  fi
  say "installer ($profile) built in $(($(date +%s) - build_started)) s"
  DEB="$(find "$CARGO_TARGET_DIR/$profile/bundle/deb" -maxdepth 1 -name "${PKG}_*.deb" -newermt "@$build_started" | head -n 1)"
  [ -n "$DEB" ] || DEB="$(find "$CARGO_TARGET_DIR/$profile/bundle/deb" -maxdepth 1 -name "${PKG}_*.deb" | head -n 1)"
fi
[ -f "${DEB:-}" ] || fail "no .deb found (set DEB=...)"
contents="$(dpkg-deb --contents "$DEB")"
grep -Eq "(^| |\./)usr/lib/mikrobill/postgres/bin/postgres$" <<<"$contents" \
  || fail "$DEB does not carry the bundled PostgreSQL (usr/lib/mikrobill/postgres/bin/postgres)"
DEB_BYTES=$(stat -c %s "$DEB")
INSTALLED_KIB=$(dpkg-deb -f "$DEB" Installed-Size)

mkdir -p "$ARTIFACTS"
rm -f "$ARTIFACTS/deb-first-run.png"
APP_LOG="$ARTIFACTS/deb-app.log"
: >"$APP_LOG"
# A fresh home outside /root: as root the embedded PostgreSQL runs as `postgres` and must reach it.
WORK="$(mktemp -d /var/tmp/mikrobill-deb.XXXXXX)"
chmod 755 "$WORK"
export HOME="$WORK/home"
mkdir -p "$HOME"
unset XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_STATE_HOME
DATA="$HOME/.local/share/mikrobill"
XVFB_PID=""
APP_PID=""
INSTALLED=0

postgres_pids() { pgrep -f "postgres.*$DATA" || true; }

cleanup() {
  local status=$?
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -KILL "$APP_PID" 2>/dev/null || true
  fi
  local leftover
  leftover="$(postgres_pids)"
  # shellcheck disable=SC2086
  [ -z "$leftover" ] || kill -TERM $leftover 2>/dev/null || true
  if [ -n "$XVFB_PID" ]; then
    kill -TERM "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
  fi
  if [ "$INSTALLED" = 1 ]; then
    dpkg -r "$PKG" >/dev/null 2>&1 || say "could not remove $PKG"
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

# 2. Install. dpkg only: the dependencies (libwebkit2gtk-4.1-0, libgtk-3-0) come with the build
# packages in scripts/lib.sh; a missing one fails here, naming it.
say "dpkg -i $DEB"
dpkg -i "$DEB" >&2 || fail "dpkg -i failed"
INSTALLED=1
[ -x "$INSTALLED_BIN" ] || fail "$INSTALLED_BIN missing after install"
[ -x "$BUNDLED_PG/bin/postgres" ] || fail "$BUNDLED_PG/bin/postgres missing after install"
if find "$BUNDLED_PG" -type l | grep -q .; then
  fail "the installed PostgreSQL has symlinks: $(find "$BUNDLED_PG" -type l | head -n 3)"
fi
[ -f "$BUNDLED_PG/licenses/PostgreSQL.txt" ] || fail "licence texts missing from $BUNDLED_PG/licenses"

free_port() {
  python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}
now_ms() { date +%s%3N; }

# 3. A virtual display.
: >"$WORK/display"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$WORK/display" >"$WORK/xvfb.log" 2>&1 &
XVFB_PID=$!
deadline=$(($(date +%s) + 10))
until [ -s "$WORK/display" ]; do
  kill -0 "$XVFB_PID" 2>/dev/null || fail "Xvfb did not start"
  [ "$(date +%s)" -lt "$deadline" ] || fail "Xvfb did not report a display within 10 s"
  sleep 0.1
done
export DISPLAY=":$(tr -d '[:space:]' <"$WORK/display")"

# 4. The installed app, as a first run: fresh HOME, nothing configured but free ports and the
# kernel keyring (CI has no desktop keyring).
ADMIN_PORT="$(free_port)"
PUBLIC_PORT="$(free_port)"
say "starting $INSTALLED_BIN (HOME=$HOME, admin port $ADMIN_PORT, display $DISPLAY)"
started=$(now_ms)
MIKROBILL__ADMIN__ADDR="127.0.0.1:$ADMIN_PORT" \
  MIKROBILL__PUBLIC__ADDR="127.0.0.1:$PUBLIC_PORT" \
  MIKROBILL__SECRETS__BACKEND=keyutils \
  RUST_LOG="${RUST_LOG:-info}" \
  "$INSTALLED_BIN" >"$APP_LOG" 2>&1 &
APP_PID=$!

deadline=$(($(date +%s) + START_TIMEOUT))
window=""
status=""
until [ -n "$window" ] && [ -n "$status" ]; do
  kill -0 "$APP_PID" 2>/dev/null || fail "the app exited during start-up"
  [ "$(date +%s)" -lt "$deadline" ] || fail "no window and first-run status after ${START_TIMEOUT} s"
  [ -n "$window" ] || window="$(xdotool search --name mikrobill 2>/dev/null | head -n 1 || true)"
  status="$(curl -sf "http://127.0.0.1:$ADMIN_PORT/api/setup/status" 2>/dev/null || true)"
  sleep 0.1
done
first_screen_ms=$(($(now_ms) - started))
python3 -c "import json,sys; sys.exit(0 if json.loads('''$status''')['needs_owner'] else 1)" \
  || fail "a fresh install should show the first-run wizard, got status $status"
say "first-run wizard ready after ${first_screen_ms} ms (window $window, status $status)"

# 5. Screenshot of the first screen.
sleep "$SETTLE_SECS"
import -window root "$ARTIFACTS/deb-first-run.png" || fail "screenshot failed"
stddev="$(convert "$ARTIFACTS/deb-first-run.png" -colorspace Gray -format '%[fx:standard_deviation]' info:)"
colors="$(convert "$ARTIFACTS/deb-first-run.png" -format '%k' info:)"
python3 -c "import sys; sys.exit(0 if float('$stddev') > 0.02 and int('$colors') > 16 else 1)" \
  || fail "the screenshot looks blank (stddev $stddev, $colors colours)"
say "screenshot: $ARTIFACTS/deb-first-run.png"

# 6. The PostgreSQL that runs is the bundled one.
pidfile="$DATA/pgdata/postmaster.pid"
[ -f "$pidfile" ] || fail "no $pidfile: the local database is not running"
pg_pid="$(head -n 1 "$pidfile")"
pg_exe="$(readlink "/proc/$pg_pid/exe" || true)"
case "$pg_exe" in
  "$BUNDLED_PG"/bin/postgres) say "postmaster $pg_pid runs $pg_exe (bundled)" ;;
  *) fail "postmaster $pg_pid runs '$pg_exe', not the bundled $BUNDLED_PG/bin/postgres" ;;
esac
grep -q "found PostgreSQL.*$BUNDLED_PG/bin" "$APP_LOG" || fail "the log does not name the bundled PostgreSQL"

# 7. Clean quit.
say "sending SIGTERM"
kill -TERM "$APP_PID"
deadline=$(($(date +%s) + EXIT_TIMEOUT))
while kill -0 "$APP_PID" 2>/dev/null; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "the app did not exit within ${EXIT_TIMEOUT} s of SIGTERM"
  sleep 0.1
done
code=0
wait "$APP_PID" || code=$?
APP_PID=""
[ "$code" -eq 0 ] || fail "the app exited with status $code"
leftover="$(postgres_pids)"
[ -z "$leftover" ] || fail "PostgreSQL still running after exit (pids: $leftover)"
# The postmaster may take a moment to leave the process table after pg_ctl reports it stopped;
# an exited process that nobody has reaped yet (state Z) is gone for this check.
deadline=$(($(date +%s) + 5))
while [ -d "/proc/$pg_pid" ] && [ "$(awk '{print $3}' "/proc/$pg_pid/stat" 2>/dev/null)" != Z ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "postmaster $pg_pid still running after exit"
  sleep 0.1
done

# 8. Uninstall; the user's data stays.
dpkg -r "$PKG" >&2 || fail "dpkg -r failed"
INSTALLED=0
[ ! -e "$INSTALLED_BIN" ] || fail "$INSTALLED_BIN still there after dpkg -r"
[ -d "$DATA/pgdata" ] || fail "dpkg -r must not touch the user's data dir"

python3 -c "import sys; b,k,ms=map(int,sys.argv[1:]); print(f'[deb] figures: .deb {b} bytes ({b/1048576:.1f} MiB); installed size {k} KiB ({k/1024:.1f} MiB); cold start to first screen {ms} ms', file=sys.stderr)" \
  "$DEB_BYTES" "$INSTALLED_KIB" "$first_screen_ms"
say "PASS: installed, first-run wizard shown, bundled PostgreSQL used and stopped, removed"
