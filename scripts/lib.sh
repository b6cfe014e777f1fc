# Shared helpers for scripts/run.sh and scripts/test.sh (sourced, not run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/mikrobill-target}"
export DEBIAN_FRONTEND=noninteractive

log() { printf '\033[1;34m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (install sudo or run as root)"; fi
}

# Installs the Debian/Ubuntu packages that are not there yet.
ensure_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# Packages to build the app (Tauri 2 on WebKitGTK) and run it (PostgreSQL, keyring).
APP_PACKAGES=(
  build-essential pkg-config file curl ca-certificates
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libssl-dev libxdo-dev libdbus-1-dev
  postgresql keyutils dbus dbus-x11 gnome-keyring
  openssl  # installers/fetch-postgres.sh checks the bundled PostgreSQL's sha512
)
# What the tests add: a browser, a virtual display, screenshots, Python for the API fuzzer.
TEST_PACKAGES=(chromium xvfb xauth x11-utils imagemagick xdotool fonts-dejavu-core procps python3 python3-venv rpm)

ensure_npm() {
  log "npm dependencies"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  (cd "$ROOT/ui" && npm ci --no-audit --no-fund --loglevel=error)
}

build_ui() {
  log "building the dashboard (ui/dist)"
  (cd "$ROOT/ui" && npm run --silent build >/dev/null)
}

# Runs "$@" with a working OS keyring: the user's own Secret Service when a desktop
# session has one; otherwise a private kernel session keyring (headless servers, CI).
with_keyring() {
  if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then "$@"; else keyctl session - "$@"; fi
}
