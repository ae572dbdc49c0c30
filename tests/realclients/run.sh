#!/usr/bin/env bash
# Real-clients test: every language x protocol exports the SCENARIO.md scenario, then check.py reads it
# back. Exits non-zero when any combination fails.
#
#   run.sh --otlp-http http://127.0.0.1:4318 --otlp-grpc http://127.0.0.1:4317 --query http://127.0.0.1:16686
#          [--jaeger URL] [--langs "python java node go"] [--protocols "http/protobuf http/json grpc"]
#          [--out DIR] [--wait SECONDS]
#   run.sh --capture [...]   no server needed: starts capture_server.py on free ports and checks what
#                            it decoded off the wire (POST /rc/check); no query checks
#
# Run scripts/install-realclients.sh first. Clients run one at a time (modest CPU), each with a timeout.
set -uo pipefail
set -f # no globbing: the Java class path holds a literal lib/*
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
B=${REALCLIENTS_BUILD:-$ROOT/build/realclients}
OTLP_HTTP="" OTLP_GRPC="" QUERY="" JAEGER="" CAPTURE=0 WAIT=10
LANGS="python java node go"
PROTOCOLS="http/protobuf http/json grpc"
OUT=""
while [ $# -gt 0 ]; do
  case $1 in
    --otlp-http) OTLP_HTTP=$2; shift 2 ;;
    --otlp-grpc) OTLP_GRPC=$2; shift 2 ;;
    --query) QUERY=$2; shift 2 ;;
    --jaeger) JAEGER=$2; shift 2 ;;
    --langs) LANGS=$2; shift 2 ;;
    --protocols) PROTOCOLS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --wait) WAIT=$2; shift 2 ;;
    --capture) CAPTURE=1; shift ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
PY=$B/venv/bin/python
[ -x "$PY" ] || { echo "run.sh: $PY missing: run scripts/install-realclients.sh" >&2; exit 2; }
OUT=${OUT:-$B/runs/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
RUN_ID=rc-$(date +%s)-$$

CAP_PID=""
cleanup() { [ -n "$CAP_PID" ] && kill "$CAP_PID" 2>/dev/null && wait "$CAP_PID" 2>/dev/null; }
trap cleanup EXIT
if [ $CAPTURE = 1 ]; then
  rm -f "$OUT/capture.ports"
  (cd "$HERE" && exec "$PY" capture_server.py --ports-file "$OUT/capture.ports") >"$OUT/capture.log" 2>&1 &
  CAP_PID=$!
  for _ in $(seq 100); do [ -s "$OUT/capture.ports" ] && break; sleep 0.1; done
  [ -s "$OUT/capture.ports" ] || { echo "run.sh: capture_server did not start:"; cat "$OUT/capture.log"; exit 1; }
  read -r HP GP < <(sed -E 's/.*http=([0-9]+) grpc=([0-9]+).*/\1 \2/' "$OUT/capture.ports")
  OTLP_HTTP=http://127.0.0.1:$HP OTLP_GRPC=http://127.0.0.1:$GP CAPTURE_URL=http://127.0.0.1:$HP
  echo "run.sh: capture_server on http=$HP grpc=$GP"
fi
[ -n "$OTLP_HTTP" ] && [ -n "$OTLP_GRPC" ] && { [ $CAPTURE = 1 ] || [ -n "$QUERY" ]; } || {
  echo "run.sh: need --otlp-http, --otlp-grpc and --query (or --capture)" >&2; exit 2; }

# SDKs read OTEL_* from the environment; the scenario must not pick any of it up.
CLEAN_ENV=(env)
for v in $(env | grep -o '^OTEL_[A-Z_]*'); do CLEAN_ENV+=(-u "$v"); done

client_cmd() { # LANG -> the client command as words
  case $1 in
    python) echo "$PY $HERE/python/client.py" ;;
    node) echo "env NODE_PATH=$B/node/node_modules node $HERE/node/client.js" ;;
    java) echo "java -cp $B/java/classes:$B/java/lib/* Client" ;;
    go) echo "$B/go/realclient-go" ;;
  esac
}
# A combination an SDK cannot send at all (README.md, "What each SDK can send").
unsupported() {
  case "$1 $2" in
    "java http/json") echo "opentelemetry-java's OTLP exporters speak grpc and http/protobuf only" ;;
  esac
}

passed=0 failed=0 skipped=0
start=$(date +%s)
for lang in $LANGS; do
  for proto in $PROTOCOLS; do
    name="$lang-${proto//\//-}"
    why=$(unsupported "$lang" "$proto")
    if [ -n "$why" ]; then
      echo "SKIP $lang $proto: $why"
      skipped=$((skipped + 1))
      continue
    fi
    ep=$OTLP_HTTP
    [ "$proto" = grpc ] && ep=$OTLP_GRPC
    t0=$(date +%s%N)
    # shellcheck disable=SC2046
    "${CLEAN_ENV[@]}" timeout 120 $(client_cmd "$lang") --endpoint "$ep" --protocol "$proto" --run-id "$RUN_ID" \
      >"$OUT/$name.json" 2>"$OUT/$name.client.log"
    rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    secs=$((ms / 1000)).$((ms % 1000 / 100))
    if [ $rc -ne 0 ] || [ ! -s "$OUT/$name.json" ]; then
      echo "FAIL $lang $proto: client exited $rc (${secs}s); $OUT/$name.client.log:"
      tail -20 "$OUT/$name.client.log" | sed 's/^/    /'
      failed=$((failed + 1))
      continue
    fi
    ok=1
    if [ $CAPTURE = 1 ]; then
      code=$(curl -s -o "$OUT/$name.capture.txt" -w '%{http_code}' -X POST --data-binary @"$OUT/$name.json" \
        "$CAPTURE_URL/rc/check")
      [ "$code" = 200 ] || ok=0
      echo "     $lang $proto wire:  $(tail -1 "$OUT/$name.capture.txt")"
      [ "$code" = 200 ] || sed '$d' "$OUT/$name.capture.txt" | sed 's/^/    /'
    fi
    if [ $CAPTURE = 0 ]; then
      "$PY" "$HERE/check.py" --query "$QUERY" ${JAEGER:+--jaeger "$JAEGER"} --wait "$WAIT" "$OUT/$name.json" \
        >"$OUT/$name.check.txt" 2>&1 || ok=0
      grep '^SKIP' "$OUT/$name.check.txt"
      echo "     $lang $proto query: $(tail -1 "$OUT/$name.check.txt")"
    fi
    if [ $ok = 1 ]; then
      echo "PASS $lang $proto (client ${secs}s)"
      passed=$((passed + 1))
    else
      [ -f "$OUT/$name.check.txt" ] && grep -v '^SKIP' "$OUT/$name.check.txt" | sed '$d' | head -60 | sed 's/^/    /'
      echo "FAIL $lang $proto"
      failed=$((failed + 1))
    fi
  done
done
echo "run.sh: $(($(date +%s) - start))s, output in $OUT"
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
