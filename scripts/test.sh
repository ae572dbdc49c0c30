#!/usr/bin/env bash
# The README's test command: installs what is missing, builds with ASan+UBSan (and the fuzz
# targets), runs every test, a short run of every fuzz target, and the linters.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake --preset asan
cmake --build --preset asan -j "$(nproc)"
echo "== trpc-go peer (interop tests)"
./scripts/build-go-peer.sh
echo "== real OpenTelemetry SDK clients (realclients_serve_test)"
./scripts/install-realclients.sh
echo "== web UI and Chromium (ui_unit_test, ui_browser_test)"
./scripts/install-ui.sh --with-browser
echo "== Python SDK venv (sdk_python_test)"
./scripts/install-sdk-python.sh
echo "== examples/mesh TypeScript services (sidecar_mesh_test)"
./scripts/install-mesh.sh

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

echo "== fuzz smoke"
./scripts/fuzz.sh build/asan/bin "${FUZZ_SECONDS:-10}"
echo "== lint"
./scripts/lint.sh
echo "== unit and integration tests"
ctest --preset asan
