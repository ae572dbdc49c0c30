#!/usr/bin/env bash
# ruff (lint and format check, ruff.toml) over our Python, then clang-format (must be clean) and
# clang-tidy (warnings are errors) over our C++ sources. Every finding fails the script.
# ruff is the version pinned in scripts/lint-requirements.txt, installed into build/lint-venv on the
# first run and again only when that file changes. clang-tidy uses the compile database of the
# ASan build (build/asan).
set -euo pipefail
cd "$(dirname "$0")/.."

lint_req=scripts/lint-requirements.txt
lint_venv=build/lint-venv
lint_stamp=$(sha256sum <"$lint_req")
if [[ ! -x $lint_venv/bin/ruff || "$(cat "$lint_venv/.stamp" 2>/dev/null)" != "$lint_stamp" ]]; then
  echo "lint: installing $(grep -v '^#' "$lint_req" | xargs) into $lint_venv"
  [[ -x $lint_venv/bin/python ]] || python3 -m venv "$lint_venv"
  "$lint_venv/bin/pip" install -q --disable-pip-version-check -r "$lint_req"
  echo "$lint_stamp" >"$lint_venv/.stamp"
fi
# Untracked files too (as for C++ below), so a new script is checked before its first commit;
# --force-exclude keeps ruff's default excludes (node_modules, venvs, build/) for listed files.
mapfile -t py < <(git ls-files -co --exclude-standard -- '*.py')
ruff=$lint_venv/bin/ruff
ruff_failed() {
  echo "lint: ruff findings above; most are fixed by: $ruff format FILE && $ruff check --fix FILE" >&2
  exit 1
}
if ((${#py[@]})); then
  "$ruff" check --force-exclude --no-fix -q "${py[@]}" || ruff_failed
  "$ruff" format --force-exclude --check -q "${py[@]}" || ruff_failed
fi
echo "lint: ruff check and ruff format clean on ${#py[@]} Python files"

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
