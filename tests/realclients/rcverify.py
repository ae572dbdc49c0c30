"""Checks one client's expectation document (SCENARIO.md) against what a receiver holds.

Shared by check.py (tracewire's native query API) and capture_server.py (decoded OTLP); the Jaeger
API's checks are in jaeger_check.py.
Every comparison is one check; a Report collects them and prints a diff line per failure.
Standard library only.
"""

import base64
import json


class Report:
    def __init__(self, label):
        self.label = label
        self.passed = 0
        self.failures = []

    def check(self, ok, what, expected=None, got=None):
        if ok:
            self.passed += 1
        else:
            msg = f"[{self.label}] {what}"
            if expected is not None or got is not None:
                msg += f"\n    expected: {_short(expected)}\n    got:      {_short(got)}"
            self.failures.append(msg)
        return ok

    def merge(self, other):
        self.passed += other.passed
        self.failures.extend(other.failures)

    def summary(self):
        return f"{self.passed} passed, {len(self.failures)} failed"


def _short(v):
    s = json.dumps(v, sort_keys=True) if not isinstance(v, str) else repr(v)
    return s if len(s) < 400 else s[:400] + "..."


# ---- OTLP JSON AnyValue ------------------------------------------------------------------------


def norm_any(av, strict):
    """OTLP JSON AnyValue -> comparable Python value tagged with its type. Raises ValueError when
    `strict` and the encoding breaks the OTLP JSON rules (64-bit ints as strings, base64 bytes)."""
    if not isinstance(av, dict) or len(av) > 1:
        raise ValueError(f"AnyValue must be an object with one field: {av!r}")
    if not av:
        return ("empty", None)
    ((k, v),) = av.items()
    if k == "stringValue":
        if not isinstance(v, str):
            raise ValueError("stringValue not a string")
        return ("string", v)
    if k == "boolValue":
        if not isinstance(v, bool):
            raise ValueError("boolValue not a bool")
        return ("bool", v)
    if k == "intValue":
        if strict and not isinstance(v, str):
            raise ValueError(f"intValue {v!r} must be a JSON string (64-bit int)")
        if isinstance(v, bool) or not isinstance(v, (str, int)):
            raise ValueError(f"intValue {v!r} not an integer")
        return ("int", int(v))
    if k == "doubleValue":
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            raise ValueError(f"doubleValue {v!r} not a number")
        return ("double", float(v))
    if k == "bytesValue":
        return ("bytes", base64.b64decode(v, validate=True))
    if k == "arrayValue":
        return ("array", tuple(norm_any(x, strict) for x in (v or {}).get("values", [])))
    if k == "kvlistValue":
        return (
            "kvlist",
            tuple(
                sorted(
                    (kv["key"], norm_any(kv.get("value", {}), strict))
                    for kv in (v or {}).get("values", [])
                )
            ),
        )
    raise ValueError(f"unknown AnyValue field {k!r} (lowerCamelCase expected)")


def kv_map(kvs, strict):
    out = {}
    for kv in kvs or []:
        out[kv["key"]] = kv.get("value", {})
    return out


def check_attrs(rep, where, expected_kvs, got_kvs, strict, required_keys=()):
    got = kv_map(got_kvs, strict)
    for kv in expected_kvs:
        key = kv["key"]
        if not rep.check(
            key in got, f"{where}: attribute {key!r} missing", kv["value"], sorted(got)
        ):
            continue
        try:
            g = norm_any(got[key], strict)
        except ValueError as e:
            rep.check(
                False, f"{where}: attribute {key!r} badly encoded: {e}", kv["value"], got[key]
            )
            continue
        e = norm_any(kv["value"], False)
        rep.check(g == e, f"{where}: attribute {key!r} (value and type)", kv["value"], got[key])
    for key in required_keys:
        rep.check(key in got, f"{where}: attribute {key!r} missing", key, sorted(got))


def _ts(rep, where, expected, got, strict):
    if strict and not isinstance(got, str):
        rep.check(False, f"{where}: 64-bit timestamp must be a JSON string", expected, got)
        return
    try:
        rep.check(int(got) == int(expected), f"{where}", expected, got)
    except (TypeError, ValueError):
        rep.check(False, f"{where}: not an integer", expected, got)


def _hex_id(v):
    return v.lower() if isinstance(v, str) else v


def check_id_case(rep, where, node, strict):
    """OTLP/JSON ids are case-insensitive hex on the way in (the Go JSON exporter sends upper
    case); what tracewire answers must be lower case, as every Jaeger and OTLP consumer compares
    them."""
    if not strict:
        return
    bad = [
        node[k]
        for k in ("traceId", "spanId", "parentSpanId")
        if isinstance(node.get(k), str) and node[k] != node[k].lower()
    ]
    rep.check(not bad, f"{where}: ids in lower-case hex", "lower case", bad)


# ---- native OTLP JSON --------------------------------------------------------------------------


def check_resource_scope(rep, where, exp, resource, scope, strict, scope_key="scope"):
    rattrs = kv_map(resource.get("attributes"), strict)
    svc = rattrs.get("service.name", {})
    rep.check(
        svc == {"stringValue": exp["service_name"]},
        f"{where}: resource service.name",
        exp["service_name"],
        svc,
    )
    check_attrs(
        rep, f"{where}: resource", exp["resource"]["attributes"], resource.get("attributes"), strict
    )
    es = exp.get(scope_key) or exp["scope"]
    rep.check(
        scope.get("name") == es["name"], f"{where}: scope name", es["name"], scope.get("name")
    )
    rep.check(
        scope.get("version", "") == es["version"],
        f"{where}: scope version",
        es["version"],
        scope.get("version"),
    )
    check_attrs(rep, f"{where}: scope", es.get("attributes", []), scope.get("attributes"), strict)


def flatten_spans(resource_spans):
    out = []
    for rs in resource_spans or []:
        for ss in rs.get("scopeSpans", []) or []:
            for sp in ss.get("spans", []) or []:
                out.append((rs.get("resource", {}) or {}, ss.get("scope", {}) or {}, sp))
    return out


def flatten_logs(resource_logs):
    out = []
    for rl in resource_logs or []:
        for sl in rl.get("scopeLogs", []) or []:
            for lr in sl.get("logRecords", []) or []:
                out.append((rl.get("resource", {}) or {}, sl.get("scope", {}) or {}, lr))
    return out


def check_spans(rep, exp, resource_spans, strict):
    by_id = {}
    for res, scope, sp in flatten_spans(resource_spans):
        by_id[_hex_id(sp.get("spanId"))] = (res, scope, sp)
    for es in exp["spans"]:
        where = f"span {es['name']} ({es['span_id']})"
        if not rep.check(
            es["span_id"] in by_id, f"{where}: not found", es["span_id"], sorted(by_id)
        ):
            continue
        res, scope, sp = by_id[es["span_id"]]
        check_id_case(rep, where, sp, strict)
        for ln in sp.get("links", []) or []:
            check_id_case(rep, f"{where}: link", ln, strict)
        rep.check(
            _hex_id(sp.get("traceId")) == es["trace_id"],
            f"{where}: traceId",
            es["trace_id"],
            sp.get("traceId"),
        )
        rep.check(
            _hex_id(sp.get("parentSpanId", "")) == es["parent_span_id"],
            f"{where}: parentSpanId",
            es["parent_span_id"],
            sp.get("parentSpanId", ""),
        )
        rep.check(sp.get("name") == es["name"], f"{where}: name", es["name"], sp.get("name"))
        rep.check(
            sp.get("kind") == es["kind"], f"{where}: kind (int enum)", es["kind"], sp.get("kind")
        )
        _ts(
            rep,
            f"{where}: startTimeUnixNano",
            es["start_time_unix_nano"],
            sp.get("startTimeUnixNano"),
            strict,
        )
        _ts(
            rep,
            f"{where}: endTimeUnixNano",
            es["end_time_unix_nano"],
            sp.get("endTimeUnixNano"),
            strict,
        )
        check_attrs(rep, where, es["attributes"], sp.get("attributes"), strict)
        st = sp.get("status", {}) or {}
        rep.check(
            st.get("code", 0) == es["status"]["code"],
            f"{where}: status.code (int enum)",
            es["status"]["code"],
            st.get("code", 0),
        )
        rep.check(
            st.get("message", "") == es["status"]["message"],
            f"{where}: status.message",
            es["status"]["message"],
            st.get("message", ""),
        )
        events = sp.get("events", []) or []
        rep.check(
            len(events) == len(es["events"]),
            f"{where}: number of events",
            len(es["events"]),
            [e.get("name") for e in events],
        )
        for ee in es["events"]:
            cands = [e for e in events if e.get("name") == ee["name"]]
            if not rep.check(
                len(cands) == 1,
                f"{where}: event {ee['name']!r}",
                ee["name"],
                [e.get("name") for e in events],
            ):
                continue
            ge = cands[0]
            if ee.get("time_unix_nano") is not None:
                _ts(
                    rep,
                    f"{where}: event {ee['name']!r} timeUnixNano",
                    ee["time_unix_nano"],
                    ge.get("timeUnixNano"),
                    strict,
                )
            check_attrs(
                rep,
                f"{where}: event {ee['name']!r}",
                ee["attributes"],
                ge.get("attributes"),
                strict,
                ee.get("required_keys", []),
            )
        links = sp.get("links", []) or []
        rep.check(
            len(links) == len(es["links"]),
            f"{where}: number of links",
            len(es["links"]),
            len(links),
        )
        for el in es["links"]:
            cands = [
                g
                for g in links
                if _hex_id(g.get("traceId")) == el["trace_id"]
                and _hex_id(g.get("spanId")) == el["span_id"]
            ]
            if rep.check(
                len(cands) == 1, f"{where}: link to {el['trace_id']}/{el['span_id']}", el, links
            ):
                check_attrs(
                    rep, f"{where}: link", el["attributes"], cands[0].get("attributes"), strict
                )
        check_resource_scope(rep, where, exp, res, scope, strict)


def check_logs(rep, exp, resource_logs, strict, only_trace=None):
    got = flatten_logs(resource_logs)
    for el in exp["logs"]:
        if only_trace is not None and el["trace_id"] != only_trace:
            continue
        where = f"log {el['severity_text']} @{el['time_unix_nano']}"
        cands = [g for g in got if str(g[2].get("timeUnixNano")) == el["time_unix_nano"]]
        if not rep.check(
            len(cands) == 1,
            f"{where}: not found (matched by timeUnixNano)",
            el["time_unix_nano"],
            [g[2].get("timeUnixNano") for g in got],
        ):
            continue
        res, scope, lr = cands[0]
        check_id_case(rep, where, lr, strict)
        _ts(rep, f"{where}: timeUnixNano", el["time_unix_nano"], lr.get("timeUnixNano"), strict)
        rep.check(
            _hex_id(lr.get("traceId", "")) == el["trace_id"],
            f"{where}: traceId",
            el["trace_id"],
            lr.get("traceId", ""),
        )
        rep.check(
            _hex_id(lr.get("spanId", "")) == el["span_id"],
            f"{where}: spanId",
            el["span_id"],
            lr.get("spanId", ""),
        )
        rep.check(
            lr.get("severityNumber") == el["severity_number"],
            f"{where}: severityNumber (int enum)",
            el["severity_number"],
            lr.get("severityNumber"),
        )
        rep.check(
            lr.get("severityText") == el["severity_text"],
            f"{where}: severityText",
            el["severity_text"],
            lr.get("severityText"),
        )
        try:
            body_ok = norm_any(lr.get("body", {}), strict) == norm_any(el["body"], False)
        except ValueError as e:
            body_ok = False
            where += f" ({e})"
        rep.check(body_ok, f"{where}: body (value and type)", el["body"], lr.get("body"))
        check_attrs(rep, where, el["attributes"], lr.get("attributes"), strict)
        check_resource_scope(rep, where, exp, res, scope, strict, "log_scope")


def trace_ids(exp):
    seen = []
    for s in exp["spans"]:
        if s["trace_id"] not in seen:
            seen.append(s["trace_id"])
    return seen


def check_shape(rep, exp):
    """The document itself follows SCENARIO.md: five spans in two traces with the scenario's
    parentage."""
    where = f"expectation {exp.get('lang')} {exp.get('protocol')}"
    by_name = {s["name"]: s for s in exp.get("spans", [])}
    names = ["rc.linked-target", "rc.server", "rc.client", "rc.consume", "rc.produce"]
    if not rep.check(
        sorted(by_name) == sorted(names) and len(exp["spans"]) == 5,
        f"{where}: span names",
        names,
        [s["name"] for s in exp.get("spans", [])],
    ):
        return
    b, s1, s2, s3, s4 = (by_name[n] for n in names)
    shape = [
        (b["parent_span_id"] == "" and s1["parent_span_id"] == "", "two roots"),
        (
            s2["parent_span_id"] == s1["span_id"] and s4["parent_span_id"] == s1["span_id"],
            "children of rc.server",
        ),
        (s3["parent_span_id"] == s2["span_id"], "rc.consume under rc.client"),
        (len({s1["trace_id"], s2["trace_id"], s3["trace_id"], s4["trace_id"]}) == 1, "one trace A"),
        (b["trace_id"] != s1["trace_id"], "trace B differs"),
        (
            [(k["trace_id"], k["span_id"]) for k in s3["links"]] == [(b["trace_id"], b["span_id"])],
            "link to B",
        ),
        ([s["kind"] for s in (b, s1, s2, s3, s4)] == [1, 2, 3, 5, 4], "kinds"),
        ([s["status"]["code"] for s in (b, s1, s2, s3, s4)] == [0, 0, 0, 2, 1], "statuses"),
        ([e["name"] for e in s3["events"]] == ["exception", "rc.event"], "events"),
        (
            all(len(x) == 32 and x == x.lower() for x in (b["trace_id"], s1["trace_id"])),
            "hex trace ids",
        ),
    ]
    for ok, what in shape:
        rep.check(ok, f"{where}: {what}")
    skipped_logs = any(s.get("signal") == "logs" for s in exp.get("skipped", []))
    rep.check(
        len(exp.get("logs", [])) == (0 if skipped_logs else 2),
        f"{where}: two logs unless skipped",
        0 if skipped_logs else 2,
        len(exp.get("logs", [])),
    )
