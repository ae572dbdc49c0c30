#!/usr/bin/env bash
# The README's main command (`make demo`): on a fresh machine installs and builds what is missing,
# starts `tracewire serve` (data in build/demo-data) and every examples/*/run.sh, sends each
# example's traffic, prints the UI links of a successful and a failing trace of each, then stays up
# until Ctrl-C (or SIGTERM), which stops every process it started. A second run reuses everything
# (each install script keeps a stamp) and is up in seconds plus the examples' own start-up.
# Env: DEMO_UI_PORT (16686), DEMO_OTLP_HTTP_PORT (4318), DEMO_OTLP_GRPC_PORT (4317),
# DEMO_ZIPKIN_PORT (9411), DEMO_HOST (localhost, the host in the printed links),
# DEMO_READY_TIMEOUT (900 s per example; the first run builds the Kotlin and TypeScript parts),
# DEMO_EXAMPLES (e.g. "gateway": only those examples), DEMO_SKIP_INSTALL=1 (no install step),
# DEMO_TRACEWIRE (another tracewire binary; build/bin/tracewire by default).
# Logs of every process: build/demo-logs/.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
UI_PORT=${DEMO_UI_PORT:-16686}
OTLP_HTTP=${DEMO_OTLP_HTTP_PORT:-4318}
OTLP_GRPC=${DEMO_OTLP_GRPC_PORT:-4317}
ZIPKIN=${DEMO_ZIPKIN_PORT:-9411}
HOST=${DEMO_HOST:-localhost}
READY_TIMEOUT=${DEMO_READY_TIMEOUT:-900}
TRACEWIRE=${DEMO_TRACEWIRE:-$ROOT/build/bin/tracewire}
DATA=$ROOT/build/demo-data
LOGS=$ROOT/build/demo-logs
UI=http://$HOST:$UI_PORT
API=http://127.0.0.1:$UI_PORT

say() { echo "demo: $*"; }
fail() {  # fail WHAT [LOGFILE]: a clear message, the end of the log, stop everything, exit 1
  echo "demo: FAILED: $1" >&2
  [[ -n ${2:-} && -f ${2:-} ]] && { echo "demo: the end of $2:" >&2; tail -n 25 "$2" >&2; }
  exit 1
}
step() {  # step NAME COMMAND...: runs an install/build step, its output in build/demo-logs/NAME.log
  local name=$1 t0=$SECONDS
  shift
  if ! "$@" >"$LOGS/$name.log" 2>&1; then fail "$name ($*)" "$LOGS/$name.log"; fi
  say "$name: $(tail -n 1 "$LOGS/$name.log") ($((SECONDS - t0)) s)"
}
mkdir -p "$LOGS" "$DATA"

# --- processes we start, each in its own session so that stopping it stops its children too ---
names=() pids=()
stop_all() {
  trap - INT TERM EXIT
  ((${#pids[@]})) || return 0
  say "stopping ${#pids[@]} process groups"
  local i p alive
  # Examples first (newest first), the collector last, so the final spans still reach it.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM -- "-${pids[i]}" 2>/dev/null || continue
    for _ in $(seq 100); do pgrep -g "${pids[i]}" >/dev/null || break; sleep 0.1; done
    if pgrep -g "${pids[i]}" >/dev/null; then
      say "${names[i]} did not stop in 10 s: killing it"
      kill -KILL -- "-${pids[i]}" 2>/dev/null
    fi
  done
  wait 2>/dev/null
  alive=()
  for p in "${pids[@]}"; do pgrep -g "$p" >/dev/null && alive+=("$p"); done
  if ((${#alive[@]})); then
    say "processes still running in groups ${alive[*]}:"; ps -o pid,pgid,cmd -g "$(IFS=,; echo "${alive[*]}")"
  else
    say "stopped; no process of the demo is left"
  fi
}
trap 'echo; stop_all; exit 0' INT TERM
trap 'stop_all' EXIT
start() {  # start NAME COMMAND...: output to build/demo-logs/NAME.log
  local name=$1
  shift
  setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  names+=("$name") pids+=($!)
}

# --- 1. install and build what is missing ---
if [[ ${DEMO_SKIP_INSTALL:-0} != 1 ]]; then
  step install-deps scripts/install-deps.sh
  if [[ ! -f build/build.ninja ]]; then step configure cmake --preset release; fi
  step build-tracewire cmake --build --preset release --target tracewire
  step install-ui scripts/install-ui.sh
  step install-sdk-python scripts/install-sdk-python.sh
  step install-sdk-kotlin scripts/install-sdk-kotlin.sh
fi
[[ -x $TRACEWIRE ]] || fail "$TRACEWIRE is missing (run without DEMO_SKIP_INSTALL)"

# --- 2. tracewire serve ---
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$UI_PORT" "$OTLP_HTTP" "$OTLP_GRPC" "$ZIPKIN"; do
  port_busy "$port" && fail "port $port is in use (another tracewire serve or demo?); free it or set DEMO_*_PORT"
done
start serve "$TRACEWIRE" serve --data-dir "$DATA" --http "127.0.0.1:$UI_PORT" \
  --otlp-http "127.0.0.1:$OTLP_HTTP" --otlp-grpc "127.0.0.1:$OTLP_GRPC" --zipkin "127.0.0.1:$ZIPKIN"
for _ in $(seq 300); do
  curl -fsS -o /dev/null "$API/api/v1/services" 2>/dev/null && break
  kill -0 "${pids[-1]}" 2>/dev/null || fail "tracewire serve exited" "$LOGS/serve.log"
  sleep 0.1
done
curl -fsS -o /dev/null "$API/api/v1/services" || fail "tracewire serve did not answer in 30 s" "$LOGS/serve.log"
say "tracewire serve: UI and query API on $UI, OTLP on :$OTLP_GRPC (gRPC) and :$OTLP_HTTP (HTTP)"
START_NS=$(($(date +%s) - 5))000000000

# --- 3. the examples: start them all, then wait for each one's `ready:` line ---
export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$OTLP_HTTP TRACEWIRE_BIN=$TRACEWIRE  # the examples' run.sh
examples=()
for run in examples/*/run.sh; do
  [[ -x $run ]] || continue
  name=$(basename "$(dirname "$run")")
  [[ -n ${DEMO_EXAMPLES:-} && " $DEMO_EXAMPLES " != *" $name "* ]] && continue
  examples+=("$name")
  start "$name" "$run"
done
((${#examples[@]})) || fail "no examples/*/run.sh to start"
say "starting ${examples[*]} (each builds what changed first; the first run takes minutes; logs in $LOGS/)"
up=() live=("${pids[0]}")  # live: what the final wait watches (serve, the examples that came up)
for name in "${examples[@]}"; do
  idx=-1
  for i in "${!names[@]}"; do [[ ${names[i]} == "$name" ]] && idx=$i; done
  deadline=$((SECONDS + READY_TIMEOUT)) next_note=$((SECONDS + 30)) entry=""
  while [[ -z $entry ]]; do
    entry=$(sed -n 's/^ready: //p' "$LOGS/$name.log" | head -n 1)
    [[ -n $entry ]] && break
    if ! kill -0 "${pids[idx]}" 2>/dev/null; then
      echo "demo: FAILED: examples/$name/run.sh exited before it was ready; the end of $LOGS/$name.log:" >&2
      tail -n 25 "$LOGS/$name.log" >&2
      break
    fi
    if ((SECONDS >= deadline)); then
      echo "demo: FAILED: examples/$name not ready after ${READY_TIMEOUT} s (see $LOGS/$name.log)" >&2
      break
    fi
    ((SECONDS >= next_note)) && { say "still waiting for $name ($((SECONDS - deadline + READY_TIMEOUT)) s): $(tail -n 1 "$LOGS/$name.log")"; next_note=$((SECONDS + 30)); }
    sleep 0.3
  done
  if [[ -z $entry ]]; then
    kill -TERM -- "-${pids[idx]}" 2>/dev/null  # whatever it left running
    continue
  fi
  say "$name ready at $entry"
  up+=("$name=$entry") live+=("${pids[idx]}")
done
((${#up[@]})) || fail "no example came up"

# --- 4. traffic ---
for pair in "${up[@]}"; do
  name=${pair%%=*} entry=${pair#*=}
  if [[ -x examples/$name/traffic.sh ]]; then traffic=(examples/"$name"/traffic.sh "$entry")
  elif [[ -f examples/$name/traffic.py ]]; then traffic=(python3 examples/"$name"/traffic.py "$entry")
  else say "$name has no traffic script"; continue
  fi
  if "${traffic[@]}" >"$LOGS/$name-traffic.log" 2>&1; then
    say "$name traffic sent: $(grep -c . "$LOGS/$name-traffic.log") requests, statuses as expected"
  else
    echo "demo: FAILED: $name's traffic did not get the expected answers:" >&2
    cat "$LOGS/$name-traffic.log" >&2
  fi
done

# --- 5. find a successful and a failing trace per root service through the query API ---
say "waiting for the traces to be stored"
python3 - "$API" "$UI" "$START_NS" <<'EOF' || say "could not read the traces back (see $API/api/v1/traces)"
import json, sys, time, urllib.request

api, ui, start = sys.argv[1], sys.argv[2], sys.argv[3]


def traces():
    """Traces since the demo started that cross services (not the health checks of run.sh)."""
    url = f"{api}/api/v1/traces?start={start}&limit=500"
    with urllib.request.urlopen(url, timeout=10) as answer:
        return [t for t in json.load(answer)["traces"] if len(t["services"]) > 1]


# Until every root service has a failing and a successful trace and nothing changed for 1.5 s
# (exports arrive in batches), at most 20 s.
last, seen, deadline = None, [], time.monotonic() + 20
while time.monotonic() < deadline:
    seen = traces()
    key = sorted((t["traceId"], t["spanCount"]) for t in seen)
    roots = {t["rootService"] for t in seen}
    both = all(
        any(t["errorCount"] for t in seen if t["rootService"] == r)
        and any(not t["errorCount"] for t in seen if t["rootService"] == r)
        for r in roots
    )
    if seen and both and key == last:
        break
    last = key
    time.sleep(1.5)

by_root = {}
for t in seen:
    by_root.setdefault(t["rootService"], []).append(t)
print()
print("Open in a browser:")
for root in sorted(by_root):
    group = by_root[root]
    for label, pick in (("failing", [t for t in group if t["errorCount"]]),
                        ("successful", [t for t in group if not t["errorCount"]])):
        if not pick:
            continue
        t = max(pick, key=lambda t: (t["spanCount"], t["startTimeUnixNano"]))
        services = ", ".join(s["service"] for s in t["services"])
        print(f"  {label:10} {ui}/trace/{t['traceId']}")
        print(f"             {root}: {t['rootOperation']} — {t['spanCount']} spans, "
              f"{t['errorCount']} with errors, through {services}")
print(f"  search     {ui}/search?lookback=1h")
print(f"  services   {ui}/services")
if not seen:
    print("  (no trace arrived yet: look in the search page)")
EOF
echo
say "running; logs in $LOGS/. Press Ctrl-C to stop everything."
wait -n "${live[@]}" 2>/dev/null
# A process ended on its own: say which, then the EXIT trap stops the rest.
for i in "${!pids[@]}"; do
  [[ " ${live[*]} " == *" ${pids[i]} "* ]] || continue
  kill -0 "${pids[i]}" 2>/dev/null || echo "demo: ${names[i]} exited (see $LOGS/${names[i]}.log)" >&2
done
exit 1
