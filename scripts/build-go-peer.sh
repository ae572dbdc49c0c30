#!/usr/bin/env bash
# Builds the trpc-go peer used by the interop tests and the echo benchmark:
#   build/go/trpc-go-peer   (or the path given as $1)
# from tests/interop/trpc_go with the pinned versions in its go.mod/go.sum. Idempotent: Go's build and module
# caches make a second run a no-op apart from the link check. Needs a Go toolchain >= the go.mod's go line
# on PATH (it never downloads a toolchain) and the Go module proxy for a cold module cache.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/build/go/trpc-go-peer}
SRC=$ROOT/tests/interop/trpc_go

if ! command -v go >/dev/null 2>&1; then
  echo "build-go-peer: no 'go' on PATH; install Go >= 1.22" >&2
  exit 1
fi

export GOTOOLCHAIN=local
# go.sum is complete and committed: never edit go.mod/go.sum while building.
export GOFLAGS="-mod=readonly -buildvcs=false"
# The checksum database does not answer for trpc-opentelemetry's modules; their hashes are pinned in go.sum.
export GONOSUMDB=${GONOSUMDB:-trpc.group/trpc-go/trpc-opentelemetry}

mkdir -p "$(dirname "$OUT")"
cd "$SRC"
go build -trimpath -o "$OUT.tmp.$$" .
mv -f "$OUT.tmp.$$" "$OUT"
echo "build-go-peer: $OUT ($("$OUT" version | grep 'trpc-go/trpc-go '))"
