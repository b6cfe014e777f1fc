# Helpers the desktop tests share (smoke.sh, deb-install.sh). Source it after defining
# `fail MESSAGE` (prints and exits) and with WORK set to the test's scratch folder.

free_port() {
  python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

# wait_until SECONDS MESSAGE COMMAND...: polls COMMAND every 0.1 s until it succeeds, or fails
# with MESSAGE after SECONDS.
wait_until() {
  local limit=$(($(date +%s) + $1)) message="$2"
  shift 2
  until "$@"; do
    [ "$(date +%s)" -lt "$limit" ] || fail "$message"
    sleep 0.1
  done
}

# start_xvfb LOG: a virtual display on a free number (Xvfb picks it and writes it to the fd);
# sets XVFB_PID and exports DISPLAY.
start_xvfb() {
  local log="$1"
  : >"$WORK/display"
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$WORK/display" >"$log" 2>&1 &
  XVFB_PID=$!
  local limit=$(($(date +%s) + 10))
  until [ -s "$WORK/display" ]; do
    kill -0 "$XVFB_PID" 2>/dev/null || fail "Xvfb did not start (see $log)"
    [ "$(date +%s)" -lt "$limit" ] || fail "Xvfb did not report a display within 10 s"
    sleep 0.1
  done
  export DISPLAY=":$(tr -d '[:space:]' <"$WORK/display")"
}

# screenshot FILE: the whole screen into FILE; fails when it looks blank (nearly one grey, or
# hardly any colours).
screenshot() {
  local file="$1" stddev colors
  import -window root "$file" || fail "screenshot failed"
  stddev="$(convert "$file" -colorspace Gray -format '%[fx:standard_deviation]' info:)"
  colors="$(convert "$file" -format '%k' info:)"
  python3 -c "import sys; sys.exit(0 if float('$stddev') > 0.02 and int('$colors') > 16 else 1)" \
    || fail "the screenshot looks blank (stddev $stddev, $colors colours)"
  echo "$file (gray stddev $stddev, $colors colours)"
}

# exits_cleanly PID SECONDS WHAT: waits for the app PID to end and checks it exited 0.
exits_cleanly() {
  local pid="$1" seconds="$2" what="$3" code=0
  gone() { ! kill -0 "$pid" 2>/dev/null; }
  wait_until "$seconds" "the app did not exit within $seconds s $what" gone
  wait "$pid" || code=$?
  [ "$code" -eq 0 ] || fail "the app exited with status $code $what"
}
