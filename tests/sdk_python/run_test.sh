#!/usr/bin/env bash
# ctest entry of the Python SDK: installs its venv if needed, runs mypy --strict over the package
# and the whole pytest suite with the C++ binaries given ($1 tracewire, $2 trpc_echo_server) for
# the interop tests (sdk/python/tests/test_interop_cpp.py).
set -euo pipefail
TRACEWIRE=${1:?usage: run_test.sh PATH/TO/tracewire PATH/TO/trpc_echo_server}
ECHO_SERVER=${2:?usage: run_test.sh PATH/TO/tracewire PATH/TO/trpc_echo_server}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${SDK_PYTHON_VENV:-$ROOT/build/sdk-python-venv}
"$ROOT/scripts/install-sdk-python.sh"
cd "$ROOT/sdk/python"
echo "== mypy --strict"
"$VENV/bin/mypy"
echo "== pytest"
TRACEWIRE_BIN=$TRACEWIRE TRPC_ECHO_SERVER_BIN=$ECHO_SERVER TRACEWIRE_ROOT=$ROOT \
  exec "$VENV/bin/python" -m pytest -p no:cacheprovider tests
