#!/usr/bin/env bash
# The UI large-trace bench (bench/ui/README.md): starts `tracewire serve` (the binary given as $1,
# a Release build) on free ports with a temp data dir and limits raised for 1M-span traces, runs
# bench.mjs, stops the server. Extra arguments go to bench.mjs (e.g. --sizes 10000,100000).
set -uo pipefail
TRACEWIRE=${1:?usage: run.sh PATH/TO/tracewire [--sizes N,N,...]}
shift
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
"$ROOT/scripts/install-ui.sh" --with-browser || exit 1
source "$ROOT/tests/ui/start_serve.sh"
tw_start_serve "$TRACEWIRE" "$ROOT" "s|max_spans_per_trace: .*|max_spans_per_trace: 2000000|" \
  "s|sync: always|sync: never|" || exit 1
node "$HERE/bench.mjs" --otlp "http://127.0.0.1:$HTTP" --base "http://127.0.0.1:$QUERY" "$@"
rc=$?
if [[ $rc -ne 0 ]]; then echo "bench-ui: serve log:"; tail -30 "$DATA/serve.log"; fi
exit $rc
