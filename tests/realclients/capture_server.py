#!/usr/bin/env python3
"""A small OTLP receiver that keeps what arrives and checks it against a client's expectation.

  capture_server.py [--host 127.0.0.1] [--http-port 0] [--grpc-port 0] [--ports-file FILE]

Receives OTLP/HTTP (POST /v1/traces, /v1/logs; application/x-protobuf or application/json; gzip
or not) and OTLP/gRPC (TraceService/Export, LogsService/Export). Each request is decoded
(protobuf with the opentelemetry-proto package) into OTLP JSON (hex ids, int enums, 64-bit ints
as strings) and kept with the transport it came by. Control routes on the HTTP port:

  POST /rc/check   body: a client's expectation document -> text report; 200 when all passed,
                   else 422. Only data from the expected transport, service.name and rc.run_id
                   is looked at.
  GET  /rc/dump    everything received, as JSON.
  POST /rc/reset   forget everything.

Prints "capture_server http=PORT grpc=PORT" on stdout once both listen (and writes it to
--ports-file). A diagnostic tool: run it, point a client at it, read /rc/dump. Stops on
SIGTERM/SIGINT.
"""

import argparse
import base64
import json
import os
import signal
import sys
import threading
import zlib
from concurrent import futures
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
from google.protobuf import json_format
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2, logs_service_pb2_grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc

import rcverify

MAX_BODY = 20 << 20
ID_KEYS = ("traceId", "spanId", "parentSpanId")


class Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.items = []  # {"transport", "signal", "payload": OTLP JSON request}

    def add(self, transport, signal_name, payload, headers=None):
        with self.lock:
            self.items.append(
                {
                    "transport": transport,
                    "signal": signal_name,
                    "headers": headers or {},
                    "payload": payload,
                }
            )

    def snapshot(self):
        with self.lock:
            return list(self.items)

    def reset(self):
        with self.lock:
            self.items.clear()


STORE = Store()


def _hexify(node):
    """MessageToDict renders bytes fields as base64; OTLP JSON wants trace and span ids as hex."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ID_KEYS and isinstance(v, str):
                node[k] = base64.b64decode(v).hex()
            else:
                _hexify(v)
    elif isinstance(node, list):
        for x in node:
            _hexify(x)
    return node


def proto_to_json(msg):
    return _hexify(json_format.MessageToDict(msg, use_integers_for_enums=True))


def decode_http(path, ctype, body):
    """-> (signal, OTLP JSON request) or raises ValueError."""
    if path == "/v1/traces":
        sig, cls = "traces", trace_service_pb2.ExportTraceServiceRequest
    elif path == "/v1/logs":
        sig, cls = "logs", logs_service_pb2.ExportLogsServiceRequest
    else:
        raise LookupError(path)
    if ctype.startswith("application/x-protobuf"):
        msg = cls()
        msg.ParseFromString(body)
        return sig, "http/protobuf", proto_to_json(msg)
    if ctype.startswith("application/json"):
        doc = json.loads(body)
        if not isinstance(doc, dict):
            raise ValueError("JSON body is not an object")
        return sig, "http/json", doc
    raise ValueError(f"unsupported Content-Type {ctype!r}")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet; failures are reported through /rc/check
        pass

    def _reply(self, code, body, ctype="text/plain"):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            data = self._chunked()
        else:
            n = int(self.headers.get("Content-Length") or 0)
            if n > MAX_BODY:
                raise ValueError("body too large")
            data = self.rfile.read(n)
        if (self.headers.get("Content-Encoding") or "").lower() == "gzip":
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            data = d.decompress(data, MAX_BODY + 1)
            if len(data) > MAX_BODY:
                raise ValueError("body too large after gzip")
        return data

    def _chunked(self):
        parts, total = [], 0
        while True:
            line = self.rfile.readline(1024)
            size = int(line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            total += size
            if total > MAX_BODY:
                raise ValueError("body too large")
            parts.append(self.rfile.read(size))
            self.rfile.readline(16)  # CRLF after the chunk

    def do_GET(self):
        if self.path == "/rc/dump":
            self._reply(200, json.dumps(STORE.snapshot(), indent=1), "application/json")
            return
        self._reply(404, "not found\n")

    def do_POST(self):
        try:
            body = self._body()
        except (ValueError, OSError) as e:
            self._reply(400, f"{e}\n")
            return
        if self.path == "/rc/reset":
            STORE.reset()
            self._reply(200, "ok\n")
            return
        if self.path == "/rc/check":
            try:
                exp = json.loads(body)
            except ValueError as e:
                self._reply(400, f"bad expectation document: {e}\n")
                return
            rep = check_expectation(exp, STORE.snapshot())
            text = "\n".join(rep.failures + [rep.summary()]) + "\n"
            self._reply(200 if not rep.failures else 422, text)
            return
        ctype = self.headers.get("Content-Type") or ""
        try:
            sig, transport, payload = decode_http(self.path, ctype, body)
        except LookupError:
            self._reply(404, "not found\n")
            return
        except Exception as e:  # noqa: BLE001 - any decode failure is the client's bad data
            self._reply(400, f"cannot decode: {e}\n")
            return
        meta = {
            h: self.headers.get(h)
            for h in (
                "Content-Type",
                "Content-Encoding",
                "Transfer-Encoding",
                "Content-Length",
                "User-Agent",
            )
            if self.headers.get(h)
        }
        STORE.add(transport, sig, payload, meta)
        if transport == "http/json":
            self._reply(200, "{}", "application/json")
        else:
            resp = (
                trace_service_pb2.ExportTraceServiceResponse()
                if sig == "traces"
                else logs_service_pb2.ExportLogsServiceResponse()
            )
            self._reply(200, resp.SerializeToString(), "application/x-protobuf")


def _grpc_meta(context):
    return {
        k: v
        for k, v in context.invocation_metadata()
        if k in ("user-agent", "grpc-encoding", "grpc-accept-encoding", "content-type")
    }


class TraceServicer(trace_service_pb2_grpc.TraceServiceServicer):
    def Export(self, request, context):  # noqa: N802 - gRPC method name
        STORE.add("grpc", "traces", proto_to_json(request), _grpc_meta(context))
        return trace_service_pb2.ExportTraceServiceResponse()


class LogsServicer(logs_service_pb2_grpc.LogsServiceServicer):
    def Export(self, request, context):  # noqa: N802 - gRPC method name
        STORE.add("grpc", "logs", proto_to_json(request), _grpc_meta(context))
        return logs_service_pb2.ExportLogsServiceResponse()


def _mine(exp, resource):
    attrs = rcverify.kv_map(resource.get("attributes"), False)
    same_service = attrs.get("service.name") == {"stringValue": exp["service_name"]}
    return same_service and attrs.get("rc.run_id") == {"stringValue": exp["run_id"]}


def check_expectation(exp, items):
    rep = rcverify.Report(f"capture {exp.get('lang')} {exp.get('protocol')}")
    rcverify.check_shape(rep, exp)
    spans, logs, wrong_transport = [], [], []
    for it in items:
        key = "resourceSpans" if it["signal"] == "traces" else "resourceLogs"
        for r in it["payload"].get(key, []) or []:
            if not _mine(exp, r.get("resource", {}) or {}):
                continue
            if it["transport"] != exp["protocol"]:
                wrong_transport.append(it["transport"])
            (spans if it["signal"] == "traces" else logs).append(r)
    rep.check(
        not wrong_transport,
        "data arrived by the expected transport only",
        exp["protocol"],
        sorted(set(wrong_transport)),
    )
    # Protobuf is rendered with the strict OTLP JSON rules. A JSON client's own encoding is read
    # the way a receiver must read it (proto3 JSON: a 64-bit int may come as a string or a number;
    # the JS SDK sends numbers), so the strict rules apply only to what the query API answers
    # (check.py).
    strict = exp["protocol"] != "http/json"
    rcverify.check_spans(rep, exp, spans, strict=strict)
    rcverify.check_logs(rep, exp, logs, strict=strict)
    n_spans = len(rcverify.flatten_spans(spans))
    rep.check(
        n_spans == len(exp["spans"]), "no duplicate or extra spans", len(exp["spans"]), n_spans
    )
    n_logs = len(rcverify.flatten_logs(logs))
    rep.check(
        n_logs == len(exp["logs"]), "no duplicate or extra log records", len(exp["logs"]), n_logs
    )
    return rep


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--http-port", type=int, default=0)
    ap.add_argument("--grpc-port", type=int, default=0)
    ap.add_argument("--ports-file")
    args = ap.parse_args()

    httpd = ThreadingHTTPServer((args.host, args.http_port), Handler)
    gsrv = grpc.server(
        futures.ThreadPoolExecutor(max_workers=4),
        options=[("grpc.max_receive_message_length", MAX_BODY)],
    )
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(TraceServicer(), gsrv)
    logs_service_pb2_grpc.add_LogsServiceServicer_to_server(LogsServicer(), gsrv)
    gport = gsrv.add_insecure_port(f"{args.host}:{args.grpc_port}")
    gsrv.start()
    line = f"capture_server http={httpd.server_address[1]} grpc={gport}"
    if args.ports_file:
        with open(args.ports_file + ".tmp", "w") as f:
            f.write(line + "\n")
        os.replace(args.ports_file + ".tmp", args.ports_file)
    print(line, flush=True)

    def stop(*_):
        threading.Thread(target=httpd.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        httpd.serve_forever(poll_interval=0.2)
    finally:
        gsrv.stop(grace=0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
