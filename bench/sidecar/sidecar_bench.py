#!/usr/bin/env python3
"""The sidecar benchmark: one hop's added latency and CPU, tracewire sidecar against HAProxy.

For tRPC and HTTP/1.1 keep-alive (1 KiB bodies) at 1k, 5k and 20k requests/s (open loop,
latency from the scheduled send time), it measures a direct connection to the backend, the same
through HAProxy (Debian, `mode tcp`, one thread) and through the tracewire sidecar (an inbound
listener, every request traced, spans exported over OTLP/HTTP to a local sink), interleaved run
by run. Added latency = proxied percentile - direct percentile of the same repetition; proxy
CPU = utime + stime from /proc/PID/stat over the measured window. Prints medians and the goals
of issue 6; see bench/README.md ("Sidecar benchmark").
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from sidecar_profile import profile_sidecar  # noqa: E402
from sidecar_setup import PROTOCOLS, Stack, ensure_haproxy  # noqa: E402

from benchlib import log  # noqa: E402
from trpc_echo import run_load  # noqa: E402

TARGETS = ("direct", "haproxy", "sidecar")
PCTS = ("p50_us", "p99_us", "p999_us")
GOALS = (
    "sidecar added <= 25 us p50 and <= 100 us p99 at 5k rps, <= 1.5x HAProxy, <= 0.02 cores/1k rps"
)


def one_run(args, stack, proto, rate, target):
    """One open-loop run against `target`; the load's JSON plus proxy CPU and span counters."""
    pid = stack.pid[target]
    before = stack.sidecar_span_counters() if target == "sidecar" else None
    r = run_load(
        args,
        stack.port[target][proto],
        pid or stack.sink.pid,
        args.body,
        "open",
        rate=rate,
        cpus=args.load_cpus,
        extra=["--protocol", proto],
    )
    r["proxy_cores"] = r["server_cores"] if pid else None
    r["cores_per_1k_rps"] = r["server_cores"] / (r["rps"] / 1000) if pid and r["rps"] else None
    if before is not None:
        time.sleep(args.settle)  # let the batch processor export this run's spans
        after = stack.sidecar_span_counters()
        r["spans"] = {k: after[k] - before[k] for k in after}
    return r


def run_matrix(args, stack):
    """runs[proto][rate][target] = [result per repetition]."""
    runs = {p: {rt: {t: [] for t in args.targets} for rt in args.rates} for p in args.protocols}
    for rep in range(args.runs):
        for proto in args.protocols:
            for rate in args.rates:
                for target in args.targets:
                    r = one_run(args, stack, proto, rate, target)
                    runs[proto][rate][target].append(r)
                    cores = r["proxy_cores"]
                    log(
                        f"  rep {rep + 1} {proto:4} {rate:6.0f}/s {target:7}: "
                        f"{r['rps']:7.0f} req/s p50 {r['p50_us']:7.1f} p99 {r['p99_us']:7.1f} "
                        f"p99.9 {r['p999_us']:7.1f} us"
                        + (f", {cores:.3f} cores" if cores is not None else "")
                        + f", {r['errors']} errors"
                        + (f", spans {r['spans']}" if "spans" in r else "")
                    )
    return runs


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(args, runs):
    """Medians per protocol x rate: direct percentiles; per proxy the added latency (median of
    the per-repetition differences), cores per 1000 req/s, errors; the sidecar/HAProxy ratio."""
    summary = {}
    for proto in args.protocols:
        for rate in args.rates:
            cell = runs[proto][rate]
            direct = cell["direct"]
            row = {"direct": {k: median([r[k] for r in direct]) for k in PCTS}}
            row["direct"]["errors"] = sum(r["errors"] for r in direct)
            for target in args.targets:
                if target == "direct":
                    continue
                res = cell[target]
                row[target] = {
                    f"added_{k}": median([p[k] - d[k] for p, d in zip(res, direct, strict=True)])
                    for k in PCTS
                } | {
                    "cores_per_1k_rps": median([r["cores_per_1k_rps"] for r in res]),
                    "rps": median([r["rps"] for r in res]),
                    "errors": sum(r["errors"] for r in res),
                }
                if target == "sidecar":
                    row[target]["spans_dropped"] = sum(r["spans"]["dropped"] for r in res)
                    row[target]["spans_exported"] = sum(r["spans"]["exported"] for r in res)
            if "haproxy" in row and "sidecar" in row:
                row["ratio"] = {
                    k: ratio(row["sidecar"][f"added_{k}"], row["haproxy"][f"added_{k}"])
                    for k in PCTS
                }
                row["ratio"]["cpu"] = ratio(
                    row["sidecar"]["cores_per_1k_rps"], row["haproxy"]["cores_per_1k_rps"], 0.0
                )
            summary[f"{proto}|{rate:g}"] = row
    return summary


def ratio(a, b, floor=1.0):
    # Latency: a proxy adding less than 1 us is within the noise, so there is no ratio.
    return a / b if a is not None and b is not None and b > floor else None


def fmt(v, spec):
    return format(v, spec) if v is not None else "-"


def report(args, summary):
    print(
        f"\nOne hop's added latency (medians of {args.runs} runs of {args.duration:g} s, "
        f"{args.connections} connections, {args.body} B bodies; proxy on CPU {args.proxy_cpus}, "
        f"load + backend + sink on {args.load_cpus}); microseconds"
    )
    trio = "{:>6} {:>6} {:>7}"
    header = [
        f"{'proto':5} {'rate':>6}",
        f"{'direct p50/p99/p99.9':>21}",
        f"{'haproxy +p50/+p99/+p99.9':>21}",
        f"{'sidecar +p50/+p99/+p99.9':>21}",
        f"{'sc/ha p50/p99':>13}",
        f"{'cores/1k ha/sc':>14}",
        f"{'sc/ha cpu':>9}",
        "err",
    ]
    print(" | ".join(header))

    def three(d, prefix):
        if not d:
            return trio.format("-", "-", "-")
        return trio.format(*(fmt(d[f"{prefix}{k}"], ".1f") for k in PCTS))

    for key, row in summary.items():
        proto, rate = key.split("|")
        ha, sc, rt = row.get("haproxy"), row.get("sidecar"), row.get("ratio", {})
        cells = [
            f"{proto:5} {float(rate):6.0f}",
            three(row["direct"], ""),
            three(ha, "added_"),
            three(sc, "added_"),
            f"{fmt(rt.get('p50_us'), '6.2f')} {fmt(rt.get('p99_us'), '6.2f')}",
            f"{fmt(ha and ha['cores_per_1k_rps'], '6.4f')} "
            f"{fmt(sc and sc['cores_per_1k_rps'], '7.4f')}",
            fmt(rt.get("cpu"), "9.2f"),
            str(row["direct"]["errors"] + sum(x["errors"] for x in (ha, sc) if x)),
        ]
        print(" | ".join(cells))
    print(f"\nGoals ({GOALS}):")
    for proto in args.protocols:
        row = summary.get(f"{proto}|5000")
        if not row or "sidecar" not in row:
            continue
        sc, rt = row["sidecar"], row.get("ratio", {})
        checks = [
            ("p50", sc["added_p50_us"], 25.0),
            ("p99", sc["added_p99_us"], 100.0),
            ("x HAProxy p50", rt.get("p50_us"), 1.5),
            ("x HAProxy p99", rt.get("p99_us"), 1.5),
            ("cores/1k", sc["cores_per_1k_rps"], 0.02),
        ]
        words = [
            f"{name} {fmt(v, '.3g')} ({'-' if v is None else 'ok' if v <= limit else 'MISSED'})"
            for name, v, limit in checks
        ]
        print(f"  {proto} @5k: " + ", ".join(words))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--build-dir", type=Path, default=REPO / "build", help="Release build (default: build)"
    )
    p.add_argument("--protocols", default="trpc,http")
    p.add_argument("--rates", default="1000,5000,20000", help="open-loop requests/s")
    p.add_argument("--targets", default=",".join(TARGETS), help="direct is always run")
    p.add_argument("--body", type=int, default=1024, help="request and response body bytes")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--load-threads", type=int, default=1, help="load generator threads")
    p.add_argument("--duration", type=float, default=10.0, help="measured seconds per run")
    p.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds per run")
    p.add_argument(
        "--settle", type=float, default=1.2, help="seconds to let spans export after a sidecar run"
    )
    p.add_argument("--runs", type=int, default=3, help="repetitions; medians are reported")
    p.add_argument(
        "--proxy-cpus", default="", help="taskset list for the proxies (default: first CPU)"
    )
    p.add_argument(
        "--load-cpus", default="", help="taskset list for load, backends, sink (default: the rest)"
    )
    p.add_argument(
        "--tracewire", type=Path, help="tracewire binary (default: BUILD_DIR/bin/tracewire)"
    )
    p.add_argument("--haproxy", help="haproxy binary (default: from PATH, installed when missing)")
    p.add_argument("--no-install", action="store_true", help="never apt-get install haproxy")
    p.add_argument(
        "--http-pool",
        type=int,
        default=0,
        help="the sidecar's HTTP cluster max_idle_connections (idle upstream connections kept; "
        "default 0: the sidecar's own default)",
    )
    p.add_argument(
        "--no-export",
        action="store_true",
        help="diagnostic: the sidecar traces but exports nothing (isolates the exporter's cost)",
    )
    p.add_argument(
        "--profile", action="store_true", help="also perf-record the sidecar at 5k req/s"
    )
    p.add_argument("--profile-rate", type=float, default=5000)
    p.add_argument(
        "--nice",
        type=int,
        default=0,
        help="niceness of this driver and every process it starts (e.g. -10 on a shared machine)",
    )
    p.add_argument(
        "--realtime",
        type=int,
        default=0,
        metavar="PRIO",
        help="run this driver and every child under SCHED_FIFO at PRIO (1-99): on a machine "
        "busy with other work, wake-ups then are not delayed by its time slices",
    )
    p.add_argument("--quick", action="store_true", help="smoke run: 2 s runs, 0.5 s warm-up, 1 run")
    p.add_argument(
        "--out",
        type=Path,
        help="JSON results (default: BUILD_DIR/bench-logs/sidecar-TIME/results.json)",
    )
    args = p.parse_args()
    if args.quick:
        args.duration, args.warmup, args.runs, args.settle = 2.0, 0.5, 1, 1.1
    bin_dir = args.build_dir / "bin"
    args.loadgen = bin_dir / "trpc_echo_load"
    args.sink = bin_dir / "otlp_sink"
    args.echo_server = bin_dir / "trpc_echo_server"
    args.http_server = bin_dir / "http_echo_server"
    args.tracewire = args.tracewire or bin_dir / "tracewire"
    args.protocols = [x for x in args.protocols.split(",") if x]
    args.rates = [float(x) for x in args.rates.split(",") if x]
    targets = {x for x in args.targets.split(",") if x} | {"direct"}
    for x in args.protocols:
        if x not in PROTOCOLS:
            p.error(f"unknown protocol {x!r}")
    for x in targets:
        if x not in TARGETS:
            p.error(f"unknown target {x!r}")
    for tool in (args.loadgen, args.sink, args.echo_server, args.http_server, args.tracewire):
        if not tool.exists():
            p.error(f"{tool} does not exist; build the Release preset first (see bench/README.md)")
    if "haproxy" in targets:
        args.haproxy = ensure_haproxy(args.haproxy, not args.no_install)
        if not args.haproxy:
            log("warning: no haproxy: skipping it")
            targets.discard("haproxy")
    args.targets = [t for t in TARGETS if t in targets]
    cpus = sorted(os.sched_getaffinity(0))
    args.proxy_cpus = args.proxy_cpus or str(cpus[0])
    if not args.load_cpus:
        proxy = {int(c) for c in args.proxy_cpus.split(",")}
        args.load_cpus = ",".join(str(c) for c in cpus if c not in proxy) or None
    return args


def main():
    args = parse_args()
    if args.nice:
        os.nice(args.nice)  # inherited by every child: proxies, backends, load, sink
    if args.realtime:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(args.realtime))  # likewise
    log_dir = args.build_dir / "bench-logs" / time.strftime("sidecar-%Y%m%d-%H%M%S")
    log_dir.mkdir(parents=True, exist_ok=True)
    log(
        f"targets {', '.join(args.targets)}; proxy CPU {args.proxy_cpus}, load CPUs "
        f"{args.load_cpus or 'any'}; logs in {log_dir}"
    )
    stack = Stack(args, log_dir)
    profile = {}
    try:
        stack.start()
        runs = run_matrix(args, stack)
        if args.profile and "sidecar" in args.targets:
            profile = profile_sidecar(args, stack, log_dir)
    finally:
        sink_totals = stack.stop()
    summary = summarize(args, runs)
    report(args, summary)
    print(f"otlp_sink: {json.dumps(sink_totals)}")
    out = args.out or log_dir / "results.json"
    out.write_text(
        json.dumps(
            {
                "args": {k: str(v) for k, v in vars(args).items()},
                "summary": summary,
                "runs": {p: {f"{r:g}": c for r, c in v.items()} for p, v in runs.items()},
                "sink": sink_totals,
                "profile": profile,
            },
            indent=2,
        )
    )
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
