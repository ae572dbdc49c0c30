#!/usr/bin/env bash
# Runs the QueryGateway (contract C3): builds it first when anything changed (the SDK jar through
# scripts/install-sdk-kotlin.sh --jar, then this module into build/query-gateway; both offline
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
mkdir -p "$OUT"
"$ROOT/scripts/install-sdk-kotlin.sh" --jar >&2
REPO=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
JAR=$REPO/dev/tracewire/tracewire-kotlin/0.1.0/tracewire-kotlin-0.1.0.jar
CP=$OUT/classpath.txt
exec 9>"$OUT/.lock" # one build at a time (the lock is released before the JVM starts)
flock 9
if [ ! -s "$CP" ] || [ ! -d "$OUT/target/classes" ] ||
  [ -n "$(find "$HERE/src" "$HERE/pom.xml" "$JAR" -newer "$CP" -print -quit)" ]; then
  echo "query-gateway: building" >&2
  MVN=(nice mvn -B -q -Dstyle.color=never -f "$HERE/pom.xml")
  [ -n "${MAVEN_REPO_LOCAL:-}" ] && MVN+=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
  if ! "${MVN[@]}" compile dependency:build-classpath -Dmdep.includeScope=runtime "-Dmdep.outputFile=$CP" >"$OUT/mvn.log" 2>&1; then
    cat "$OUT/mvn.log" >&2
    rm -f "$CP"
    exit 1
  fi
  touch "$CP" # Maven leaves an unchanged classpath file alone: its mtime marks this build
fi
exec 9>&-
exec java ${GATEWAY_JAVA_OPTS:--Xms64m -Xmx256m} -cp "$OUT/target/classes:$(cat "$CP")" dev.tracewire.examples.gateway.MainKt
