#!/usr/bin/env bash
# clang-format (must be clean) and clang-tidy (warnings are errors) over our C++ sources.
# Uses the compile database of the ASan build (build/asan).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files -co --exclude-standard -- 'src/*.cc' 'src/*.h' 'apps/*.cc' \
  'apps/*.h' 'tests/*.cc' 'fuzz/*.cc' 'bench/*.cc')
clang-format-16 --dry-run --Werror "${files[@]}"
echo "lint: clang-format clean on ${#files[@]} files"
mapfile -t tidy < <(printf '%s\n' "${files[@]}" | grep -E '^(src|apps)/.*\.cc$' | grep -v '_test\.cc$')
if ((${#tidy[@]})); then
  printf '%s\n' "${tidy[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy-16 -p build/asan --quiet \
    2> >(grep -v 'warnings generated' >&2)
fi
echo "lint: clang-tidy clean on ${#tidy[@]} files"
