#!/usr/bin/env bash
# The gateway example (examples/README.md, contract C2/C3): starts, all on 127.0.0.1,
#   DataProcessor  (Python, data-processor/app.py)  tRPC $DATAPROCESSOR_TRPC_PORT (18090),
#                                                   HTTP $DATAPROCESSOR_HTTP_PORT (18091)
#   QueryGateway   (Kotlin, query-gateway/run.sh)   HTTP $GATEWAY_HTTP_PORT (18080)
#   edge sidecar   (tracewire sidecar, edge.yaml)   HTTP $EDGE_PORT (18000), admin $EDGE_ADMIN_PORT (18001)
# each exporting traces and logs to $OTEL_EXPORTER_OTLP_ENDPOINT (http://127.0.0.1:4318), waits
# until all three answer, prints `ready: http://127.0.0.1:$EDGE_PORT`, and stays in the
# foreground. SIGINT/SIGTERM (or any of the three exiting) stops the others; exit 0 on a signal.
# Builds what is missing first: the tracewire binary ($TRACEWIRE_BIN, default build/bin/tracewire,
# Release), the Python SDK venv (scripts/install-sdk-python.sh); query-gateway/run.sh builds itself.
# Each process's output goes to $GATEWAY_LOG_DIR (build/examples/gateway/).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

export EDGE_PORT=${EDGE_PORT:-18000}
export EDGE_ADMIN_PORT=${EDGE_ADMIN_PORT:-18001}
export GATEWAY_HTTP_PORT=${GATEWAY_HTTP_PORT:-18080}
export DATAPROCESSOR_TRPC_PORT=${DATAPROCESSOR_TRPC_PORT:-18090}
export DATAPROCESSOR_HTTP_PORT=${DATAPROCESSOR_HTTP_PORT:-18091}
export DATAPROCESSOR_ADDR=${DATAPROCESSOR_ADDR:-127.0.0.1:$DATAPROCESSOR_TRPC_PORT}
OTLP=${OTEL_EXPORTER_OTLP_ENDPOINT:-http://127.0.0.1:4318}
export OTEL_EXPORTER_OTLP_ENDPOINT=${OTLP%/}
# Short export delays so a request shows up in the UI within a second (the SDK default is 5 s).
export OTEL_BSP_SCHEDULE_DELAY=${OTEL_BSP_SCHEDULE_DELAY:-500}
export OTEL_BLRP_SCHEDULE_DELAY=${OTEL_BLRP_SCHEDULE_DELAY:-500}
TRACEWIRE=${TRACEWIRE_BIN:-$ROOT/build/bin/tracewire}
LOG_DIR=${GATEWAY_LOG_DIR:-$ROOT/build/examples/gateway}
READY_TIMEOUT=${GATEWAY_READY_TIMEOUT:-900}  # s; the first QueryGateway build fetches Maven deps
VENV=${SDK_PYTHON_VENV:-$ROOT/build/sdk-python-venv}

EXAMPLE=gateway
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$HERE/../lib.sh"

GATEWAY_RUN=${GATEWAY_RUN:-$HERE/query-gateway/run.sh}  # another QueryGateway start script
[[ -x $GATEWAY_RUN ]] || die "$GATEWAY_RUN is missing (the Kotlin QueryGateway is not in this tree)"
if [[ ! -x $TRACEWIRE ]]; then
  say "building $TRACEWIRE (cmake --preset release)"
  (cd "$ROOT" && cmake --preset release >/dev/null && cmake --build --preset release --target tracewire) ||
    die "building tracewire failed"
fi
"$ROOT/scripts/install-sdk-python.sh" >/dev/null || die "scripts/install-sdk-python.sh failed"
mkdir -p "$LOG_DIR"

# shellcheck disable=SC2317 # called through wait_for
ready() { curl -fsS -o /dev/null --max-time 2 "$1"; }

start data-processor env OTEL_SERVICE_NAME=data-processor \
  PYTHONUNBUFFERED=1 "$VENV/bin/python" "$HERE/data-processor/app.py"
wait_for data-processor ready "http://127.0.0.1:$DATAPROCESSOR_HTTP_PORT/healthz"
say "data-processor up (tRPC 127.0.0.1:$DATAPROCESSOR_TRPC_PORT)"

start query-gateway env OTEL_SERVICE_NAME=query-gateway "$GATEWAY_RUN"
say "query-gateway starting (built with Maven first when needed; log: $LOG_DIR/query-gateway.log)"
wait_for query-gateway ready "http://127.0.0.1:$GATEWAY_HTTP_PORT/healthz"
say "query-gateway up (HTTP 127.0.0.1:$GATEWAY_HTTP_PORT)"

sed -e "s|127.0.0.1:18000|127.0.0.1:$EDGE_PORT|" -e "s|127.0.0.1:18001|127.0.0.1:$EDGE_ADMIN_PORT|" \
  -e "s|127.0.0.1:18080|127.0.0.1:$GATEWAY_HTTP_PORT|" \
  -e "s|endpoint: http://127.0.0.1:4318/v1/traces|endpoint: $OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces|" \
  "$HERE/edge.yaml" >"$LOG_DIR/edge.yaml"
start edge "$TRACEWIRE" sidecar --config "$LOG_DIR/edge.yaml"
wait_for edge ready "http://127.0.0.1:$EDGE_ADMIN_PORT/ready"

echo "ready: http://127.0.0.1:$EDGE_PORT"
stay_up
