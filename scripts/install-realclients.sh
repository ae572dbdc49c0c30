#!/usr/bin/env bash
# Installs and builds the real-clients test (tests/realclients/) into build/realclients/:
#   venv/                 Python venv with the pinned OpenTelemetry Python SDK (python/requirements.txt)
#   node/node_modules/    the pinned OpenTelemetry JS SDK (npm ci from node/package-lock.json)
#   java/lib, java/classes  the pinned OpenTelemetry Java SDK jars (Maven, pom.xml) and Client.class
#   go/realclient-go      the Go client (go.mod/go.sum)
# Usage: scripts/install-realclients.sh [python] [node] [java] [go]   (default: all four)
# Idempotent: each part keeps a stamp of its pin file's hash and is skipped when nothing changed, so a
# second run takes about a second. Needs python3 (>= 3.9), node + npm, java 17 + mvn, go on PATH, and the
# package registries for a cold cache. Builds run under `nice`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=$ROOT/tests/realclients
OUT=${REALCLIENTS_BUILD:-$ROOT/build/realclients}
LANGS=("$@")
[ ${#LANGS[@]} -eq 0 ] && LANGS=(python node java go)
mkdir -p "$OUT"

log() { echo "install-realclients: $*"; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "install-realclients: '$1' not on PATH" >&2; exit 1; }; }
# stamp_ok NAME FILES...: true when the stamp NAME matches the hash of FILES.
stamp_ok() { local n=$1; shift; [ -f "$OUT/.stamp-$n" ] && [ "$(cat "$OUT/.stamp-$n")" = "$(cat "$@" | sha256sum)" ]; }
stamp_set() { local n=$1; shift; cat "$@" | sha256sum >"$OUT/.stamp-$n"; }

install_python() {
  need python3
  local req=$SRC/python/requirements.txt
  if stamp_ok python "$req" && [ -x "$OUT/venv/bin/python" ]; then log "python: up to date"; return; fi
  [ -x "$OUT/venv/bin/python" ] || python3 -m venv "$OUT/venv"
  nice "$OUT/venv/bin/pip" install -q --disable-pip-version-check -r "$req"
  stamp_set python "$req"
  log "python: $("$OUT/venv/bin/python" -c 'import opentelemetry.sdk.version as v; print("opentelemetry-sdk", v.__version__)')"
}

install_node() {
  need node; need npm
  local d=$OUT/node
  if stamp_ok node "$SRC/node/package-lock.json" && [ -d "$d/node_modules" ]; then log "node: up to date"; return; fi
  mkdir -p "$d"
  cp "$SRC/node/package.json" "$SRC/node/package-lock.json" "$d/"
  (cd "$d" && nice npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  stamp_set node "$SRC/node/package-lock.json"
  log "node: $(ls "$d/node_modules/@opentelemetry" | wc -l) @opentelemetry packages"
}

install_java() {
  need java; need javac; need mvn
  local d=$OUT/java
  if ! stamp_ok java-deps "$SRC/java/pom.xml" || [ ! -d "$d/lib" ]; then
    rm -rf "$d/lib"
    mkdir -p "$d"
    if ! nice mvn -B -q -Dstyle.color=never -f "$SRC/java/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$d/lib" >"$d/mvn.log" 2>&1; then
      cat "$d/mvn.log" >&2
      exit 1
    fi
    stamp_set java-deps "$SRC/java/pom.xml"
  fi
  if ! stamp_ok java-classes "$SRC/java/pom.xml" "$SRC/java/Client.java" || [ ! -f "$d/classes/Client.class" ]; then
    rm -rf "$d/classes"
    mkdir -p "$d/classes"
    nice javac -Xlint:all -Werror -d "$d/classes" -cp "$d/lib/*" "$SRC/java/Client.java"
    stamp_set java-classes "$SRC/java/pom.xml" "$SRC/java/Client.java"
  fi
  log "java: $(ls "$d/lib" | grep -c 'opentelemetry') opentelemetry jars, $d/classes/Client.class"
}

install_go() {
  need go
  mkdir -p "$OUT/go"
  local pins=("$SRC/go/go.mod" "$SRC/go/go.sum" "$SRC/go/main.go")
  if stamp_ok go "${pins[@]}" && [ -x "$OUT/go/realclient-go" ]; then log "go: up to date"; return; fi
  # go.sum is complete and committed: never edit go.mod/go.sum while building.
  (cd "$SRC/go" && GOTOOLCHAIN=local GOFLAGS="-mod=readonly -buildvcs=false" \
    nice go build -trimpath -o "$OUT/go/realclient-go.tmp" . && mv -f "$OUT/go/realclient-go.tmp" "$OUT/go/realclient-go")
  stamp_set go "${pins[@]}"
  log "go: $OUT/go/realclient-go"
}

for l in "${LANGS[@]}"; do
  case $l in
    python | node | java | go) "install_$l" ;;
    *) echo "install-realclients: unknown language '$l'" >&2; exit 2 ;;
  esac
done
