"""The read side of capture_server.py: tracewire's query routes, answered from what was captured.

It stands in for `tracewire serve` so check.py can be proven before the real server exists, and
shows the response shapes check.py expects:
  /api/v1/traces/{id}       -> {"resourceSpans": [...]}   OTLP JSON, strict rules
  /api/v1/traces/{id}/logs  -> {"resourceLogs": [...]}
  /api/traces/{id}          -> Jaeger {"data": [{traceID, spans, processes}]},
                               OpenTelemetry's Jaeger mapping
Standard library only.
"""

import base64
import copy
import json

import jaeger_check
import rcverify

KIND = jaeger_check.KIND_JAEGER


def _strict(node):
    """Re-encode what a JSON client sent under the strict rules: 64-bit ints and timestamps as
    strings."""
    if isinstance(node, dict):
        for k, v in node.items():
            if (k == "intValue" or k.endswith("UnixNano")) and isinstance(v, int):
                node[k] = str(v)
            elif isinstance(v, str) and k in ("traceId", "spanId", "parentSpanId"):
                node[k] = v.lower()
            else:
                _strict(v)
    elif isinstance(node, list):
        for x in node:
            _strict(x)
    return node


def _select(items, signal, key, inner, leaf, trace_id):
    out = []
    for it in items:
        if it["signal"] != signal:
            continue
        for r in it["payload"].get(key, []) or []:
            groups = []
            for g in r.get(inner, []) or []:
                keep = [
                    x for x in g.get(leaf, []) or [] if (x.get("traceId") or "").lower() == trace_id
                ]
                if keep:
                    groups.append(dict(g, **{leaf: keep}))
            if groups:
                out.append(dict(r, **{inner: groups}))
    return _strict(copy.deepcopy(out))


def native_trace(items, trace_id):
    rs = _select(items, "traces", "resourceSpans", "scopeSpans", "spans", trace_id.lower())
    return (200, {"resourceSpans": rs}) if rs else (404, {"error": "trace not found"})


def native_logs(items, trace_id):
    return 200, {
        "resourceLogs": _select(
            items, "logs", "resourceLogs", "scopeLogs", "logRecords", trace_id.lower()
        )
    }


def _tag(key, av):
    t, v = rcverify.norm_any(av, False)
    if t == "string":
        return {"key": key, "type": "string", "value": v}
    if t == "bool":
        return {"key": key, "type": "bool", "value": v}
    if t == "int":
        return {"key": key, "type": "int64", "value": v}
    if t == "double":
        return {"key": key, "type": "float64", "value": v}
    if t == "bytes":
        return {"key": key, "type": "binary", "value": base64.b64encode(v).decode()}
    return {
        "key": key,
        "type": "string",
        "value": json.dumps(jaeger_check.plain(av), separators=(",", ":")),
    }


def _tags(kvs):
    return [_tag(kv["key"], kv.get("value", {})) for kv in kvs or []]


def jaeger_trace(items, trace_id):
    spans, processes, proc_ids = [], {}, {}
    for res, scope, sp in rcverify.flatten_spans(
        native_trace(items, trace_id)[1].get("resourceSpans")
    ):
        rkey = json.dumps(res, sort_keys=True)
        if rkey not in proc_ids:
            pid = f"p{len(proc_ids) + 1}"
            proc_ids[rkey] = pid
            attrs = res.get("attributes", []) or []
            svc = next(
                (kv["value"].get("stringValue") for kv in attrs if kv["key"] == "service.name"), ""
            )
            processes[pid] = {
                "serviceName": svc,
                "tags": _tags([kv for kv in attrs if kv["key"] != "service.name"]),
            }
        refs = []
        if sp.get("parentSpanId"):
            refs.append(
                {"refType": "CHILD_OF", "traceID": sp["traceId"], "spanID": sp["parentSpanId"]}
            )
        for ln in sp.get("links", []) or []:
            refs.append(
                {"refType": "FOLLOWS_FROM", "traceID": ln["traceId"], "spanID": ln["spanId"]}
            )
        tags = _tags(sp.get("attributes"))
        if sp.get("kind") in KIND and sp.get("kind") != 1:
            tags.append({"key": "span.kind", "type": "string", "value": KIND[sp["kind"]]})
        st = sp.get("status", {}) or {}
        if st.get("code") == 2:
            tags += [
                {"key": "otel.status_code", "type": "string", "value": "ERROR"},
                {"key": "error", "type": "bool", "value": True},
            ]
            if st.get("message"):
                tags.append(
                    {"key": "otel.status_description", "type": "string", "value": st["message"]}
                )
        elif st.get("code") == 1:
            tags.append({"key": "otel.status_code", "type": "string", "value": "OK"})
        tags.append({"key": "otel.scope.name", "type": "string", "value": scope.get("name", "")})
        if scope.get("version"):
            tags.append({"key": "otel.scope.version", "type": "string", "value": scope["version"]})
        logs = [
            {
                "timestamp": int(ev.get("timeUnixNano", 0)) // 1000,
                "fields": [{"key": "event", "type": "string", "value": ev.get("name", "")}]
                + _tags(ev.get("attributes")),
            }
            for ev in sp.get("events", []) or []
        ]
        start = int(sp.get("startTimeUnixNano", 0))
        spans.append(
            {
                "traceID": sp["traceId"],
                "spanID": sp["spanId"],
                "operationName": sp.get("name", ""),
                "references": refs,
                "startTime": start // 1000,
                "duration": (int(sp.get("endTimeUnixNano", 0)) - start) // 1000,
                "tags": tags,
                "logs": logs,
                "processID": proc_ids[rkey],
                "warnings": None,
                "flags": 1,
            }
        )
    if not spans:
        return 404, {"data": [], "errors": [{"code": 404, "msg": "trace not found"}]}
    return 200, {
        "data": [
            {"traceID": trace_id.lower(), "spans": spans, "processes": processes, "warnings": None}
        ]
    }


def route(path, items):
    """-> (status, JSON object) or None when the path is not a query route."""
    parts = path.split("?", 1)[0].strip("/").split("/")
    if len(parts) == 4 and parts[:3] == ["api", "v1", "traces"]:
        return native_trace(items, parts[3])
    if len(parts) == 5 and parts[:3] == ["api", "v1", "traces"] and parts[4] == "logs":
        return native_logs(items, parts[3])
    if len(parts) == 3 and parts[:2] == ["api", "traces"]:
        return jaeger_trace(items, parts[2])
    return None
