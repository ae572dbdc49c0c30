#!/usr/bin/env bash
# The mesh example (README.md beside this file, contracts C1/C2): starts, all on 127.0.0.1,
#   edge sidecar      $MESH_EDGE_PORT (18100)                      -> frontend's inbound sidecar
#   frontend (TS)     $MESH_FRONTEND_PORT (18110), sidecar in 18111 / out 18112 -> catalog
#   catalog (TS)      $MESH_CATALOG_PORT (18120),  sidecar in 18121 / out 18122 -> echo-a (tRPC)
#   echo-a (C++)      $MESH_ECHO_A_PORT (18130),   sidecar in 18131 / out 18132 -> echo-b
#   echo-b (C++)      $MESH_ECHO_B_PORT (18140),   sidecar in 18141
# Sidecar admin ports (/ready, /metrics): 18101, 18113, 18123, 18133, 18143. Every port can be set
# by its variable (the table in README.md). The sidecars export spans, the TS services their logs,
# to $OTEL_EXPORTER_OTLP_ENDPOINT (http://127.0.0.1:4318). Waits until everything is ready, prints
# `ready: http://127.0.0.1:$MESH_EDGE_PORT`, and stays in the foreground; SIGINT/SIGTERM stop every
# process it started (exit 0); a process that dies stops the rest (exit 1).
# Builds what is missing first: tracewire ($TRACEWIRE_BIN, default build/bin/tracewire) and
# trpc_echo_server ($TRPC_ECHO_BIN, default build/bin/trpc_echo_server), Release, and the TS
# services (scripts/install-mesh.sh). Logs and the rendered sidecar configs go to $MESH_LOG_DIR
# (build/examples/mesh).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

# name default variable: the ports, in the order the configs mention them.
PORTS=(
  edge 18100 MESH_EDGE_PORT          edge-admin 18101 MESH_EDGE_ADMIN_PORT
  frontend 18110 MESH_FRONTEND_PORT  frontend-in 18111 MESH_FRONTEND_IN_PORT
  frontend-out 18112 MESH_FRONTEND_OUT_PORT  frontend-admin 18113 MESH_FRONTEND_ADMIN_PORT
  catalog 18120 MESH_CATALOG_PORT    catalog-in 18121 MESH_CATALOG_IN_PORT
  catalog-out 18122 MESH_CATALOG_OUT_PORT  catalog-admin 18123 MESH_CATALOG_ADMIN_PORT
  echo-a 18130 MESH_ECHO_A_PORT      echo-a-in 18131 MESH_ECHO_A_IN_PORT
  echo-a-out 18132 MESH_ECHO_A_OUT_PORT  echo-a-admin 18133 MESH_ECHO_A_ADMIN_PORT
  echo-b 18140 MESH_ECHO_B_PORT      echo-b-in 18141 MESH_ECHO_B_IN_PORT
  echo-b-admin 18143 MESH_ECHO_B_ADMIN_PORT
)
declare -A PORT
for ((i = 0; i < ${#PORTS[@]}; i += 3)); do
  var=${PORTS[i + 2]}
  PORT[${PORTS[i]}]=${!var:-${PORTS[i + 1]}}
done
OTLP=${OTEL_EXPORTER_OTLP_ENDPOINT:-http://127.0.0.1:4318}
export OTEL_EXPORTER_OTLP_ENDPOINT=${OTLP%/}
TRACEWIRE=${TRACEWIRE_BIN:-$ROOT/build/bin/tracewire}
ECHO_BIN=${TRPC_ECHO_BIN:-$ROOT/build/bin/trpc_echo_server}
LOG_DIR=${MESH_LOG_DIR:-$ROOT/build/examples/mesh}
READY_TIMEOUT=${MESH_READY_TIMEOUT:-60}  # s, once everything is built

EXAMPLE=mesh
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$HERE/../lib.sh"

missing=()
for given in "TRACEWIRE_BIN tracewire $TRACEWIRE" "TRPC_ECHO_BIN trpc_echo_server $ECHO_BIN"; do
  read -r var target path <<<"$given"
  [[ -x $path ]] && continue
  [[ -z ${!var:-} ]] || die "$var=$path is not executable"
  missing+=("$target")
done
if ((${#missing[@]})); then
  say "building ${missing[*]} (cmake --preset release)"
  (cd "$ROOT" && cmake --preset release >/dev/null &&
    cmake --build --preset release --target "${missing[@]}") ||
    die "building ${missing[*]} failed"
fi
"$ROOT/scripts/install-mesh.sh" || die "scripts/install-mesh.sh failed"
mkdir -p "$LOG_DIR"

# The configs with this run's ports and exporter endpoint.
render() {  # render NAME: sidecars/NAME.yaml -> $LOG_DIR/NAME.yaml
  local i
  local edits=(-e "s|http://127.0.0.1:4318/v1/traces|$OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces|")
  for ((i = 0; i < ${#PORTS[@]}; i += 3)); do
    edits+=(-e "s|127\.0\.0\.1:${PORTS[i + 1]}\b|127.0.0.1:${PORT[${PORTS[i]}]}|g")
  done
  sed "${edits[@]}" "$HERE/sidecars/$1.yaml" >"$LOG_DIR/$1.yaml"
}

# shellcheck disable=SC2317 # called through wait_for
listening() { grep -q '^listening on' "$LOG_DIR/$1.log"; }
sidecar() {  # sidecar NAME: its rendered config, started, /ready answered
  render "$1"
  start "$1-sidecar" "$TRACEWIRE" sidecar --config "$LOG_DIR/$1.yaml"
  wait_for "$1-sidecar" curl -fsS --max-time 1 "http://127.0.0.1:${PORT[$1-admin]}/ready"
}

# From the last hop to the entry, so each is ready before anything calls it.
start echo-b "$ECHO_BIN" --no-tracing --port "${PORT[echo-b]}"
wait_for echo-b listening echo-b
sidecar echo-b
start echo-a "$ECHO_BIN" --no-tracing --port "${PORT[echo-a]}" --downstream "127.0.0.1:${PORT[echo-a-out]}"
wait_for echo-a listening echo-a
sidecar echo-a
CATALOG_PORT=${PORT[catalog]} ECHO_URL="http://127.0.0.1:${PORT[catalog-out]}" \
  start catalog node "$HERE/dist/catalog.js"
wait_for catalog listening catalog
sidecar catalog
FRONTEND_PORT=${PORT[frontend]} CATALOG_URL="http://127.0.0.1:${PORT[frontend-out]}" \
  start frontend node "$HERE/dist/frontend.js"
wait_for frontend listening frontend
sidecar frontend
sidecar edge

echo "ready: http://127.0.0.1:${PORT[edge]}"
stay_up
