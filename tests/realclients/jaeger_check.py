"""Checks one client's expectation document (SCENARIO.md) against a Jaeger API answer
(GET /api/traces/{id}), with the OpenTelemetry specification's OTLP -> Jaeger mapping.
Standard library only.
"""

import base64
import json
import math

from rcverify import norm_any

KIND_JAEGER = {1: "internal", 2: "server", 3: "client", 4: "producer", 5: "consumer"}


def plain(av):
    """OTLP JSON AnyValue -> the plain JSON value Jaeger shows inside a stringified array or map."""
    t, v = norm_any(av, False)
    return _unnorm((t, v))


def _unnorm(n):
    t, v = n
    if t == "array":
        return [_unnorm(x) for x in v]
    if t == "kvlist":
        return {k: _unnorm(x) for k, x in v}
    if t == "bytes":
        return base64.b64encode(v).decode()
    return v


def jaeger_tag_ok(expected_av, tag):
    """Jaeger's tag typing for an OTLP attribute (OpenTelemetry spec, Jaeger mapping): string, bool,
    int64, float64, binary (base64), and arrays/maps as a JSON string."""
    t, v = norm_any(expected_av, False)
    jt, jv = tag.get("type"), tag.get("value")
    if t == "string":
        return jt == "string" and jv == v
    if t == "bool":
        return jt == "bool" and jv is v
    if t == "int":
        return jt == "int64" and not isinstance(jv, bool) and int(jv) == v
    if t == "double":
        return jt == "float64" and not isinstance(jv, bool) and math.isclose(float(jv), v)
    if t == "bytes":
        return jt == "binary" and base64.b64decode(jv) == v
    if t in ("array", "kvlist"):
        try:
            return jt == "string" and json.loads(jv) == plain(expected_av)
        except (TypeError, ValueError):
            return False
    return False


def check_jaeger_tags(rep, where, expected_kvs, tags):
    by_key = {t.get("key"): t for t in tags or []}
    for kv in expected_kvs:
        k = kv["key"]
        if rep.check(k in by_key, f"{where}: tag {k!r} missing", kv["value"], sorted(by_key)):
            rep.check(
                jaeger_tag_ok(kv["value"], by_key[k]),
                f"{where}: tag {k!r} (Jaeger type and value)",
                kv["value"],
                by_key[k],
            )


def check_jaeger(rep, exp, trace_id, doc):
    data = (doc or {}).get("data") or []
    traces = [t for t in data if int(t.get("traceID", "0"), 16) == int(trace_id, 16)]
    if not rep.check(
        len(traces) == 1,
        f"jaeger trace {trace_id}: present once in data[]",
        trace_id,
        [t.get("traceID") for t in data],
    ):
        return
    tr = traces[0]
    spans = {s.get("spanID", "").lower().zfill(16): s for s in tr.get("spans", [])}
    procs = tr.get("processes", {}) or {}
    for es in [s for s in exp["spans"] if s["trace_id"] == trace_id]:
        where = f"jaeger span {es['name']} ({es['span_id']})"
        if not rep.check(
            es["span_id"] in spans, f"{where}: not found", es["span_id"], sorted(spans)
        ):
            continue
        js = spans[es["span_id"]]
        rep.check(
            int(js.get("traceID", "0"), 16) == int(trace_id, 16),
            f"{where}: traceID",
            trace_id,
            js.get("traceID"),
        )
        rep.check(
            js.get("operationName") == es["name"],
            f"{where}: operationName",
            es["name"],
            js.get("operationName"),
        )
        start_us = int(es["start_time_unix_nano"]) // 1000
        dur_us = (int(es["end_time_unix_nano"]) - int(es["start_time_unix_nano"])) // 1000
        rep.check(
            js.get("startTime") == start_us,
            f"{where}: startTime (µs)",
            start_us,
            js.get("startTime"),
        )
        rep.check(
            js.get("duration") == dur_us, f"{where}: duration (µs)", dur_us, js.get("duration")
        )
        refs = js.get("references", []) or []
        want = []
        if es["parent_span_id"]:
            want.append(("CHILD_OF", es["trace_id"], es["parent_span_id"]))
        for el in es["links"]:
            want.append(("link", el["trace_id"], el["span_id"]))
        rep.check(len(refs) == len(want), f"{where}: number of references", want, refs)
        for kind, tid, sid in want:
            ok = any(
                int(r.get("traceID", "0"), 16) == int(tid, 16)
                and r.get("spanID", "").lower().zfill(16) == sid
                and (
                    r.get("refType") == "CHILD_OF"
                    if kind == "CHILD_OF"
                    else r.get("refType") in ("FOLLOWS_FROM", "CHILD_OF")
                )
                for r in refs
            )
            rep.check(ok, f"{where}: reference {kind} {tid}/{sid}", [kind, tid, sid], refs)
        tags = js.get("tags", []) or []
        check_jaeger_tags(rep, where, es["attributes"], tags)
        by_key = {t.get("key"): t for t in tags}
        kind_tag = by_key.get("span.kind", {}).get("value")
        want_kind = KIND_JAEGER.get(es["kind"])
        rep.check(
            kind_tag == want_kind or (es["kind"] == 1 and kind_tag is None),
            f"{where}: span.kind tag",
            want_kind,
            kind_tag,
        )
        code = es["status"]["code"]
        sc = by_key.get("otel.status_code", {}).get("value")
        if code == 2:
            rep.check(sc == "ERROR", f"{where}: otel.status_code tag", "ERROR", sc)
            rep.check(
                by_key.get("error", {}).get("value") in (True, "true"),
                f"{where}: error tag",
                True,
                by_key.get("error"),
            )
            rep.check(
                by_key.get("otel.status_description", {}).get("value") == es["status"]["message"],
                f"{where}: otel.status_description tag",
                es["status"]["message"],
                by_key.get("otel.status_description"),
            )
        elif code == 1:
            rep.check(sc == "OK", f"{where}: otel.status_code tag", "OK", sc)
        else:
            rep.check(
                "error" not in by_key and sc is None,
                f"{where}: no status tags when UNSET",
                None,
                sc,
            )
        sname = (by_key.get("otel.scope.name") or by_key.get("otel.library.name") or {}).get(
            "value"
        )
        sver = (by_key.get("otel.scope.version") or by_key.get("otel.library.version") or {}).get(
            "value"
        )
        rep.check(
            sname == exp["scope"]["name"],
            f"{where}: otel.scope.name tag",
            exp["scope"]["name"],
            sname,
        )
        rep.check(
            sver == exp["scope"]["version"],
            f"{where}: otel.scope.version tag",
            exp["scope"]["version"],
            sver,
        )
        jlogs = js.get("logs", []) or []
        rep.check(
            len(jlogs) == len(es["events"]),
            f"{where}: number of logs (events)",
            len(es["events"]),
            len(jlogs),
        )
        for ee in es["events"]:
            cands = [
                lg
                for lg in jlogs
                if any(
                    f.get("key") == "event" and f.get("value") == ee["name"]
                    for f in lg.get("fields", []) or []
                )
            ]
            if not rep.check(
                len(cands) == 1, f"{where}: log with event={ee['name']!r}", ee["name"], jlogs
            ):
                continue
            if ee.get("time_unix_nano") is not None:
                rep.check(
                    cands[0].get("timestamp") == int(ee["time_unix_nano"]) // 1000,
                    f"{where}: log {ee['name']!r} timestamp (µs)",
                    int(ee["time_unix_nano"]) // 1000,
                    cands[0].get("timestamp"),
                )
            check_jaeger_tags(
                rep, f"{where}: log {ee['name']!r}", ee["attributes"], cands[0].get("fields")
            )
            fkeys = {f.get("key") for f in cands[0].get("fields", []) or []}
            for k in ee.get("required_keys", []):
                rep.check(k in fkeys, f"{where}: log {ee['name']!r} field {k!r}", k, sorted(fkeys))
        proc = procs.get(js.get("processID"), {})
        rep.check(
            proc.get("serviceName") == exp["service_name"],
            f"{where}: process serviceName",
            exp["service_name"],
            proc.get("serviceName"),
        )
        check_jaeger_tags(
            rep,
            f"{where}: process",
            [kv for kv in exp["resource"]["attributes"] if kv["key"] != "service.name"],
            proc.get("tags"),
        )
