"""sidecar_mesh_test: examples/mesh end to end against a real `tracewire serve`.

Starts serve (free loopback ports, a temp data dir) and examples/mesh/run.sh (free ports, spans and
logs to that serve), then checks, through serve's native API:
  - getOrder through edge -> frontend -> catalog -> echo-a -> echo-b is ONE trace of 8 sidecar
    spans, each parented on the one before it (service, kind and listener checked hop by hop);
  - a caller's traceparent is continued by the edge;
  - failOrder answers 500 and its trace has ERROR spans along the failing path, parented likewise;
  - the TS services' log lines reach serve with the request's trace id;
  - with serve stopped, every request still gets its answer, quickly;
  - run.sh stops everything on SIGTERM with exit 0, and no process reported a sanitizer error.
Usage: mesh_test.py --tracewire BIN --echo BIN [--root DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

SERVER, CLIENT = 2, 3  # OTLP span kinds
STATUS_ERROR = 2

# (service.name, tracewire.sidecar.listener, kind) of each hop, entry first.
EDGE = ("mesh-edge", "edge", SERVER)
FRONTEND_IN = ("frontend", "inbound", SERVER)
FRONTEND_OUT = ("frontend", "outbound", CLIENT)
CATALOG_IN = ("catalog", "inbound", SERVER)
CATALOG_OUT = ("catalog", "outbound", CLIENT)
ECHO_A_IN = ("echo-a", "inbound", SERVER)
ECHO_A_OUT = ("echo-a", "outbound", CLIENT)
ECHO_B_IN = ("echo-b", "inbound", SERVER)
GET_ORDER_HOPS = [
    EDGE,
    FRONTEND_IN,
    FRONTEND_OUT,
    CATALOG_IN,
    CATALOG_OUT,
    ECHO_A_IN,
    ECHO_A_OUT,
    ECHO_B_IN,
]
# echo's Fail answers at once: echo-a calls nothing downstream.
# Every span of failOrder is ERROR: echo-a's (func_ret 1), catalog's transcoded call of it, and
# the 500s above.
FAIL_ORDER_HOPS = [EDGE, FRONTEND_IN, FRONTEND_OUT, CATALOG_IN, CATALOG_OUT, ECHO_A_IN]

MESH_PORT_VARS = [
    "MESH_EDGE_PORT",
    "MESH_EDGE_ADMIN_PORT",
    "MESH_FRONTEND_PORT",
    "MESH_FRONTEND_IN_PORT",
    "MESH_FRONTEND_OUT_PORT",
    "MESH_FRONTEND_ADMIN_PORT",
    "MESH_CATALOG_PORT",
    "MESH_CATALOG_IN_PORT",
    "MESH_CATALOG_OUT_PORT",
    "MESH_CATALOG_ADMIN_PORT",
    "MESH_ECHO_A_PORT",
    "MESH_ECHO_A_IN_PORT",
    "MESH_ECHO_A_OUT_PORT",
    "MESH_ECHO_A_ADMIN_PORT",
    "MESH_ECHO_B_PORT",
    "MESH_ECHO_B_IN_PORT",
    "MESH_ECHO_B_ADMIN_PORT",
]


class CheckFailed(Exception):
    pass


def check(cond: bool, what: str) -> None:
    if not cond:
        raise CheckFailed(what)
    print(f"ok: {what}")


def free_ports(n: int) -> list[int]:
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def http_get(
    url: str, headers: dict[str, str] | None = None, timeout: float = 10
) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as rsp:
            return rsp.status, dict(rsp.headers), rsp.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def wait_until(what: str, probe, timeout: float, interval: float = 0.1):
    """Calls probe() until it returns something truthy; CheckFailed after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = probe()
        except (OSError, ValueError):
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise CheckFailed(f"{what}: not within {timeout:g} s")
        time.sleep(interval)


class Serve:
    def __init__(self, binary: str, tmp: Path) -> None:
        grpc, self.otlp_port, zipkin, self.query_port = free_ports(4)
        self.log = tmp / "serve.log"
        self.proc = subprocess.Popen(
            [
                binary,
                "serve",
                "--data-dir",
                str(tmp / "data"),
                "--otlp-grpc",
                f"127.0.0.1:{grpc}",
                "--otlp-http",
                f"127.0.0.1:{self.otlp_port}",
                "--zipkin",
                f"127.0.0.1:{zipkin}",
                "--http",
                f"127.0.0.1:{self.query_port}",
            ],
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        wait_until(
            "tracewire serve answers", lambda: self.alive() and self.get("/api/v1/services"), 30
        )

    def alive(self) -> bool:
        if self.proc.poll() is not None:
            raise CheckFailed(
                f"tracewire serve exited ({self.proc.returncode}):\n{self.log.read_text()}"
            )
        return True

    def get(self, path: str):
        status, _, body = http_get(f"http://127.0.0.1:{self.query_port}{path}", timeout=5)
        return json.loads(body) if status == 200 else None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


def attr_map(attributes: list[dict]) -> dict:
    """OTLP/JSON attributes -> key: plain value (the one field of AnyValue, None when empty)."""
    return {a["key"]: next(iter(a.get("value", {}).values()), None) for a in attributes}


def spans_of(doc: dict) -> list[dict]:
    """OTLP/JSON traces -> flat spans with `service` and `attrs` (attribute key -> plain value)."""
    out = []
    for rs in doc.get("resourceSpans", []):
        res = attr_map(rs.get("resource", {}).get("attributes", []))
        for ss in rs.get("scopeSpans", []):
            for span in ss.get("spans", []):
                attrs = attr_map(span.get("attributes", []))
                out.append({**span, "service": res.get("service.name"), "attrs": attrs})
    return out


def trace_of_request(serve: Serve, request_id: str, want_spans: int) -> tuple[str, list[dict]]:
    """The one trace whose edge span has http.request_id = request_id, once it has want_spans."""
    query = urllib.parse.urlencode(
        {"service": "mesh-edge", "attr": f"http.request_id={request_id}"}
    )

    def find():
        traces = serve.get(f"/api/v1/traces?{query}")["traces"]
        return traces[0]["traceId"] if len(traces) == 1 else None

    trace_id = wait_until(f"a trace with x-request-id {request_id}", find, 15)

    def complete():
        spans = spans_of(serve.get(f"/api/v1/traces/{trace_id}") or {})
        return spans if len(spans) >= want_spans else None

    try:
        wait_until(f"{want_spans} spans in trace {trace_id}", complete, 15)
    except CheckFailed as e:
        found = spans_of(serve.get(f"/api/v1/traces/{trace_id}") or {})
        names = ", ".join(
            f"{s['service']}/{s['attrs'].get('tracewire.sidecar.listener')}" for s in found
        )
        raise CheckFailed(
            f"{e}; it has {len(found)}: {names} (a hop that does not carry the "
            "trace headers starts a trace of its own)"
        ) from None
    time.sleep(0.5)  # a straggler would show up now
    return trace_id, spans_of(serve.get(f"/api/v1/traces/{trace_id}"))


def hop_of(span: dict) -> tuple:
    return (span["service"], span["attrs"].get("tracewire.sidecar.listener"), span["kind"])


def check_chain(
    label: str, spans: list[dict], hops: list[tuple], root_parent: str = ""
) -> dict[tuple, dict]:
    """Each hop has exactly one span, parented on the previous hop's span; nothing else is there."""
    by_hop: dict[tuple, dict] = {}
    for span in spans:
        key = hop_of(span)
        if key in by_hop:
            raise CheckFailed(f"{label}: two spans for {key}")
        by_hop[key] = span
    order = {hop: i for i, hop in enumerate(hops)}
    for span in sorted(spans, key=lambda sp: order.get(hop_of(sp), len(order))):
        print(
            f"   {span['service']:<9} {span['attrs'].get('tracewire.sidecar.listener', '?'):<8} "
            f"kind={span['kind']} {span['spanId']} <- {span.get('parentSpanId') or '-':<16} "
            f"status={span.get('status', {}).get('code', 0)} {span['name']}"
        )
    check(
        sorted(by_hop) == sorted(hops),
        f"{label}: the spans are exactly {[f'{h[0]}/{h[1]}' for h in hops]}",
    )
    parent = root_parent
    for hop in hops:
        span = by_hop[hop]
        check(
            (span.get("parentSpanId") or "") == parent,
            f"{label}: {hop[0]}/{hop[1]} is a child of {parent or 'nothing'}",
        )
        parent = span["spanId"]
    return by_hop


def logs_of(serve: Serve, trace_id: str) -> list[tuple[str, str, str]]:
    """(service, body, spanId) of every log record of the trace."""
    doc = serve.get(f"/api/v1/traces/{trace_id}/logs") or {}
    out = []
    for rl in doc.get("resourceLogs", []):
        res = attr_map(rl.get("resource", {}).get("attributes", []))
        for sl in rl.get("scopeLogs", []):
            for rec in sl.get("logRecords", []):
                body = rec.get("body", {}).get("stringValue", "")
                out.append((res.get("service.name"), body, rec.get("spanId", "")))
    return out


class Mesh:
    def __init__(self, root: Path, tracewire: str, echo: str, otlp_port: int, tmp: Path) -> None:
        self.ports = dict(zip(MESH_PORT_VARS, free_ports(len(MESH_PORT_VARS)), strict=True))
        self.log_dir = tmp / "mesh"
        self.out = tmp / "run.out"
        env = {**os.environ, **{k: str(v) for k, v in self.ports.items()}}
        env.update(
            TRACEWIRE_BIN=tracewire,
            TRPC_ECHO_BIN=echo,
            MESH_LOG_DIR=str(self.log_dir),
            OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{otlp_port}",
        )
        self.proc = subprocess.Popen(
            [str(root / "examples/mesh/run.sh")],
            env=env,
            stdout=self.out.open("wb"),
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.entry = f"http://127.0.0.1:{self.ports['MESH_EDGE_PORT']}"

        def ready():
            if self.proc.poll() is not None:
                raise CheckFailed(
                    f"run.sh exited ({self.proc.returncode}):\n{self.out.read_text()}"
                )
            return f"ready: {self.entry}" in self.out.read_text()

        wait_until("run.sh prints ready", ready, 60)

    def query(
        self, procedure: str, order_id: str, headers: dict[str, str] | None = None
    ) -> tuple[int, dict, bytes]:
        q = urllib.parse.urlencode({"input": json.dumps({"id": order_id})})
        return http_get(f"{self.entry}/{procedure}?{q}", headers)

    def metric(self, admin_var: str, name: str) -> float:
        _, _, body = http_get(f"http://127.0.0.1:{self.ports[admin_var]}/metrics", timeout=5)
        total = 0.0
        for line in body.decode().splitlines():
            if line.startswith(name):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        return self.proc.returncode

    def dump_logs(self) -> None:
        print(f"--- run.sh output\n{self.out.read_text()}")
        for log in sorted(self.log_dir.glob("*.log")):
            print(
                f"--- {log.name} (last 15 lines)\n"
                + "\n".join(log.read_text(errors="replace").splitlines()[-15:])
            )


def run(args: argparse.Namespace, tmp: Path) -> None:
    serve = Serve(args.tracewire, tmp)
    mesh = Mesh(Path(args.root), args.tracewire, args.echo, serve.otlp_port, tmp)
    try:
        # 1. One trace across every hop.
        rid = str(uuid.uuid4())
        status, headers, body = mesh.query("getOrder", "o-1", {"x-request-id": rid})
        check(status == 200, f"getOrder o-1 answers 200 (got {status}: {body[:200]!r})")
        item = json.loads(body)["result"]["data"]["item"]
        check(
            item["stockCheck"] == "trpc.test.echo.Echo",
            "catalog's stock check went through the C++ echo services",
        )
        check(
            headers.get("x-request-id") == rid,
            "the frontend answers with the request's x-request-id",
        )
        trace_id, spans = trace_of_request(serve, rid, len(GET_ORDER_HOPS))
        hops = check_chain("getOrder", spans, GET_ORDER_HOPS)
        check(
            all(s.get("status", {}).get("code", 0) != STATUS_ERROR for s in spans),
            "getOrder: no span is ERROR",
        )
        for hop in (EDGE, FRONTEND_IN, FRONTEND_OUT, CATALOG_IN, CATALOG_OUT):
            check(
                hops[hop]["attrs"].get("http.request_id") == rid,
                f"getOrder: {hop[0]}/{hop[1]} has http.request_id",
            )
        for hop in (CATALOG_OUT, ECHO_A_IN, ECHO_A_OUT, ECHO_B_IN):
            attrs = hops[hop]["attrs"]
            check(
                attrs.get("rpc.system") == "trpc" and attrs.get("rpc.method") == "Echo",
                f"getOrder: {hop[0]}/{hop[1]} is the tRPC call of Echo",
            )
        transcoded = hops[CATALOG_OUT]["attrs"]
        check(
            transcoded.get("http.request.method") == "POST"
            and transcoded.get("trpc.caller_service") == "catalog"
            and str(transcoded.get("http.response.status_code")) == "200",
            "getOrder: catalog's outbound span is the POST transcoded to tRPC (caller catalog)",
        )
        # Each service's log line names the span of its inbound sidecar (the traceparent it got).
        want_logs = {
            ("frontend", "getting order", hops[FRONTEND_IN]["spanId"]),
            ("catalog", "looking up item", hops[CATALOG_IN]["spanId"]),
        }
        logs = wait_until(
            "the services' log lines for the trace",
            lambda: want_logs <= set(logs_of(serve, trace_id)) and logs_of(serve, trace_id),
            10,
        )
        print(f"ok: getOrder: {len(logs)} log records by trace id, with the inbound spans' ids")

        # 2. A caller's context is continued at the edge.
        caller_trace, caller_span = uuid.uuid4().hex, uuid.uuid4().hex[:16]
        rid = str(uuid.uuid4())
        status, _, _ = mesh.query(
            "getOrder",
            "o-2",
            {"x-request-id": rid, "traceparent": f"00-{caller_trace}-{caller_span}-01"},
        )
        check(status == 200, f"getOrder o-2 with a traceparent answers 200 (got {status})")
        trace_id, spans = trace_of_request(serve, rid, len(GET_ORDER_HOPS))
        check(trace_id == caller_trace, "the edge continues the caller's trace id")
        check_chain("getOrder (caller's trace)", spans, GET_ORDER_HOPS, root_parent=caller_span)

        # 3. A failing request: ERROR spans along the failing path.
        rid = str(uuid.uuid4())
        status, _, body = mesh.query("failOrder", "o-3", {"x-request-id": rid})
        check(status == 500, f"failOrder o-3 answers 500 (got {status}: {body[:200]!r})")
        _, spans = trace_of_request(serve, rid, len(FAIL_ORDER_HOPS))
        hops = check_chain("failOrder", spans, FAIL_ORDER_HOPS)
        for hop in FAIL_ORDER_HOPS:
            check(
                hops[hop].get("status", {}).get("code") == STATUS_ERROR,
                f"failOrder: {hop[0]}/{hop[1]} is ERROR",
            )
        check(
            hops[EDGE]["attrs"].get("http.response.status_code") in (500, "500"),
            "failOrder: the edge span has status 500",
        )
        echo_a = hops[ECHO_A_IN]["attrs"]
        check(
            echo_a.get("rpc.method") == "Fail" and str(echo_a.get("trpc.status_code")) == "1",
            "failOrder: echo-a's span is the call of Fail, with its func_ret 1",
        )

        # 4. The collector stopped: traffic is unaffected.
        serve.stop()
        slowest = 0.0
        for i in range(10):
            start = time.monotonic()
            status, _, _ = mesh.query("getOrder", f"o-{1 + i % 3}")
            slowest = max(slowest, time.monotonic() - start)
            check(status == 200, f"collector down: getOrder #{i + 1} answers 200 (got {status})")
        status, _, _ = mesh.query("failOrder", "o-1")
        check(status == 500, f"collector down: failOrder answers 500 (got {status})")
        check(
            slowest < 2.0,
            f"collector down: the slowest request took {slowest * 1000:.0f} ms (< 2 s)",
        )
        failed = wait_until(
            "the edge sidecar counts failed or dropped exports",
            lambda: (
                mesh.metric("MESH_EDGE_ADMIN_PORT", "tracewire_sidecar_spans_export_failed_total")
                + mesh.metric("MESH_EDGE_ADMIN_PORT", "tracewire_sidecar_spans_dropped_total")
            ),
            10,
        )
        check(failed > 0, f"collector down: the edge counted {failed:g} spans not exported")

        # 5. A clean stop.
        rc = mesh.stop()
        check(rc == 0, f"run.sh exits 0 on SIGTERM (got {rc})")
        with socket.socket() as s:
            check(
                s.connect_ex(("127.0.0.1", mesh.ports["MESH_EDGE_PORT"])) != 0,
                "the edge port is closed after the stop",
            )
        bad = [
            p.name
            for p in mesh.log_dir.glob("*.log")
            if "Sanitizer" in p.read_text(errors="replace")
        ]
        check(not bad, f"no sanitizer report in the processes' logs {bad}")
    except Exception:
        mesh.stop()
        mesh.dump_logs()
        raise
    finally:
        mesh.stop()
        serve.stop()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tracewire", required=True)
    parser.add_argument("--echo", required=True)
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[2]))
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tw-mesh.") as tmp:
        try:
            run(args, Path(tmp))
        except CheckFailed as e:
            print(f"FAILED: {e}")
            return 1
    print(f"sidecar_mesh_test: all checks passed in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
