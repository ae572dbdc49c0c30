#!/usr/bin/env bash
# Installs and builds the TypeScript services of examples/mesh: npm ci (from
# examples/mesh/package-lock.json, exact versions) and tsc (strict) into examples/mesh/dist.
# Idempotent: a stamp holding a hash of the lockfile and of every source skips both on a second run
# with nothing changed (well under a second). Exits 1 when npm is missing or either step fails.
set -euo pipefail
cd "$(dirname "$0")/../examples/mesh"

if ! command -v npm >/dev/null; then
  echo "install-mesh: npm not found (Node.js >= 20 is needed for examples/mesh)" >&2
  exit 1
fi

hash_inputs() {
  find package.json package-lock.json tsconfig.json src -type f -print0 | sort -z | xargs -0 sha256sum |
    sha256sum | cut -d' ' -f1
}
stamp=node_modules/.tracewire-mesh-stamp
want=$(hash_inputs)
if [[ -f $stamp && -f dist/frontend.js && -f dist/catalog.js && $(cat "$stamp") == "$want" ]]; then
  exit 0
fi

lock_stamp=node_modules/.tracewire-lock-stamp
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $lock_stamp || $(cat "$lock_stamp") != "$lock_hash" ]]; then
  echo "install-mesh: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" >"$lock_stamp"
fi
echo "install-mesh: tsc (strict)"
rm -rf dist
npx --no-install tsc -p .
echo "$want" >"$stamp"
echo "install-mesh: built examples/mesh/dist"
