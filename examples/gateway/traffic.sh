#!/usr/bin/env bash
# Traffic for the gateway example (contract C2): through the edge at $1 (default
# http://127.0.0.1:$EDGE_PORT), two queries that succeed and one report that fails deep in the
# DataProcessor. Prints one line per request; exits 0 when every status is the expected one
# (200 for /api/query, 500 for /api/report), 1 otherwise.
set -uo pipefail
BASE=${1:-http://127.0.0.1:${EDGE_PORT:-18000}}
BASE=${BASE%/}

failed=0
expect() {  # expect STATUS PATH
  local want=$1 path=$2 got
  got=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 15 "$BASE$path") || got="no answer"
  if [[ $got == "$want" ]]; then
    echo "traffic: GET $path -> $got"
  else
    echo "traffic: GET $path -> $got (expected $want)" >&2
    failed=1
  fi
}

expect 200 "/api/query?q=eu"
expect 200 "/api/query?q=sensor-a"
expect 500 "/api/report?q=eu"
exit $failed
