#!/usr/bin/env python3
"""The ingest benchmark: `tracewire serve` against the OpenTelemetry Collector, in one go.

Each server (tracewire serve; otelcol otlp -> batch -> file; otelcol otlp -> batch -> nop) is
started fresh per run, pinned with taskset, and fed by ingest_load (pinned to the other CPUs)
with the same realistic OTLP/HTTP protobuf batches as fast as it accepts them. The server's CPU
time (utime + stime from /proc/PID/stat) is counted from the load's start until the server has
gone idle again after it, so work done after the acknowledgement (batching, indexing, writing)
is charged too. For tracewire it then fills a fresh store to --query-spans spans and times
trace-by-id and search requests. Prints medians and the ratios; see bench/ingest/README.md.
"""

import argparse
import json
import os
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
OTELCOL_DIR = REPO / "bench/ingest/otelcol"
sys.path.insert(0, str(REPO / "bench"))
from benchlib import cpu_seconds, free_port, log, pinned  # noqa: E402

SERVERS = {
    "tracewire": "tracewire serve (embedded store: durable and indexed)",
    "otelcol-file": "OpenTelemetry Collector: otlp -> batch -> file (OTLP/JSON lines)",
    "otelcol-nop": "OpenTelemetry Collector: otlp -> batch -> nop",
}
DEFAULT_TRACEWIRE_CMD = (
    "{bin} serve --data-dir {data_dir} --otlp-http 127.0.0.1:{otlp_port} "
    "--otlp-grpc 127.0.0.1:{grpc_port} --zipkin 127.0.0.1:{zipkin_port} "
    "--http 127.0.0.1:{query_port}"
)


def disk_bytes(path):
    """(allocated, apparent) bytes under `path`: du's blocks in use, and file sizes."""
    path = Path(path)
    if not path.exists():
        return 0, 0

    def du(*flags):
        out = subprocess.run(["du", "-s", *flags, str(path)], capture_output=True, text=True).stdout
        return int(out.split()[0]) if out else 0

    return du("-B1"), du("-b")


class Process:
    """A child process in its own session, with its output in a log file."""

    def __init__(self, name, cmd, env, log_dir, cwd=None):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self.log_file = open(self.log_path, "w")
        self.log_file.write("$ " + shlex.join(cmd) + "\n")
        self.log_file.flush()
        self.proc = subprocess.Popen(
            cmd,
            env=env,
            stdout=self.log_file,
            cwd=cwd,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self):
        return self.proc.pid

    def wait_port(self, port, timeout_s=30):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        tail = self.log_path.read_text()[-2000:]
        raise RuntimeError(
            f"{self.name} is not accepting on port {port} "
            f"(exit {self.proc.poll()}; see {self.log_path}):\n{tail}"
        )

    def wait_idle(self, timeout_s, step_s=0.5, idle_cores=0.05):
        """Waits until the process uses < idle_cores CPUs over step_s; returns its CPU seconds
        then. Gives up after timeout_s (returns the CPU seconds at that point)."""
        deadline = time.monotonic() + timeout_s
        last = cpu_seconds(self.pid)
        while time.monotonic() < deadline and self.proc.poll() is None:
            time.sleep(step_s)
            now = cpu_seconds(self.pid)
            if now - last < idle_cores * step_s:
                return now
            last = now
        return last

    def stop(self, timeout_s=30):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                log(f"warning: {self.name} ignored SIGTERM for {timeout_s} s; killing it")
                self.proc.kill()
                self.proc.wait()
        self.log_file.close()
        return self.proc.returncode


def clean_env(extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL")}
    env.update(extra)
    return env


class Server:
    """One fresh server instance: its process, ports and where it keeps data."""

    def __init__(self, kind, args, log_dir, tag):
        self.kind = kind
        self.data = args.data_root / tag
        shutil.rmtree(self.data, ignore_errors=True)
        self.data.mkdir(parents=True)
        self.otlp_port = free_port()
        self.query_port = None
        if kind == "tracewire":
            self.query_port = free_port()
            self.data_path = self.data / "data"
            cmd = shlex.split(
                args.tracewire_cmd.format(
                    bin=args.tracewire,
                    data_dir=self.data_path,
                    otlp_port=self.otlp_port,
                    query_port=self.query_port,
                    grpc_port=free_port(),
                    zipkin_port=free_port(),
                )
            )
            env = clean_env({})
        else:
            config = OTELCOL_DIR / ("otlp-file.yaml" if kind == "otelcol-file" else "otlp-nop.yaml")
            self.data_path = self.data / "spans.jsonl"
            cmd = [str(args.otelcol), "--config", str(config)]
            env = clean_env(
                {
                    "OTELCOL_HTTP_ENDPOINT": f"127.0.0.1:{self.otlp_port}",
                    "OTELCOL_FILE": str(self.data_path),
                    "GOMAXPROCS": str(len(args.server_cpus.split(","))),
                }
            )
        self.proc = Process(tag, pinned(cmd, args.server_cpus), env, log_dir, cwd=self.data)
        try:
            self.proc.wait_port(self.otlp_port)
            if self.query_port:
                self.proc.wait_port(self.query_port)
        except RuntimeError:
            self.proc.stop()
            raise

    def disk(self):
        return disk_bytes(self.data_path)

    def stop(self):
        return self.proc.stop()


def run_tool(cmd, timeout_s):
    """Runs ingest_load; returns its JSON lines (the ingest/query ones) as dicts."""
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s)
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0:
        raise RuntimeError(f"ingest_load failed ({proc.returncode}): {proc.stderr.strip()}")
    return lines


def loadgen_cmd(args, port, extra):
    cmd = [
        str(args.loadgen),
        "--mode",
        "ingest",
        "--addr",
        f"127.0.0.1:{port}",
        "--connections",
        str(args.connections),
        "--bodies",
        str(args.bodies),
        "--seed",
        str(args.seed),
    ] + extra
    if args.gzip:
        cmd.append("--gzip")
    return pinned(cmd, args.load_cpus)


def ingest_run(args, server, extra, timeout_s):
    """One load against a started server; returns the loadgen's result plus CPU figures."""
    cpu0 = cpu_seconds(server.proc.pid)
    t0 = time.monotonic()
    lines = run_tool(loadgen_cmd(args, server.otlp_port, extra), timeout_s)
    t_load = time.monotonic() - t0
    cpu_load = cpu_seconds(server.proc.pid)
    cpu_idle = server.proc.wait_idle(args.drain_timeout)
    corpus = next(line for line in lines if line.get("mode") == "corpus")
    r = next(line for line in lines if line.get("mode") == "ingest")
    # The loadgen's own corpus build (before it sends) is in t_load: take it off.
    t_send = max(1e-3, t_load - corpus["build_s"])
    cpu = cpu_idle - cpu0
    r["corpus"] = corpus
    r["server_cpu_s"] = cpu
    r["server_cpu_s_during_load"] = cpu_load - cpu0
    r["server_cores"] = (cpu_load - cpu0) / t_send
    r["spans_per_core_s"] = r["total_spans"] / cpu if cpu > 0 else None
    return r


def throughput_runs(args, log_dir, results):
    per_kind = {k: [] for k in args.servers}
    for rep in range(args.runs):
        for kind in list(args.servers):
            tag = f"{kind}-run{rep + 1}"
            try:
                server = Server(kind, args, log_dir, tag)
            except RuntimeError as e:
                log(f"warning: {kind} did not start; dropping it from the run: {e}")
                args.servers.remove(kind)
                results["skipped"][kind] = f"did not start (see {log_dir}/{tag}.log)"
                continue
            try:
                r = ingest_run(
                    args,
                    server,
                    ["--duration-s", str(args.duration), "--warmup-s", str(args.warmup)],
                    args.duration + args.warmup + 120,
                )
                r["disk_bytes_live"] = server.disk()[0]
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                log(f"warning: {kind} run {rep + 1} failed: {e}")
                continue
            finally:
                rc = server.stop()
            r["disk_bytes"], r["disk_apparent_bytes"] = server.disk()
            r["disk_bytes_per_span"] = (
                r["disk_bytes"] / r["total_spans"]
                if r["total_spans"] and kind != "otelcol-nop"
                else None
            )
            r["exit_code"] = rc
            per_kind[kind].append(r)
            log(
                f"  {kind:12} run {rep + 1}: {r['spans_per_s']:10.0f} spans/s, "
                f"{r['server_cores']:.2f} cores, {fmt(r['spans_per_core_s'], '.0f')} "
                f"spans/core-s, {r['non_2xx']} non-2xx, {r['transport_errors']} transport "
                f"errors, disk {fmt(r['disk_bytes_per_span'], '.1f')} B/span"
            )
            if not args.keep_data:
                shutil.rmtree(server.data, ignore_errors=True)
    for kind, runs in per_kind.items():
        if runs:
            results["ingest"][kind] = summarize(runs) | {"all": runs}


def query_phase(args, log_dir, results):
    tag = "tracewire-query"
    try:
        server = Server("tracewire", args, log_dir, tag)
    except RuntimeError as e:
        log(f"warning: tracewire did not start for the query phase: {e}")
        return
    sample = server.data / "sample.tsv"
    q = {"spans_target": args.query_spans}
    try:
        query_fill_and_measure(args, server, sample, q)
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        log(f"warning: the query phase failed: {e}")
        server.stop()
        return
    q["disk_bytes"], q["disk_apparent_bytes"] = server.disk()
    q["disk_bytes_per_span"] = q["disk_bytes"] / max(1, q["fill"]["total_spans"])
    results["query"] = q
    if not args.keep_data:
        shutil.rmtree(server.data, ignore_errors=True)


def query_fill_and_measure(args, server, sample, q):
    """Fills `server` to --query-spans, then times the queries; stops the server at the end."""
    try:
        log(f"  filling tracewire to {args.query_spans} spans ...")
        fill = ingest_run(
            args,
            server,
            ["--spans", str(args.query_spans), "--record", str(sample), "--record-every", "4"],
            max(600, args.query_spans / 2000),
        )
        q["fill"] = fill
        log(
            f"  filled: {fill['total_spans']} spans at {fill['spans_per_s']:.0f} spans/s, "
            f"{fmt(fill['spans_per_core_s'], '.0f')} spans/core-s"
        )
        q["searchable_after_s"] = wait_searchable(server, sample, args.search_timeout)
        cmd = [
            str(args.loadgen),
            "--mode",
            "query",
            "--addr",
            f"127.0.0.1:{server.query_port}",
            "--sample",
            str(sample),
            "--requests",
            str(args.query_requests),
        ]
        q["queries"] = {r["kind"]: r for r in run_tool(pinned(cmd, args.load_cpus), 900)}
        q["disk_bytes_live"] = server.disk()[0]
    finally:
        server.stop()


def wait_searchable(server, sample, timeout_s):
    """Seconds until the last recorded trace id is found by id (None: not within timeout_s)."""
    ids = [
        line.split("\t")[1].strip()
        for line in sample.read_text().splitlines()
        if line.startswith("trace\t")
    ]
    if not ids:
        return None
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        try:
            url = f"http://127.0.0.1:{server.query_port}/api/traces/{ids[-1]}"
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return time.monotonic() - t0
        except OSError:
            pass
        time.sleep(0.2)
    log(f"warning: trace {ids[-1]} not found by id within {timeout_s} s")
    return None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(runs):
    keys = [
        "spans_per_s",
        "requests_per_s",
        "bytes_per_s",
        "server_cores",
        "spans_per_core_s",
        "p50_ms",
        "p99_ms",
        "non_2xx",
        "transport_errors",
        "disk_bytes_per_span",
        "total_spans",
        "server_cpu_s",
    ]
    return {k: median([r.get(k) for r in runs]) for k in keys} | {"runs": len(runs)}


def fmt(v, spec):
    return format(v, spec) if v is not None else "-"


def report(args, results):
    corpus = None
    for s in results["ingest"].values():
        corpus = s["all"][0]["corpus"]
    if corpus:
        print(
            f"\nLoad: {corpus['spans']} spans in {corpus['bodies']} bodies "
            f"({corpus['spans_per_request']:.0f} spans/request, {corpus['spans_per_trace']:.1f} "
            f"spans/trace, {corpus['attributes_per_span']:.1f} attributes/span, "
            f"{corpus['event_fraction'] * 100:.1f}% with events, "
            f"{corpus['error_fraction'] * 100:.1f}% errors, {corpus['services']} services, "
            f"{corpus['span_names']} span names ({corpus['operations']} service+name pairs), "
            f"{corpus['bytes_per_span']:.0f} B/span on the "
            f"wire); {args.connections} connections, gzip {'on' if args.gzip else 'off'}"
        )
    print(
        f"\nIngest (medians of {args.runs} runs of {args.duration:g} s; server on CPUs "
        f"{args.server_cpus}, load on {args.load_cpus or 'any'})"
    )
    print(
        f"{'server':13} {'spans/s':>10} {'cores':>5} {'spans/core-s':>12} {'req p50 ms':>10} "
        f"{'p99 ms':>8} {'non-2xx':>7} {'disk B/span':>11}"
    )
    for kind, s in results["ingest"].items():
        print(
            f"{kind:13} {fmt(s['spans_per_s'], '10.0f')} {fmt(s['server_cores'], '5.2f')} "
            f"{fmt(s['spans_per_core_s'], '12.0f')} {fmt(s['p50_ms'], '10.2f')} "
            f"{fmt(s['p99_ms'], '8.2f')} {fmt(s['non_2xx'], '7.0f')} "
            f"{fmt(s['disk_bytes_per_span'], '11.1f')}"
        )
    for kind, why in results["skipped"].items():
        print(f"{kind:13} skipped: {why}")
    tw = results["ingest"].get("tracewire")
    ratios = {}
    for peer in ("otelcol-file", "otelcol-nop"):
        p = results["ingest"].get(peer)
        if tw and p and tw["spans_per_core_s"] and p["spans_per_core_s"]:
            ratios[peer] = tw["spans_per_core_s"] / p["spans_per_core_s"]
    results["ratios"] = ratios
    print(
        "\nRatio tracewire / otelcol, spans per server core-second (target >= 20x): "
        + (
            ", ".join(f"vs {k} {v:.1f}x" for k, v in ratios.items())
            or "- (needs tracewire and otelcol in the same run)"
        )
    )
    q = results.get("query")
    if q:
        fill = q["fill"]
        print(
            f"\nQuery ({fill['total_spans']} spans stored; filled at {fill['spans_per_s']:.0f} "
            f"spans/s, {fmt(fill['spans_per_core_s'], '.0f')} spans/core-s; disk "
            f"{q['disk_bytes_per_span']:.1f} B/span; last trace found by id "
            f"{fmt(q['searchable_after_s'], '.1f')} s after the fill)"
        )
        print(
            f"{'kind':14} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'ok':>6} "
            f"{'not found':>9} {'empty':>6} {'errors':>6}"
        )
        for kind, r in q["queries"].items():
            print(
                f"{kind:14} {r['requests']:8d} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} "
                f"{r['max_ms']:8.2f} {r['ok']:6d} {r['not_found']:9d} {r['empty']:6d} "
                f"{r['errors']:6d}"
            )
        print("(targets with 10M spans: trace by id p99 <= 5 ms, search p99 <= 100 ms)")


def cpu_layout(args):
    cpus = sorted(os.sched_getaffinity(0))
    if not args.server_cpus:
        args.server_cpus = str(cpus[0])
    if args.load_cpus is None:
        server = {int(c) for c in args.server_cpus.split(",")}
        rest = [c for c in cpus if c not in server]
        args.load_cpus = ",".join(map(str, rest)) if rest else ""


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--build-dir",
        type=Path,
        default=REPO / "build",
        help="Release build with bin/ingest_load and bin/tracewire (default: build)",
    )
    p.add_argument("--loadgen", type=Path, help="default: BUILD_DIR/bin/ingest_load")
    p.add_argument("--tracewire", type=Path, help="default: BUILD_DIR/bin/tracewire")
    p.add_argument(
        "--tracewire-cmd",
        default=DEFAULT_TRACEWIRE_CMD,
        help="tracewire's command line; {bin} {data_dir} {otlp_port} {query_port} "
        "{grpc_port} {zipkin_port} are filled in",
    )
    p.add_argument(
        "--otelcol",
        type=Path,
        default=REPO / "build/otelcol/otelcol-bench",
        help="built by scripts/build-otelcol.sh",
    )
    p.add_argument(
        "--servers", default=",".join(SERVERS), help="comma list of " + ", ".join(SERVERS)
    )
    p.add_argument("--server-cpus", default="", help="taskset list for servers (default: first)")
    p.add_argument("--load-cpus", default=None, help="taskset list for the load (default: rest)")
    p.add_argument("--connections", type=int, default=4)
    p.add_argument("--bodies", type=int, default=32, help="distinct request bodies in the corpus")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--gzip", action="store_true", help="gzip request bodies (level 1)")
    p.add_argument("--duration", type=float, help="measured seconds per run (default 10)")
    p.add_argument("--warmup", type=float, help="unmeasured seconds first (default 1)")
    p.add_argument("--runs", type=int, help="repetitions; medians are reported (default 3)")
    p.add_argument(
        "--drain-timeout",
        type=float,
        default=30.0,
        help="seconds to wait for a server to go idle after the load",
    )
    p.add_argument(
        "--query-spans",
        type=int,
        help="spans stored before the query phase (tracewire only; default 10M)",
    )
    p.add_argument("--query-requests", type=int, default=300, help="per query kind")
    p.add_argument(
        "--search-timeout",
        type=float,
        default=60.0,
        help="seconds to wait for the last trace to be found after the fill",
    )
    p.add_argument("--skip-query", action="store_true")
    p.add_argument("--data-root", type=Path, help="default: BUILD_DIR/bench-data/ingest-<time>")
    p.add_argument("--keep-data", action="store_true", help="keep data dirs and files")
    p.add_argument(
        "--quick",
        action="store_true",
        help="defaults of 3 s runs, 0.5 s warm-up, 1 run, 200k spans for the "
        "query phase (flags given still win)",
    )
    p.add_argument("--out", type=Path, help="write all results as JSON here")
    args = p.parse_args()
    defaults = (3.0, 0.5, 1, 200_000) if args.quick else (10.0, 1.0, 3, 10_000_000)
    for name, value in zip(("duration", "warmup", "runs", "query_spans"), defaults, strict=True):
        if getattr(args, name) is None:
            setattr(args, name, value)
    bin_dir = args.build_dir / "bin"
    args.loadgen = (args.loadgen or bin_dir / "ingest_load").resolve()
    args.tracewire = (args.tracewire or bin_dir / "tracewire").resolve()
    args.otelcol = args.otelcol.resolve()
    args.servers = [s for s in args.servers.split(",") if s]
    for s in args.servers:
        if s not in SERVERS:
            p.error(f"unknown server {s!r}; choose from {', '.join(SERVERS)}")
    if not args.loadgen.exists():
        p.error(
            f"{args.loadgen} does not exist; build the Release preset first "
            "(cmake --build --preset release --target ingest_load)"
        )
    return args


def check_servers(args, results):
    """Drops servers that cannot run, saying why (tracewire serve may not be built yet)."""
    for kind in list(args.servers):
        why = None
        if kind == "tracewire":
            if not args.tracewire.exists():
                why = f"tracewire is not built ({args.tracewire} does not exist)"
            else:
                probe = subprocess.run(
                    [str(args.tracewire), "serve", "--help"],
                    capture_output=True,
                    text=True,
                    timeout=30,
                )
                if probe.returncode != 0:
                    why = (
                        "`tracewire serve` is not built yet (`tracewire serve --help` exited "
                        f"{probe.returncode}: {(probe.stderr or probe.stdout).strip()[:200]})"
                    )
        elif not args.otelcol.exists():
            why = f"{args.otelcol} does not exist; run scripts/build-otelcol.sh"
        if why:
            log(f"warning: skipping {kind}: {why}")
            results["skipped"][kind] = why
            args.servers.remove(kind)
    if not args.servers:
        sys.exit("ingest.py: no server to run")


def main():
    args = parse_args()
    stamp = time.strftime("ingest-%Y%m%d-%H%M%S")
    log_dir = args.build_dir / "bench-logs" / stamp
    log_dir.mkdir(parents=True, exist_ok=True)
    cpu_layout(args)
    results = {"ingest": {}, "skipped": {}}
    check_servers(args, results)
    args.data_root = (args.data_root or args.build_dir / "bench-data" / stamp).resolve()
    args.data_root.mkdir(parents=True, exist_ok=True)
    log(
        f"servers: {', '.join(args.servers)}; server CPUs {args.server_cpus}, load CPUs "
        f"{args.load_cpus or 'any'}; logs in {log_dir}"
    )
    throughput_runs(args, log_dir, results)
    if "tracewire" in args.servers and not args.skip_query:
        query_phase(args, log_dir, results)
    report(args, results)
    out = args.out or log_dir / "results.json"
    out.write_text(
        json.dumps({"args": {k: str(v) for k, v in vars(args).items()}} | results, indent=2)
    )
    print(f"\nresults: {out}")
    if not args.keep_data:
        shutil.rmtree(args.data_root, ignore_errors=True)


if __name__ == "__main__":
    main()
