#!/usr/bin/env bash
# Builds the Kotlin SDK benchmark if anything changed (the SDK jar through
# scripts/install-sdk-kotlin.sh --jar, then this module) and runs it; arguments go to the
# benchmark (--runs N, --warmup N, --iterations N, --iteration-ms MS, --only TEXT, --json FILE).
# Prints the table on stdout, progress on stderr. Offline once ~/.m2 is warm.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/sdk_kotlin
OUT=$ROOT/build/bench-sdk-kotlin
mkdir -p "$OUT"
"$ROOT/scripts/install-sdk-kotlin.sh" --jar >&2
REPO=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
JAR=$REPO/dev/tracewire/tracewire-kotlin/0.1.0/tracewire-kotlin-0.1.0.jar
CP=$OUT/classpath.txt
if [ ! -s "$CP" ] || [ ! -d "$OUT/target/classes" ] ||
  [ -n "$(find "$HERE/src" "$HERE/pom.xml" "$JAR" -newer "$CP" -print -quit)" ]; then
  echo "bench/sdk_kotlin: building" >&2
  MVN=(nice mvn -B -q -Dstyle.color=never -f "$HERE/pom.xml")
  [ -n "${MAVEN_REPO_LOCAL:-}" ] && MVN+=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
  if ! "${MVN[@]}" compile dependency:build-classpath -Dmdep.includeScope=runtime "-Dmdep.outputFile=$CP" >"$OUT/mvn.log" 2>&1; then
    cat "$OUT/mvn.log" >&2
    rm -f "$CP"
    exit 1
  fi
fi
exec java -cp "$OUT/target/classes:$(cat "$CP")" dev.tracewire.bench.MainKt "$@"
