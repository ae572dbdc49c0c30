#!/usr/bin/env bash
# Builds the web UI into ui/dist: npm ci (from ui/package-lock.json) and tsc + vite build.
# Idempotent: a stamp holding a hash of the lockfile and of every UI source skips both on a
# second run with nothing changed. With --with-browser (the browser tests and the UI bench), also
# installs Debian's chromium when /usr/bin/chromium is missing (apt-get, root or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

with_browser=0
for arg in "$@"; do
  case "$arg" in
    --with-browser) with_browser=1 ;;
    *) echo "install-ui: unknown argument $arg" >&2; exit 2 ;;
  esac
done

if ((with_browser)) && [[ ! -x /usr/bin/chromium ]]; then
  echo "install-ui: installing Debian's chromium (browser tests)"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium
fi

if ! command -v npm >/dev/null; then
  echo "install-ui: npm not found (Node.js ≥ 20 is needed to build the UI)" >&2
  exit 1
fi

hash_inputs() {
  (cd ui && find package.json package-lock.json tsconfig.json vite.config.ts index.html src public \
     -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1
}
stamp=ui/node_modules/.tracewire-ui-stamp
want=$(hash_inputs)
if [[ -f $stamp && -f ui/dist/index.html && $(cat "$stamp") == "$want" ]]; then
  echo "install-ui: ui/dist is up to date"
  exit 0
fi

lock_stamp=ui/node_modules/.tracewire-lock-stamp
lock_hash=$(sha256sum ui/package-lock.json | cut -d' ' -f1)
if [[ ! -f $lock_stamp || $(cat "$lock_stamp") != "$lock_hash" ]]; then
  echo "install-ui: npm ci"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" >"$lock_stamp"
fi
echo "install-ui: tsc --noEmit && vite build"
(cd ui && npx tsc --noEmit && npx vite build --logLevel warn)
echo "$want" >"$stamp"
echo "install-ui: built ui/dist"
