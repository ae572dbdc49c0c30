#!/usr/bin/env python3
"""Reads one client's data back from `tracewire serve` and checks it against its expectation.

  check.py --query http://127.0.0.1:16686 EXPECTATION.json [--jaeger URL] [--wait SECONDS]

For every trace in the expectation document (SCENARIO.md):
  GET /api/v1/traces/{id}       native API, OTLP JSON {"resourceSpans": ...} under the strict
                                OTLP JSON rules (hex ids, int enums, 64-bit ints as strings,
                                lowerCamelCase)
  GET /api/v1/traces/{id}/logs  {"resourceLogs": ...}: the logs tied to that trace, and only those
  GET /api/traces/{id}          Jaeger API: ids, references, µs times, typed tags, logs, process
Ingest may be asynchronous, so a failing read is retried until --wait runs out; the last result
counts. Prints one line per failed check, then "N passed, M failed"; exit 0 only when nothing
failed. Standard library only.
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.request

import jaeger_check
import rcverify


def fetch(url, timeout=10):
    req = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, None
    except (urllib.error.URLError, OSError, ValueError) as e:
        return None, str(e)


def snake_keys(node, path="$"):
    """OTLP JSON field names are lowerCamelCase: a key with '_' is a protobuf field name leaking
    out."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            if "_" in k:
                out.append(f"{path}.{k}")
            out.extend(snake_keys(v, f"{path}.{k}"))
    elif isinstance(node, list):
        for i, x in enumerate(node):
            out.extend(snake_keys(x, f"{path}[{i}]"))
    return out


def check_once(exp, query, jaeger):
    label = f"{exp['lang']} {exp['protocol']}"
    rep = rcverify.Report(label)
    rcverify.check_shape(rep, exp)
    for tid in rcverify.trace_ids(exp):
        want = dict(exp, spans=[s for s in exp["spans"] if s["trace_id"] == tid])
        code, doc = fetch(f"{query}/api/v1/traces/{tid}")
        if rep.check(
            code == 200 and isinstance(doc, dict), f"GET /api/v1/traces/{tid}", 200, [code, doc]
        ):
            rep.check(
                not snake_keys(doc),
                f"trace {tid}: lowerCamelCase field names",
                [],
                snake_keys(doc)[:5],
            )
            rs = doc.get("resourceSpans")
            rep.check(
                isinstance(rs, list), f"trace {tid}: resourceSpans list", "list", type(rs).__name__
            )
            rcverify.check_spans(rep, want, rs, strict=True)
            n = len(rcverify.flatten_spans(rs))
            rep.check(
                n == len(want["spans"]),
                f"trace {tid}: span count (no duplicates)",
                len(want["spans"]),
                n,
            )
        code, doc = fetch(f"{query}/api/v1/traces/{tid}/logs")
        if rep.check(
            code == 200 and isinstance(doc, dict),
            f"GET /api/v1/traces/{tid}/logs",
            200,
            [code, doc],
        ):
            rep.check(
                not snake_keys(doc),
                f"trace {tid} logs: lowerCamelCase field names",
                [],
                snake_keys(doc)[:5],
            )
            # proto3 JSON omits an empty repeated field: no key means no logs.
            rl = doc.get("resourceLogs", [])
            rep.check(
                isinstance(rl, list), f"trace {tid}: resourceLogs list", "list", type(rl).__name__
            )
            rcverify.check_logs(rep, exp, rl, strict=True, only_trace=tid)
            n = len(rcverify.flatten_logs(rl))
            n_want = len([lg for lg in exp["logs"] if lg["trace_id"] == tid])
            rep.check(n == n_want, f"trace {tid}: log count (only its own logs)", n_want, n)
        code, doc = fetch(f"{jaeger}/api/traces/{tid}")
        if rep.check(
            code == 200 and isinstance(doc, dict),
            f"GET /api/traces/{tid} (Jaeger)",
            200,
            [code, doc],
        ):
            jaeger_check.check_jaeger(rep, exp, tid, doc)
    return rep


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("expectation", help="a client's JSON document ('-' for stdin)")
    ap.add_argument("--query", required=True, help="base URL of the native query API")
    ap.add_argument("--jaeger", help="base URL of the Jaeger API (default: --query)")
    ap.add_argument("--wait", type=float, default=10.0, help="seconds to retry while checks fail")
    args = ap.parse_args()
    text = (
        sys.stdin.read()
        if args.expectation == "-"
        else open(args.expectation, encoding="utf-8").read()
    )
    exp = json.loads(text)
    query = args.query.rstrip("/")
    jaeger = (args.jaeger or args.query).rstrip("/")
    for s in exp.get("skipped", []):
        print(f"SKIP [{exp['lang']} {exp['protocol']}] {s.get('signal')}: {s.get('reason')}")
    deadline = time.monotonic() + args.wait
    while True:
        rep = check_once(exp, query, jaeger)
        if not rep.failures or time.monotonic() >= deadline:
            break
        time.sleep(0.5)
    for f in rep.failures:
        print(f)
    print(rep.summary())
    return 0 if not rep.failures else 1


if __name__ == "__main__":
    sys.exit(main())
