"""Checks, through the query API of a `tracewire serve` that took the gateway example's traffic,
that the failing /api/report request is ONE trace across the three languages:

    edge-gateway   SERVER "GET /api/report"          (C++ sidecar)           root, ERROR
      query-gateway  SERVER                          (Kotlin, Ktor plugin)   child of the edge span
        query-gateway  CLIENT .../Analyze            (Kotlin tRPC client)    below the SERVER span
          data-processor SERVER .../Analyze          (Python tRPC server)    child of the CLIENT,
                                                     ERROR + exception event (ValueError, stack)
and that the logs of both services come back by its trace id; likewise that a successful
/api/query is one trace of the same four hops without errors. Python 3 stdlib only.

    python3 check_trace.py --query http://127.0.0.1:PORT --out ids.json

Prints PASS/FAIL lines; exits 1 on any failure. ids.json gets the ids the browser test opens.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.parse
import urllib.request
from typing import Any

SERVER, CLIENT = 2, 3  # OTLP SpanKind
STATUS_ERROR = 2
FUNC = "/trpc.demo.data.Processor/"
failures = 0


def check(name: str, ok: bool, detail: Any = "") -> bool:
    global failures
    if not ok:
        failures += 1
    print(f"{'PASS' if ok else 'FAIL'} {name}{'' if ok or detail == '' else f' — {detail}'}")
    return ok


def get(base: str, path: str, **params: str) -> Any:
    url = f"{base}{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.load(answer)


def value_of(any_value: dict[str, Any] | None) -> Any:
    """The value of an OTLP/JSON AnyValue ({"stringValue": "x"} -> "x")."""
    return next(iter(any_value.values())) if any_value else None


def attr(attrs: list[dict[str, Any]], key: str) -> Any:
    return next((value_of(a.get("value")) for a in attrs or [] if a["key"] == key), None)


def spans_of(otlp: dict[str, Any]) -> list[dict[str, Any]]:
    """Every span of an OTLP/JSON trace, each with its resource's service.name as "service"."""
    out = []
    for rs in otlp.get("resourceSpans", []):
        service = attr(rs.get("resource", {}).get("attributes", []), "service.name")
        for ss in rs.get("scopeSpans", []):
            for span in ss.get("spans", []):
                out.append({**span, "service": service})
    return out


def wait_for_trace(base: str, root_op: str, errors: bool, timeout: float) -> dict[str, Any] | None:
    """The newest edge-gateway trace rooted at `root_op` with (errors) or without error spans
    once it holds all four hops' spans (exports arrive batched, in any order)."""
    deadline = time.monotonic() + timeout
    best = None
    while time.monotonic() < deadline:
        found = get(base, "/api/v1/traces", service="edge-gateway", limit="50")["traces"]
        for t in found:
            if t["rootOperation"] == root_op and (t["errorCount"] > 0) == errors:
                best = t
                services = {s["service"] for s in t["services"]}
                if services >= {"query-gateway", "data-processor"} and t["spanCount"] >= 4:
                    return t
                break
        time.sleep(0.3)
    return best


def chain(spans: list[dict[str, Any]], method: str) -> dict[str, dict[str, Any]] | None:
    """The four hops of the scenario by role; checks each one's parent. None if one is missing."""
    by_id = {s["spanId"]: s for s in spans}
    edge = [s for s in spans if s["service"] == "edge-gateway" and s["kind"] == SERVER]
    gw_server = [s for s in spans if s["service"] == "query-gateway" and s["kind"] == SERVER]
    gw_client = [
        s
        for s in spans
        if s["service"] == "query-gateway" and s["kind"] == CLIENT and method in s["name"]
    ]
    dp = [s for s in spans if s["service"] == "data-processor" and s["kind"] == SERVER]
    roles = {
        "edge": edge,
        "gateway SERVER": gw_server,
        "gateway CLIENT": gw_client,
        "DataProcessor": dp,
    }
    for role, found in roles.items():
        check(f"{method}: one {role} span", len(found) == 1, [s["name"] for s in found])
    if not all(len(f) == 1 for f in roles.values()):
        return None
    e, gs, gc, d = edge[0], gw_server[0], gw_client[0], dp[0]
    check(f"{method}: the edge span is the root", not e.get("parentSpanId"), e.get("parentSpanId"))
    check(f"{method}: gateway SERVER is a child of the edge", gs.get("parentSpanId") == e["spanId"])
    # The CLIENT span may sit under spans of the gateway's own; its chain must reach the SERVER.
    up, hops = gc, 0
    while up.get("parentSpanId") and up["spanId"] != gs["spanId"] and hops < 16:
        up, hops = by_id.get(up["parentSpanId"], {"spanId": "", "service": "?"}), hops + 1
        if up["service"] != "query-gateway":
            break
    check(f"{method}: gateway CLIENT is below gateway SERVER", up["spanId"] == gs["spanId"])
    check(
        f"{method}: DataProcessor SERVER is a child of the CLIENT",
        d.get("parentSpanId") == gc["spanId"],
    )
    check(f"{method}: DataProcessor span is the tRPC method", d["name"] == FUNC + method, d["name"])
    return {"edge": e, "gwServer": gs, "gwClient": gc, "dp": d}


def check_failing(base: str, timeout: float) -> dict[str, str] | None:
    summary = wait_for_trace(base, "GET /api/report", True, timeout)
    if not check(
        "the failing request is one trace of four hops",
        summary is not None and summary["spanCount"] >= 4,
        summary,
    ):
        return None
    trace_id = summary["traceId"]
    spans = spans_of(get(base, f"/api/v1/traces/{trace_id}"))
    check("every span has the trace id", all(s["traceId"] == trace_id for s in spans))
    hops = chain(spans, "Analyze")
    if hops is None:
        return None
    dp, edge = hops["dp"], hops["edge"]
    check(
        "DataProcessor span status is ERROR",
        dp.get("status", {}).get("code") == STATUS_ERROR,
        dp.get("status"),
    )
    check(
        "edge span status is ERROR (HTTP 500)",
        edge.get("status", {}).get("code") == STATUS_ERROR,
        edge.get("status"),
    )
    check(
        "edge span saw HTTP 500",
        attr(edge.get("attributes"), "http.response.status_code") in ("500", 500),
    )
    events = [ev for ev in dp.get("events", []) if ev["name"] == "exception"]
    if check("DataProcessor span has an exception event", len(events) == 1, dp.get("events")):
        ev = events[0]["attributes"]
        check(
            "exception.type is ValueError",
            "ValueError" in str(attr(ev, "exception.type")),
            attr(ev, "exception.type"),
        )
        check(
            "exception.message",
            "no revenue baseline" in str(attr(ev, "exception.message")),
            attr(ev, "exception.message"),
        )
        stack = str(attr(ev, "exception.stacktrace"))
        check(
            "stack trace: analyze -> aggregate -> normalize",
            all(f"in {fn}" in stack for fn in ("analyze", "aggregate", "normalize")),
            stack[-400:],
        )

    logs = get(base, f"/api/v1/traces/{trace_id}/logs")
    records = []
    for rl in logs.get("resourceLogs", []):
        service = attr(rl.get("resource", {}).get("attributes", []), "service.name")
        for sl in rl.get("scopeLogs", []):
            for r in sl.get("logRecords", []):
                records.append((service, r))
    by_service: dict[str, list[dict[str, Any]]] = {}
    for service, r in records:
        by_service.setdefault(service, []).append(r)
    check(
        "logs of the trace: both services",
        {"data-processor", "query-gateway"} <= set(by_service),
        sorted(by_service),
    )
    check(
        "every log record has the trace id", all(r.get("traceId") == trace_id for _, r in records)
    )
    dp_bodies = [str(value_of(r.get("body"))) for r in by_service.get("data-processor", [])]
    check(
        "DataProcessor logged the failure",
        any("report for 'eu' failed" in b for b in dp_bodies),
        dp_bodies,
    )
    check(
        "DataProcessor's error line is on its span",
        any(
            r.get("spanId") == dp["spanId"] and r.get("severityNumber", 0) >= 17
            for r in by_service.get("data-processor", [])
        ),
    )
    gw_body = next((str(value_of(r.get("body"))) for r in by_service.get("query-gateway", [])), "")
    return {
        "failing": trace_id,
        "dpSpan": dp["spanId"],
        "dpLog": "report for 'eu' failed",
        "gwLog": gw_body[:60],
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--query", required=True, help="base URL of the query API")
    parser.add_argument("--out", required=True, help="where the ids for the browser test go")
    parser.add_argument("--timeout", type=float, default=30.0, help="s to wait for the spans")
    args = parser.parse_args()
    ids = check_failing(args.query, args.timeout)
    ok = wait_for_trace(args.query, "GET /api/query", False, args.timeout)
    if check(
        "a successful request is one trace of four hops without errors",
        ok is not None and ok["spanCount"] >= 4,
        ok,
    ):
        chain(spans_of(get(args.query, f"/api/v1/traces/{ok['traceId']}")), "Process")
    if ids is not None:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(ids, f)
    print(f"check_trace: {failures} failed")
    return 1 if failures or ids is None else 0


if __name__ == "__main__":
    sys.exit(main())
