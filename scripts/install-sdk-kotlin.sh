#!/usr/bin/env bash
# Installs what the Kotlin SDK (sdk/kotlin) needs to build and test: resolves its Maven
# dependencies and plugins into the local repository (~/.m2, or MAVEN_REPO_LOCAL) and compiles
# it once, then writes the runtime classpath to build/sdk-kotlin/classpath.txt.
# Idempotent: a stamp of pom.xml's hash skips everything when nothing changed (< 1 s), and once
# the cache is warm Maven needs no network. Needs java 17 + mvn on PATH; Maven Central the first
# time. Builds run under `nice`.
# With --jar it also installs the SDK's jar (dev.tracewire:tracewire-kotlin) into the local
# repository, again only when a source or the pom is newer than the installed jar: what
# bench/sdk_kotlin and examples/gateway/query-gateway build against.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
POM=$ROOT/sdk/kotlin/pom.xml
OUT=${SDK_KOTLIN_BUILD:-$ROOT/build/sdk-kotlin}
WANT_JAR=0
[ "${1:-}" = "--jar" ] && WANT_JAR=1
STAMP=$OUT/.stamp
mkdir -p "$OUT"
# One install at a time (the demo, the tests and the examples may start it together).
exec 9>"$OUT/.lock"
flock 9
for tool in java mvn; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install-sdk-kotlin: '$tool' not on PATH" >&2; exit 1; }
done
MVN=(nice mvn -B -q -Dstyle.color=never -f "$POM")
[ -n "${MAVEN_REPO_LOCAL:-}" ] && MVN+=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
# The SDK jar in the local repository, rebuilt when older than a main source or the pom.
install_jar() {
  [ "$WANT_JAR" = 1 ] || return 0
  local repo=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
  local jar=$repo/dev/tracewire/tracewire-kotlin/0.1.0/tracewire-kotlin-0.1.0.jar
  if [ -f "$jar" ] && [ -z "$(find "$ROOT/sdk/kotlin/src/main" "$POM" -newer "$jar" -print -quit)" ]; then
    return 0
  fi
  echo "install-sdk-kotlin: installing the SDK jar" >&2
  if ! "${MVN[@]}" install -Dmaven.test.skip=true -Dktlint.skip=true >"$OUT/mvn-install.log" 2>&1; then
    cat "$OUT/mvn-install.log" >&2
    exit 1
  fi
}
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(sha256sum <"$POM")" ] && [ -s "$OUT/classpath.txt" ]; then
  install_jar
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
install_jar
echo "install-sdk-kotlin: $(tr ':' '\n' <"$OUT/classpath.txt" | grep -c opentelemetry) opentelemetry jars, classpath in $OUT/classpath.txt"
