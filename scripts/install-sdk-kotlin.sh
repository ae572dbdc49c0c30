#!/usr/bin/env bash
# Installs what the Kotlin SDK (sdk/kotlin) needs to build and test: resolves its Maven
# dependencies and plugins into the local repository (~/.m2, or MAVEN_REPO_LOCAL) and compiles
# it once, then writes the runtime classpath to build/sdk-kotlin/classpath.txt.
# Idempotent: a stamp of pom.xml's hash skips everything when nothing changed (< 1 s), and once
# the cache is warm Maven needs no network. Needs java 17 + mvn on PATH; Maven Central the first
# time. Builds run under `nice`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
POM=$ROOT/sdk/kotlin/pom.xml
OUT=${SDK_KOTLIN_BUILD:-$ROOT/build/sdk-kotlin}
STAMP=$OUT/.stamp
mkdir -p "$OUT"
for tool in java mvn; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install-sdk-kotlin: '$tool' not on PATH" >&2; exit 1; }
done
MVN=(nice mvn -B -q -Dstyle.color=never -f "$POM")
[ -n "${MAVEN_REPO_LOCAL:-}" ] && MVN+=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(sha256sum <"$POM")" ] && [ -s "$OUT/classpath.txt" ]; then
  echo "install-sdk-kotlin: up to date"
  exit 0
fi
# Resolve everything a `verify` run needs (the test-compile also fetches the Kotlin compiler;
# the one-test run fetches surefire's JUnit provider), so later runs work from the cache.
if ! "${MVN[@]}" dependency:resolve dependency:resolve-plugins test-compile >"$OUT/mvn.log" 2>&1 ||
  ! "${MVN[@]}" surefire:test -Dtest=FrameVectorsTest -Dsurefire.failIfNoSpecifiedTests=false >>"$OUT/mvn.log" 2>&1 ||
  ! "${MVN[@]}" dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$OUT/classpath.txt" >>"$OUT/mvn.log" 2>&1; then
  cat "$OUT/mvn.log" >&2
  exit 1
fi
sha256sum <"$POM" >"$STAMP"
echo "install-sdk-kotlin: $(tr ':' '\n' <"$OUT/classpath.txt" | grep -c opentelemetry) opentelemetry jars, classpath in $OUT/classpath.txt"
