#!/usr/bin/env bash
# Installs the Python SDK (sdk/python) for its tests and benchmark: a venv in build/sdk-python-venv
# (SDK_PYTHON_VENV overrides) with every pinned package of sdk/python/requirements.lock and the
# `tracewire` package itself installed editable. Idempotent: a stamp holds the hash of the lock
# file and pyproject.toml, so a second run only checks it (well under a second). Needs python3
# >= 3.11 and PyPI for a cold cache.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SDK=$ROOT/sdk/python
VENV=${SDK_PYTHON_VENV:-$ROOT/build/sdk-python-venv}
STAMP=$VENV/.stamp-tracewire-sdk
PINS=("$SDK/requirements.lock" "$SDK/pyproject.toml")

log() { echo "install-sdk-python: $*"; }
command -v python3 >/dev/null 2>&1 || { echo "install-sdk-python: python3 not on PATH" >&2; exit 1; }
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' ||
  { echo "install-sdk-python: Python >= 3.11 is needed" >&2; exit 1; }

want=$(cat "${PINS[@]}" | sha256sum)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && [ -x "$VENV/bin/python" ]; then
  log "up to date ($VENV)"
  exit 0
fi
mkdir -p "$(dirname "$VENV")"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
nice "$VENV/bin/pip" install -q --disable-pip-version-check -r "$SDK/requirements.lock"
# --no-deps: every dependency is already pinned by the lock file.
nice "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps --no-build-isolation -e "$SDK"
echo "$want" >"$STAMP"
log "$("$VENV/bin/python" -c 'import tracewire, opentelemetry.sdk.version as v; print("tracewire", tracewire.__version__, "on opentelemetry-sdk", v.__version__)')"
