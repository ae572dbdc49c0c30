#!/usr/bin/env bash
# Runs the QueryGateway (contract C3): builds it first when anything changed
# (scripts/build-kotlin-app.sh: the SDK jar, then this module into build/query-gateway; offline
# once ~/.m2 is warm, < 1 s when nothing changed), then execs the JVM in the foreground. The JVM
# prints `ready: http://HOST:PORT` on stdout once listening, logs JSON lines on stderr, and
# exits 0 on SIGINT/SIGTERM after flushing its spans and logs.
# Env: GATEWAY_HTTP_HOST (127.0.0.1), GATEWAY_HTTP_PORT (18080), DATAPROCESSOR_ADDR
# (127.0.0.1:18090), GATEWAY_TRPC_INJECT (text|binary|both), and every OTEL_* variable
# (OTEL_SERVICE_NAME defaults to query-gateway, OTEL_EXPORTER_OTLP_ENDPOINT to http://127.0.0.1:4318).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
OUT=$ROOT/build/query-gateway
"$ROOT/scripts/build-kotlin-app.sh" "$HERE" "$OUT" query-gateway
# shellcheck disable=SC2086 # GATEWAY_JAVA_OPTS holds several options
exec java ${GATEWAY_JAVA_OPTS:--Xms64m -Xmx256m} -cp "$OUT/target/classes:$(cat "$OUT/classpath.txt")" dev.tracewire.examples.gateway.MainKt
