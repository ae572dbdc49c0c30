#!/usr/bin/env bash
# ctest entry of sidecar_mesh_test: builds examples/mesh's TS services (scripts/install-mesh.sh:
# npm ci from the lockfile and tsc, a no-op when nothing changed), then runs mesh_test.py against
# the binaries given ($1 tracewire, $2 trpc_echo_server). Exits 77 (ctest: skipped) only when the
# npm packages cannot be installed on a developer's machine; in CI (CI=true) that is a failure.
set -uo pipefail
TRACEWIRE=${1:?usage: run_test.sh PATH/TO/tracewire PATH/TO/trpc_echo_server}
ECHO_SERVER=${2:?usage: run_test.sh PATH/TO/tracewire PATH/TO/trpc_echo_server}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

if ! "$ROOT/scripts/install-mesh.sh"; then
  echo "sidecar_mesh_test: SKIP: the npm packages of examples/mesh could not be installed"
  [[ ${CI:-} == true ]] && { echo "sidecar_mesh_test: CI is set, so this is a failure"; exit 1; }
  exit 77
fi
exec python3 "$HERE/mesh_test.py" --tracewire "$TRACEWIRE" --echo "$ECHO_SERVER" --root "$ROOT"
