#!/usr/bin/env bash
# Sends a few requests through the mesh's edge (contracts C2): `traffic.sh [ENTRY_URL]`, default
# http://127.0.0.1:$MESH_EDGE_PORT (18100). Each is a tRPC-over-HTTP query of the frontend:
#   getOrder o-1    expects 200 (edge -> frontend -> catalog -> echo-a -> echo-b)
#   getOrder o-2    expects 200
#   failOrder o-3   expects 500 (echo-a's Fail answers an error; catalog and frontend pass it up)
#   getOrder o-99   expects 404 (catalog has no sku-99)
# Prints one line per request (status, x-request-id, start of the body) and exits 0 when every
# status is the expected one, 1 otherwise.
set -uo pipefail
ENTRY=${1:-http://127.0.0.1:${MESH_EDGE_PORT:-18100}}
ENTRY=${ENTRY%/}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

query() {  # query PROCEDURE ORDER_ID WANT_STATUS
  local status request_id
  status=$(curl -sS --max-time 10 -G -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' \
    --data-urlencode "input={\"id\":\"$2\"}" "$ENTRY/$1") || status=000
  request_id=$(tr -d '\r' <"$tmp/headers" 2>/dev/null | sed -n 's/^x-request-id: *//Ip' | head -1)
  local verdict=ok
  [[ $status == "$3" ]] || { verdict="FAILED (want $3)"; failed=1; }
  printf '%-9s %-6s %s  x-request-id=%s  %s  %s\n' "$1" "$2" "$status" "${request_id:--}" "$verdict" \
    "$(head -c 160 "$tmp/body" 2>/dev/null)"
}

query getOrder o-1 200
query getOrder o-2 200
query failOrder o-3 500
query getOrder o-99 404
exit $failed
