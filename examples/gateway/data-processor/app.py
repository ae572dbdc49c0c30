"""DataProcessor: a Flask app hosting the tRPC service `trpc.demo.data.Processor` (contract C3 of
examples/gateway), traced and logged through the tracewire Python SDK, configured only by OTEL_*.

    DATAPROCESSOR_TRPC_PORT=18090 DATAPROCESSOR_HTTP_PORT=18091 python app.py

tRPC (JSON bodies, content_type 2):
    /trpc.demo.data.Processor/Process   {"query": "eu"} -> {"rows": [...], "count": N}
    /trpc.demo.data.Processor/Analyze   {"query": "eu"} -> raises ValueError three calls deep
                                        (analyze -> aggregate -> normalize): ret 31 to the caller
A body that is not {"query": <string of at most 256 bytes>} is a business error (func_ret 400).
HTTP (Flask): GET /healthz, GET /rows?q=... (Process without tRPC).
Logs: one JSON object a line on stdout with trace_id/span_id, and every record over OTLP.
SIGINT / SIGTERM: drains the tRPC server, flushes spans and logs, exits 0.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
from typing import Any

import analytics
import flask
from tracewire import telemetry
from tracewire.flask_host import TrpcHost, trace_flask_requests
from tracewire.logs import JsonFormatter
from tracewire.trpc import ServerCall, TrpcError
from werkzeug.serving import make_server

SERVICE = "trpc.demo.data.Processor"
log = logging.getLogger("data_processor")


def _query_of(body: bytes) -> str:
    """The `query` of a request body; TrpcError(func_ret=400) when the body is not one."""
    try:
        request = json.loads(body or b"{}")
    except ValueError as e:
        raise TrpcError(f"body is not JSON: {e}", func_ret=400) from None
    query = request.get("query", "") if isinstance(request, dict) else None
    if not isinstance(query, str) or len(query.encode()) > analytics.MAX_QUERY_BYTES:
        raise TrpcError('body must be {"query": "<at most 256 bytes>"}', func_ret=400)
    return query


def _rows_answer(query: str) -> dict[str, Any]:
    rows = analytics.find_rows(query)
    log.info("query %r matched %d rows", query, len(rows))
    return {"rows": rows, "count": len(rows)}


async def process(call: ServerCall) -> bytes:
    return json.dumps(_rows_answer(_query_of(call.body))).encode()


async def analyze(call: ServerCall) -> bytes:
    query = _query_of(call.body)
    rows = analytics.find_rows(query)
    log.info("report for %r over %d rows", query, len(rows))
    try:
        report = analytics.analyze(rows)
    except ValueError:
        log.exception("report for %r failed", query)
        raise  # the SDK's server interceptor records it on the SERVER span: ret 31
    return json.dumps(report).encode()


def make_app() -> flask.Flask:
    app = flask.Flask("data-processor")
    trace_flask_requests(app)

    @app.get("/healthz")
    def healthz() -> Any:
        return {"status": "ok"}

    @app.get("/rows")
    def rows() -> Any:
        query = flask.request.args.get("q", "")
        if len(query.encode()) > analytics.MAX_QUERY_BYTES:
            return {"error": "q is longer than 256 bytes"}, 400
        return _rows_answer(query)

    return app


def _setup_logging() -> None:
    stdout = logging.StreamHandler(sys.stdout)
    stdout.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(stdout)
    logging.getLogger().setLevel(logging.INFO)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log per health check


def _stop(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main() -> int:
    trpc_port = int(os.environ.get("DATAPROCESSOR_TRPC_PORT", "18090"))
    http_port = int(os.environ.get("DATAPROCESSOR_HTTP_PORT", "18091"))
    tel = telemetry.configure("data-processor")
    _setup_logging()
    host = TrpcHost(
        {f"/{SERVICE}/Process": process, f"/{SERVICE}/Analyze": analyze}, port=trpc_port
    )
    try:
        host.start()
        http = make_server("127.0.0.1", http_port, make_app(), threaded=True)
    except OSError as e:
        log.error("cannot listen: %s", e)
        tel.shutdown()
        return 1
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    log.info("listening: tRPC 127.0.0.1:%d, HTTP 127.0.0.1:%d", host.port, http_port)
    try:
        http.serve_forever()  # werkzeug's returns on KeyboardInterrupt (from _stop)
    finally:
        log.info("stopping")
        http.server_close()
        host.stop()
        tel.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
