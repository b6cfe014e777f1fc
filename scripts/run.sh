#!/usr/bin/env bash
# Installs what is missing and runs mikrobill with demo data on its own embedded
# PostgreSQL and the built-in RouterOS simulator: a window when a display exists,
# otherwise headless with the dashboard URL printed.
source "$(dirname "$0")/lib.sh"

ensure_packages "${APP_PACKAGES[@]}"
ensure_npm
build_ui
log "building mikrobill"
(cd "$ROOT" && cargo build --locked -q -p billing-desktop --bin mikrobill)
BIN="$CARGO_TARGET_DIR/debug/mikrobill"

# PostgreSQL refuses to run as root; as root the app runs it as the `postgres` user, which
# cannot enter /root, so root gets a data directory under /var/lib.
if [ -z "${MIKROBILL_DATA_DIR:-}" ] && [ "$(id -u)" -eq 0 ]; then
  export MIKROBILL_DATA_DIR=/var/lib/mikrobill-demo
fi
export MIKROBILL__ADMIN__UI_DIR="$ROOT/ui/dist"

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${MIKROBILL_HEADLESS:-}" ]; then
  log "starting the desktop window (demo data)"
  MIKROBILL__DEMO=true with_keyring "$BIN" "$@"
else
  log "no display: starting headless (demo data)"
  with_keyring "$BIN" serve --demo "$@"
fi
