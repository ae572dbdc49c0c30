#!/usr/bin/env bash
# ctest entry of the gateway end-to-end test (tests/e2e_gateway/README.md):
#   run_test.sh PATH/TO/tracewire
# starts `tracewire serve` (that binary, free loopback ports, a temp data dir, ui_dir = ui/dist,
# via tests/ui/start_serve.sh), then examples/gateway/run.sh on free ports (the same binary as
# the edge sidecar), sends examples/gateway/traffic.sh, checks the traces and logs through the
# query API (check_trace.py) and the failing trace in Chromium (browser_test.mjs), and stops
# everything. Exit 77 (ctest: skipped) when a dependency cannot be had, except with CI=true,
# where that is a failure. Screenshots: build/e2e-gateway-artifacts/ (TW_E2E_ARTIFACTS).
set -uo pipefail
TRACEWIRE=${1:?usage: run_test.sh PATH/TO/tracewire}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ARTIFACTS=${TW_E2E_ARTIFACTS:-$ROOT/build/e2e-gateway-artifacts}
say() { echo "e2e_gateway: $*"; }
skip() {
  say "SKIP: $1"
  [[ ${CI:-} == true ]] && { say "CI is set, so this is a failure"; exit 1; }
  exit 77
}

[[ -x $ROOT/examples/gateway/query-gateway/run.sh || -n ${GATEWAY_RUN:-} ]] ||
  skip "examples/gateway/query-gateway/run.sh is not in the tree"
for tool in java mvn node curl python3; do
  command -v "$tool" >/dev/null 2>&1 || skip "'$tool' is not on PATH"
done
"$ROOT/scripts/install-sdk-python.sh" >/dev/null || skip "scripts/install-sdk-python.sh failed"
"$ROOT/scripts/install-sdk-kotlin.sh" >/dev/null || skip "scripts/install-sdk-kotlin.sh failed"
if ! "$ROOT/scripts/install-ui.sh" --with-browser >/dev/null; then
  [[ -x /usr/bin/chromium ]] || skip "chromium could not be installed (apt-get failed)"
  say "building the UI failed"
  exit 1
fi

source "$ROOT/tests/ui/start_serve.sh"
tw_start_serve "$TRACEWIRE" "$ROOT" || exit 1
export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$HTTP
taken=" $HTTP $QUERY "
for var in EDGE_PORT EDGE_ADMIN_PORT GATEWAY_HTTP_PORT DATAPROCESSOR_TRPC_PORT DATAPROCESSOR_HTTP_PORT; do
  port=$(free_port) || exit 1
  while [[ $taken == *" $port "* ]]; do port=$(free_port) || exit 1; done
  taken+="$port "
  export "$var=$port"
done
export TRACEWIRE_BIN=$TRACEWIRE GATEWAY_LOG_DIR=$DATA/logs OTEL_BSP_SCHEDULE_DELAY=200 OTEL_BLRP_SCHEDULE_DELAY=200

"$ROOT/examples/gateway/run.sh" >"$DATA/run.out" 2>&1 &
RUN=$!
stop() {
  kill -TERM "$RUN" 2>/dev/null && wait "$RUN"
  local rc=$?
  kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$DATA"
  return $rc
}
trap stop EXIT
show_logs() {
  say "run.sh said:"; cat "$DATA/run.out"
  for f in "$DATA"/logs/*.log; do say "the end of $f:"; tail -n 15 "$f"; done
  say "the end of the serve log:"; tail -n 15 "$DATA/serve.log"
}
until grep -q '^ready: ' "$DATA/run.out"; do
  kill -0 "$RUN" 2>/dev/null || { say "examples/gateway/run.sh exited before ready"; show_logs; exit 1; }
  sleep 0.5
done
say "$(grep '^ready: ' "$DATA/run.out")"

"$ROOT/examples/gateway/traffic.sh" "http://127.0.0.1:$EDGE_PORT" || { say "traffic.sh failed"; show_logs; exit 1; }
python3 "$HERE/check_trace.py" --query "http://127.0.0.1:$QUERY" --out "$DATA/ids.json" ||
  { show_logs; exit 1; }
node "$HERE/browser_test.mjs" --base "http://127.0.0.1:$QUERY" --ids "$DATA/ids.json" --out "$ARTIFACTS" ||
  { show_logs; exit 1; }

# Ctrl-C semantics of run.sh: SIGTERM stops all three processes and exits 0.
mapfile -t children < <(pgrep -P "$RUN")
kill -TERM "$RUN"
wait "$RUN"
rc=$?
trap 'kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$DATA"' EXIT
[[ $rc -eq 0 ]] || { say "FAIL run.sh exited $rc on SIGTERM"; exit 1; }
left=()
for p in "${children[@]}"; do kill -0 "$p" 2>/dev/null && left+=("$p"); done
if ((${#left[@]})); then say "FAIL processes left after SIGTERM: ${left[*]}"; ps -o pid,cmd -p "${left[@]}"; exit 1; fi
say "PASS run.sh stopped its ${#children[@]} processes on SIGTERM"
say "all passed"
