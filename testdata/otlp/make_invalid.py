#!/usr/bin/env python3
"""Writes invalid.json: OTLP/JSON bodies that must fail, and bodies with items to reject.

Schema: README.md. Run from this folder: ./make_invalid.py
"""

import base64
import json

T = "0102030405060708090a0b0c0d0e0f10"
S = "1112131415161718"


def span(extra, tid=T, sid=S):
    d = {"traceId": tid, "spanId": sid, "name": "s"}
    d.update(extra)
    return d


def req(*spans):
    return json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": list(spans)}]}]})


def logs(*recs):
    return json.dumps({"resourceLogs": [{"scopeLogs": [{"logRecords": list(recs)}]}]})


def attr(v):
    return {"attributes": [{"key": "k", "value": v}]}


def named(text):
    """A request whose span name is `text`, spliced in raw (for escapes JSON cannot hold)."""
    return req(span({"name": "PLACEHOLDER"})).replace("PLACEHOLDER", text)


cases = []


def bad(name, signal, body, error):
    cases.append({"name": name, "signal": signal, "body": body, "error": error})


def part(name, signal, body, rejected, kept):
    cases.append(
        {
            "name": name,
            "signal": signal,
            "body": body,
            "error": None,
            "rejected": rejected,
            "kept": kept,
        }
    )


bad("not json", "traces", "hello", "expected an object")
bad("empty body", "traces", "", "expected an object")
bad("top level array", "logs", "[]", "expected an object")
bad("truncated", "traces", '{"resourceSpans":[{"scopeSpans":[', "expected an object")
bad("text after the request", "traces", "{} x", "text after the request object")
bad("trailing comma in object", "traces", '{"resourceSpans":[],}', "expected a member name")
bad("trailing comma in array", "traces", '{"resourceSpans":[{},]}', "expected an object")
bad("missing colon", "traces", '{"resourceSpans" []}', "expected ':'")
bad("single quotes", "traces", "{'resourceSpans':[]}", "expected a member name")
bad(
    "leading zero number",
    "traces",
    req(span({"kind": "x"})).replace('"x"', "01"),
    "expected ',' or '}'",
)
bad("trace id not hex", "traces", req(span({}, tid="zz" * 16)), "Span.traceId: not a hex string")
bad("span id odd length", "traces", req(span({}, sid="123")), "Span.spanId: not a hex string")
bad("trace id as number", "traces", req(span({}, tid=5)), "Span.traceId: expected a string")
bad(
    "intValue with a fraction",
    "traces",
    req(span(attr({"intValue": 1.5}))),
    "AnyValue.intValue: not an integer in range",
)
bad(
    "intValue past int64",
    "traces",
    req(span(attr({"intValue": "9223372036854775808"}))),
    "AnyValue.intValue: not an integer in range",
)
bad(
    "negative time",
    "traces",
    req(span({"startTimeUnixNano": "-1"})),
    "Span.startTimeUnixNano: not an integer in range",
)
bad(
    "time as bool",
    "traces",
    req(span({"endTimeUnixNano": True})),
    "Span.endTimeUnixNano: expected a number",
)
bad(
    "dropped count past uint32",
    "traces",
    req(span({"droppedAttributesCount": 4294967296})),
    "Span.droppedAttributesCount: not an integer in range",
)
bad(
    "bytesValue not base64",
    "traces",
    req(span(attr({"bytesValue": "a*b="}))),
    "AnyValue.bytesValue: not base64",
)
bad(
    "stringValue not a string",
    "traces",
    req(span(attr({"stringValue": 5}))),
    "AnyValue.stringValue: expected a string",
)
bad(
    "boolValue not a bool",
    "traces",
    req(span(attr({"boolValue": "true"}))),
    "AnyValue.boolValue: expected a bool",
)
bad(
    "doubleValue out of range",
    "traces",
    req(span(attr({"doubleValue": "1e400"}))),
    "AnyValue.doubleValue: not a finite double",
)
bad(
    "doubleValue as inf text",
    "traces",
    req(span(attr({"doubleValue": "inf"}))),
    "AnyValue.doubleValue: not a finite double",
)
bad(
    "unknown enum name",
    "traces",
    req(span({"kind": "SPAN_KIND_BOGUS"})),
    "Span.kind: unknown enum name",
)
bad("enum as object", "traces", req(span({"kind": {}})), "Span.kind: expected a number")
bad(
    "null in attributes",
    "traces",
    req(span({"attributes": [None]})),
    "Span.attributes: null in a list",
)
bad("lone high surrogate", "traces", named("a\\ud800b"), "lone surrogate")
bad("lone low surrogate", "traces", named("\\udc00"), "lone surrogate")
bad("bad escape", "traces", named("\\x41"), "bad escape in string")
bad("raw control character", "traces", named("a\u0001b"), "control character in string")
bad(
    "unterminated string",
    "traces",
    '{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"abc',
    "unterminated string",
)
invalid_utf8 = named("PLACEHOLDER2").encode().replace(b"PLACEHOLDER2", b"a\xffb")
cases.append(
    {
        "name": "invalid UTF-8",
        "signal": "traces",
        "bodyBase64": base64.b64encode(invalid_utf8).decode(),
        "error": "invalid UTF-8 in string",
    }
)
deep = {"stringValue": "leaf"}
for _ in range(17):
    deep = {"arrayValue": {"values": [deep]}}
bad(
    "value nested past 16 levels",
    "traces",
    req(span(attr(deep))),
    "nesting deeper than max_value_depth",
)
bad("deep unknown nesting", "traces", '{"x":' + "[" * 200 + "]" * 200 + "}", "nesting too deep")
bad(
    "log severity past int32",
    "logs",
    logs({"severityNumber": 2147483648}),
    "LogRecord.severityNumber: not an integer in range",
)
bad("log body not an object", "logs", logs({"body": "text"}), "expected an object")
part("trace id of 15 bytes", "traces", req(span({}, tid="ab" * 15), span({})), 1, 1)
part("all-zero span id", "traces", req(span({}, sid="0" * 16), span({})), 1, 1)
part("all-zero trace id", "traces", req(span({}, tid="0" * 32), span({})), 1, 1)
part("missing span id", "traces", req({"traceId": T, "name": "s"}, span({})), 1, 1)
part(
    "parent span id of 3 bytes",
    "traces",
    req(span({"parentSpanId": "abcdef"}), span({"parentSpanId": ""})),
    1,
    1,
)
part("span kind out of range", "traces", req(span({"kind": 9}), span({"kind": 5})), 1, 1)
part("link without ids", "traces", req(span({"links": [{"traceState": "a=b"}]}), span({})), 1, 1)
part(
    "log trace id of 4 bytes",
    "logs",
    logs({"traceId": "01020304"}, {"traceId": ""}, {"spanId": S}),
    1,
    2,
)
part(
    "unknown keys and nulls are ignored",
    "traces",
    json.dumps(
        {
            "resourceSpans": [
                {
                    "resource": None,
                    "x": 1,
                    "scopeSpans": [
                        {
                            "scope": None,
                            "spans": [
                                span(
                                    {
                                        "status": None,
                                        "events": None,
                                        "attributes": [{"key": "k", "value": None}],
                                        "snake_case_key": "ignored",
                                        "dropped_attributes_count": "x",
                                    }
                                )
                            ],
                        }
                    ],
                }
            ],
            "extra": {"a": [1, {"b": None}]},
        }
    ),
    0,
    1,
)

with open("invalid.json", "w") as f:
    json.dump(cases, f, indent=1, ensure_ascii=True)
    f.write("\n")
