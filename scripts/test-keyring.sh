#!/usr/bin/env bash
# Runs "$@" with a private, unlocked gnome-keyring (Secret Service) on a private D-Bus session
# bus, for the tests that use the real OS keyring:
#
#   keyctl session - bash scripts/test-keyring.sh cargo test --workspace
#
# The keyring lives in a temporary XDG_DATA_HOME (password "ci"). If gnome-keyring-daemon dies
# during the run (it has been seen to abort on a GLib assertion under many parallel requests),
# D-Bus starts it again on the next request; this bus's own service file makes that restart
# unlock the same keyring, so the secrets stored before are there again instead of every later
# test failing on a locked keyring.
set -euo pipefail

if [ -z "${MIKROBILL_TEST_KEYRING_DIR:-}" ]; then
  dir="$(mktemp -d /tmp/mikrobill-keyring.XXXXXX)"
  # The daemons this run started do not outlive it (they would keep the keyring's files).
  stop_daemons() {
    if [ -f "$dir/daemon.pids" ]; then
      # shellcheck disable=SC2046
      kill $(cat "$dir/daemon.pids") 2>/dev/null || true
    fi
    rm -rf "$dir"
  }
  trap stop_daemons EXIT
  mkdir -p "$dir/services" "$dir/data"
  cat >"$dir/unlock.sh" <<UNLOCK
#!/bin/sh
# Started by D-Bus (activation) or by hand: an unlocked keyring in this run's data folder.
# Its output goes to a file: an inherited pipe would keep the caller's pipeline open.
export XDG_DATA_HOME="$dir/data"
echo \$\$ >>"$dir/daemon.pids"
exec gnome-keyring-daemon --foreground --unlock --components=secrets \
  <"$dir/password" >>"$dir/keyring.log" 2>&1
UNLOCK
  printf ci >"$dir/password"
  chmod +x "$dir/unlock.sh"
  cat >"$dir/services/org.freedesktop.secrets.service" <<SERVICE
[D-BUS Service]
Name=org.freedesktop.secrets
Exec=$dir/unlock.sh
SERVICE
  cat >"$dir/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$dir/services</servicedir>
  <standard_session_servicedirs/>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
  export MIKROBILL_TEST_KEYRING_DIR="$dir"
  status=0
  dbus-run-session --config-file="$dir/session.conf" -- bash "$0" "$@" \
    2> >(grep -v "Failed to set fd limit" >&2) || status=$?
  exit "$status"
fi

# Inside the bus: the data folder the daemon uses, and the daemon started (activated) once.
export XDG_DATA_HOME="$MIKROBILL_TEST_KEYRING_DIR/data"
dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
  org.freedesktop.DBus.StartServiceByName string:org.freedesktop.secrets uint32:0 >/dev/null
exec "$@"
