# shellcheck shell=bash
# Shell helpers the examples' run.sh scripts share (sourced, bash). Before sourcing, set
# EXAMPLE (the name messages start with), LOG_DIR (where each child's NAME.log goes) and
# READY_TIMEOUT (seconds a child may take to become ready).
#
# Every child runs in its own session (setsid), so stopping it stops what it started too (a
# Maven build, a JVM), and a Ctrl-C on the terminal reaches only the script, which then stops
# the children, the last started first.

say() { echo "$EXAMPLE: $*"; }
die() {
  echo "$EXAMPLE: $*" >&2
  exit 1
}

names=() pids=()
stopping=0

# Stops every child (its whole session): TERM, up to 5 s, then KILL.
stop_all() {
  stopping=1
  trap - EXIT INT TERM
  local i p
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM -- "-${pids[i]}" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap 'stop_all; exit 0' INT TERM
trap 'stop_all' EXIT

start() {  # start NAME COMMAND...: output to $LOG_DIR/NAME.log
  local name=$1
  shift
  setsid "$@" >"$LOG_DIR/$name.log" 2>&1 </dev/null &
  names+=("$name") pids+=($!)
}

# wait_for NAME CHECK...: until CHECK succeeds; fails when NAME (the last started) died or the
# time ran out.
wait_for() {
  local name=$1 pid=${pids[-1]} deadline=$((SECONDS + READY_TIMEOUT))
  shift
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$EXAMPLE: $name exited before it was ready; the end of $LOG_DIR/$name.log:" >&2
      tail -20 "$LOG_DIR/$name.log" >&2
      exit 1
    fi
    ((SECONDS < deadline)) || die "$name not ready after ${READY_TIMEOUT}s (see $LOG_DIR/$name.log)"
    sleep 0.1
  done
}

# Stays in the foreground until a signal (the trap exits 0) or until a child exits on its own
# (then the rest are stopped, exit 1).
stay_up() {
  set +e
  wait -n "${pids[@]}"
  ((stopping)) && exit 0
  local i
  for i in "${!pids[@]}"; do
    kill -0 "${pids[i]}" 2>/dev/null || echo "$EXAMPLE: ${names[i]} exited; see $LOG_DIR/${names[i]}.log" >&2
  done
  exit 1
}
