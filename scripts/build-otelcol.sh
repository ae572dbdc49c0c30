#!/usr/bin/env bash
# Builds the OpenTelemetry Collector the ingest benchmark compares against:
#   build/otelcol/otelcol-bench   (or the path given as $1)
# With --check (first argument), it then starts the binary with the nop config on a free
# loopback port and posts one OTLP/HTTP span, which must be answered 200.
# from bench/ingest/otelcol (otlp receiver, batch processor, debug/nop/file exporters) with the
# versions pinned in its go.mod/go.sum (collector v0.161.0 / v1.67.0, contrib v0.161.0).
# Idempotent: does nothing when the binary is newer than its sources. Needs Go >= the go.mod's
# go line on PATH (it never downloads a toolchain) and the Go module proxy for a cold module
# cache (a cold build takes a few minutes on 2 cores).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CHECK=0
if [[ "${1:-}" == "--check" ]]; then
  CHECK=1
  shift
fi
OUT=${1:-$ROOT/build/otelcol/otelcol-bench}
SRC=$ROOT/bench/ingest/otelcol

if ! command -v go >/dev/null 2>&1; then
  echo "build-otelcol: no 'go' on PATH; install Go >= $(sed -n 's/^go //p' "$SRC/go.mod")" >&2
  exit 1
fi

up_to_date() {
  [[ -x "$OUT" ]] || return 1
  local f
  for f in "$SRC"/go.mod "$SRC"/go.sum "$SRC"/*.go; do
    [[ "$f" -nt "$OUT" ]] && return 1
  done
  return 0
}

# Starts $OUT on a free port with the nop config, posts one span as OTLP/JSON, expects 200.
smoke_check() {
  local port pid code
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  OTELCOL_HTTP_ENDPOINT=127.0.0.1:$port "$OUT" --config "$SRC/otlp-nop.yaml" &
  pid=$!
  code=$(python3 - "$port" <<'PY'
import json, sys, time, urllib.request
span = {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174",
        "name": "check", "kind": 2, "startTimeUnixNano": "1", "endTimeUnixNano": "2"}
body = json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": [span]}]}]}).encode()
for _ in range(100):
    try:
        req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/v1/traces", body,
                                     {"Content-Type": "application/json"})
        print(urllib.request.urlopen(req, timeout=2).status)
        break
    except OSError:
        time.sleep(0.1)
else:
    print("no answer")
PY
)
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ "$code" != 200 ]]; then
    echo "build-otelcol: check failed: POST /v1/traces answered '$code'" >&2
    return 1
  fi
  echo "build-otelcol: check ok (POST /v1/traces on 127.0.0.1:$port answered 200)"
}

if up_to_date; then
  echo "build-otelcol: $OUT is up to date ($("$OUT" --version))"
else
  export GOTOOLCHAIN=local
  # go.sum is complete and committed: never edit go.mod/go.sum while building.
  export GOFLAGS="-mod=readonly -buildvcs=false"
  mkdir -p "$(dirname "$OUT")"
  (cd "$SRC" && go build -trimpath -o "$OUT.tmp.$$" .)
  mv -f "$OUT.tmp.$$" "$OUT"
  echo "build-otelcol: built $OUT ($("$OUT" --version))"
fi
if ((CHECK)); then
  smoke_check
fi
