#!/usr/bin/env bash
# ctest entry of the browser test: builds the UI (scripts/install-ui.sh --with-browser, a no-op
# when nothing changed), starts `tracewire serve` (the binary given as $1) on free loopback ports
# with a fresh data dir and ui_dir set to ui/dist, sends send_scenario.py's traces through the
# real OpenTelemetry Python SDK, and runs browser_test.mjs in headless Chromium. Screenshots go to
# build/ui-artifacts/. Exits 77 (ctest: skipped) only when chromium or the SDK venv cannot be had.
set -uo pipefail
TRACEWIRE=${1:?usage: ui_test.sh PATH/TO/tracewire}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ARTIFACTS=${TW_UI_ARTIFACTS:-$ROOT/build/ui-artifacts}
PYTHON=$ROOT/build/realclients/venv/bin/python
# Skipping is for a developer's machine without the packages; in CI (.ci/run sets CI) it fails.
skip() {
  echo "ui_test: SKIP: $1"
  [[ ${CI:-} == true ]] && { echo "ui_test: CI is set, so this is a failure"; exit 1; }
  exit 77
}

if ! "$ROOT/scripts/install-ui.sh" --with-browser; then
  if [[ ! -x /usr/bin/chromium ]]; then
    skip "chromium could not be installed (apt-get failed)"
  fi
  echo "ui_test: building the UI failed"
  exit 1
fi
if [[ ! -x $PYTHON ]]; then
  "$ROOT/scripts/install-realclients.sh" python >/dev/null 2>&1 || true
fi
if [[ ! -x $PYTHON ]]; then
  skip "the OpenTelemetry Python SDK venv is missing (scripts/install-realclients.sh python)"
fi

source "$HERE/start_serve.sh"
tw_start_serve "$TRACEWIRE" "$ROOT" || exit 1
curl -fsS "http://127.0.0.1:$QUERY/" | grep -q 'id="app"' || { echo "ui_test: / does not serve the UI"; cat "$DATA/serve.log"; exit 1; }

"$PYTHON" "$HERE/send_scenario.py" --endpoint "http://127.0.0.1:$HTTP" >"$DATA/ids.json" || {
  echo "ui_test: sending the scenario failed"; exit 1; }
# Wait until both traces and their logs are searchable.
for _ in $(seq 100); do
  n=$(curl -fsS "http://127.0.0.1:$QUERY/api/v1/traces?service=ui-gateway" | grep -o '"traceId"' | wc -l)
  [[ $n -ge 2 ]] && break
  sleep 0.1
done
node "$HERE/browser_test.mjs" --base "http://127.0.0.1:$QUERY" --ids "$DATA/ids.json" --out "$ARTIFACTS"
rc=$?
if [[ $rc -ne 0 ]]; then echo "ui_test: serve log:"; tail -30 "$DATA/serve.log"; fi
exit $rc
