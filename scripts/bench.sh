#!/usr/bin/env bash
# Runs every Release benchmark build/bin/*_bench with repetitions and prints medians.
set -euo pipefail
cd "$(dirname "$0")/.."
for b in build/bin/*_bench; do
  echo "== $b"
  "$b" --benchmark_repetitions="${REPS:-5}" --benchmark_report_aggregates_only=true \
       --benchmark_min_time="${MIN_TIME:-0.5}" "$@"
done
