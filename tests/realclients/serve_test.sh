#!/usr/bin/env bash
# ctest entry of the real-clients test: starts `tracewire serve` (the binary given as $1) on free
# loopback ports with a fresh data directory, runs every language x protocol through run.sh, and
# stops the server. Needs scripts/install-realclients.sh to have run (scripts/test.sh does).
set -uo pipefail
TRACEWIRE=${1:?usage: serve_test.sh PATH/TO/tracewire}
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=$(mktemp -d "${TMPDIR:-/tmp}/tw-realclients.XXXXXX")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
GRPC=$(free_port) HTTP=$(free_port) ZIPKIN=$(free_port) QUERY=$(free_port)
"$TRACEWIRE" serve --data-dir "$DATA/data" --otlp-grpc "127.0.0.1:$GRPC" --otlp-http "127.0.0.1:$HTTP" \
  --zipkin "127.0.0.1:$ZIPKIN" --http "127.0.0.1:$QUERY" >"$DATA/serve.log" 2>&1 &
PID=$!
cleanup() {
  kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$DATA"
}
trap cleanup EXIT
for _ in $(seq 300); do
  curl -fsS "http://127.0.0.1:$QUERY/api/services" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { echo "serve_test: tracewire serve exited:"; cat "$DATA/serve.log"; exit 1; }
  sleep 0.1
done
"$HERE/run.sh" --otlp-http "http://127.0.0.1:$HTTP" --otlp-grpc "http://127.0.0.1:$GRPC" \
  --query "http://127.0.0.1:$QUERY" --out "$DATA/runs" --wait 15
rc=$?
if [ $rc -ne 0 ]; then echo "serve_test: serve log:"; tail -50 "$DATA/serve.log"; fi
exit $rc
