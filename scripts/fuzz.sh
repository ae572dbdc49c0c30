#!/usr/bin/env bash
# Runs every *_fuzz binary in DIR for SECONDS each, starting from fuzz/corpus/<name>/.
# Usage: scripts/fuzz.sh DIR [SECONDS]. Fails on the first crash, leak or timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: fuzz.sh DIR [SECONDS]}
seconds=${2:-10}
shopt -s nullglob
targets=("$dir"/*_fuzz)
if ((${#targets[@]} == 0)); then
  echo "fuzz: no *_fuzz targets in $dir" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in "${targets[@]}"; do
  name=$(basename "$t")
  seeds="fuzz/corpus/$name"
  mkdir -p "$work/$name"
  args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$work/$name-")
  if ! "$t" "${args[@]}" "$work/$name" "$seeds" >"$work/$name.log" 2>&1; then
    echo "fuzz: $name FAILED" >&2
    tail -50 "$work/$name.log" >&2
    exit 1
  fi
  execs=$(grep -m1 'stat::number_of_executed_units' "$work/$name.log" | awk '{print $2}')
  echo "fuzz: $name ok, ${execs:-?} executions in ${seconds}s"
done
