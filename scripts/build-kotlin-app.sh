#!/usr/bin/env bash
# Builds a Maven module that runs on the Kotlin SDK (the gateway example's QueryGateway, the SDK
# benchmark) when anything changed: first the SDK jar into ~/.m2 (scripts/install-sdk-kotlin.sh
# --jar), then the module's classes and its runtime classpath into OUT_DIR. Offline once ~/.m2 is
# warm; < 1 s when nothing changed. Progress and Maven's log (on failure) go to stderr.
# Usage: build-kotlin-app.sh MODULE_DIR OUT_DIR NAME
#   afterwards: java -cp "OUT_DIR/target/classes:$(cat OUT_DIR/classpath.txt)" MAIN_CLASS
# Env: MAVEN_REPO_LOCAL (another local repository).
set -euo pipefail
[ $# -eq 3 ] || {
  echo "usage: $0 MODULE_DIR OUT_DIR NAME" >&2
  exit 2
}
MODULE=$1 OUT=$2 NAME=$3
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$OUT"
"$ROOT/scripts/install-sdk-kotlin.sh" --jar >&2
REPO=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
JAR=$REPO/dev/tracewire/tracewire-kotlin/0.1.0/tracewire-kotlin-0.1.0.jar
CP=$OUT/classpath.txt
exec 9>"$OUT/.lock" # one build at a time
flock 9
if [ ! -s "$CP" ] || [ ! -d "$OUT/target/classes" ] ||
  [ -n "$(find "$MODULE/src" "$MODULE/pom.xml" "$JAR" -newer "$CP" -print -quit)" ]; then
  echo "$NAME: building" >&2
  MVN=(nice mvn -B -q -Dstyle.color=never -f "$MODULE/pom.xml")
  [ -n "${MAVEN_REPO_LOCAL:-}" ] && MVN+=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
  if ! "${MVN[@]}" compile dependency:build-classpath -Dmdep.includeScope=runtime \
    "-Dmdep.outputFile=$CP" >"$OUT/mvn.log" 2>&1; then
    cat "$OUT/mvn.log" >&2
    rm -f "$CP"
    exit 1
  fi
  touch "$CP" # Maven leaves an unchanged classpath file alone: its mtime marks this build
fi
