#!/usr/bin/env bash
# ctest entry of the Kotlin SDK: installs its Maven dependencies if needed, and the Python SDK's
# venv (for the Kotlin <-> Python interop test), then runs `mvn verify` (compile with -Werror,
# the whole JUnit suite, ktlint) with the C++ binaries given ($1 tracewire, $2 trpc_echo_server)
# for the interop tests (sdk/kotlin/src/test/.../interop).
set -euo pipefail
TRACEWIRE=${1:?usage: run_test.sh PATH/TO/tracewire PATH/TO/trpc_echo_server}
ECHO_SERVER=${2:?usage: run_test.sh PATH/TO/tracewire PATH/TO/trpc_echo_server}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
"$ROOT/scripts/install-sdk-kotlin.sh"
VENV=${SDK_PYTHON_VENV:-$ROOT/build/sdk-python-venv}
SDK_PYTHON_VENV=$VENV "$ROOT/scripts/install-sdk-python.sh" >/dev/null
MVN=(nice mvn -B -Dstyle.color=never -f "$ROOT/sdk/kotlin/pom.xml")
[ -n "${MAVEN_REPO_LOCAL:-}" ] && MVN+=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
echo "== mvn verify"
exec "${MVN[@]}" verify "-Dtracewire.bin=$TRACEWIRE" "-Dtrpc.echo.server.bin=$ECHO_SERVER" "-Dsdk.python.bin=$VENV/bin/python"
