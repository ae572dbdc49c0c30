# Sourced by tests/ui/ui_test.sh and bench/ui/run.sh: tw_start_serve TRACEWIRE ROOT [SED_EXPR...]
# starts `tracewire serve` on free loopback ports with a temp data dir and ui_dir = ROOT/ui/dist
# (the default config from --print-config, edited by the extra sed expressions), waits until the
# query API answers, and sets DATA, HTTP (OTLP/HTTP port), QUERY (query/UI port) and PID. An EXIT
# trap stops the server and removes DATA. Returns 1 (after printing the log) when it exits early.
tw_start_serve() {
  local tracewire=$1 root=$2
  shift 2
  local edits=(-e "s|^    # ui_dir: .*|    ui_dir: $root/ui/dist|")
  for e in "$@"; do edits+=(-e "$e"); done
  DATA=$(mktemp -d "${TMPDIR:-/tmp}/tw-ui.XXXXXX")
  free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
  local grpc zipkin
  grpc=$(free_port) HTTP=$(free_port) zipkin=$(free_port) QUERY=$(free_port)
  "$tracewire" serve --print-config | sed "${edits[@]}" >"$DATA/config.yaml"
  "$tracewire" serve --config "$DATA/config.yaml" --data-dir "$DATA/data" --otlp-grpc "127.0.0.1:$grpc" \
    --otlp-http "127.0.0.1:$HTTP" --zipkin "127.0.0.1:$zipkin" --http "127.0.0.1:$QUERY" \
    >"$DATA/serve.log" 2>&1 &
  PID=$!
  trap 'kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$DATA"' EXIT
  for _ in $(seq 300); do
    curl -fsS "http://127.0.0.1:$QUERY/api/v1/services" >/dev/null 2>&1 && return 0
    kill -0 "$PID" 2>/dev/null || { echo "tracewire serve exited:"; cat "$DATA/serve.log"; return 1; }
    sleep 0.1
  done
  echo "tracewire serve did not answer in 30 s"
  return 1
}
