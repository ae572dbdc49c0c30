#!/usr/bin/env bash
# Builds the Kotlin SDK benchmark if anything changed (scripts/build-kotlin-app.sh: the SDK jar,
# then this module) and runs it; arguments go to the benchmark (--runs N, --warmup N,
# --iterations N, --iteration-ms MS, --only TEXT, --json FILE). Prints the table on stdout,
# progress on stderr. Offline once ~/.m2 is warm.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/build/bench-sdk-kotlin
"$ROOT/scripts/build-kotlin-app.sh" "$ROOT/bench/sdk_kotlin" "$OUT" bench/sdk_kotlin
exec java -cp "$OUT/target/classes:$(cat "$OUT/classpath.txt")" dev.tracewire.bench.MainKt "$@"
