#!/usr/bin/env python3
"""The tRPC echo benchmark: tracewire (tracing off / on) against trpc-go, in one go.

For every body size and server thread count it runs, back to back and interleaved by
repetition, a closed-loop max-throughput load and an open-loop fixed-rate load against each
server, measures the server's CPU time over the measured window from /proc/PID/stat, and prints
medians and the ratios of the issue's targets. See bench/README.md ("tRPC echo benchmark").
"""

import argparse
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import time
from pathlib import Path

from benchlib import cpu_seconds, free_port, log, pinned

REPO = Path(__file__).resolve().parent.parent

SERVERS = {
    "tw-off": "tracewire, tracing off",
    "tw-on": "tracewire, tracing on (always_on, OTLP/protobuf to a local sink)",
    "trpc-go": "trpc-go (tnet), no tracing filters",
}


class Process:
    """A child process with its output in a log file; `listening` parses its address line."""

    def __init__(self, name, cmd, env, log_dir):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self.log_file = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            cmd, env=env, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True
        )

    @property
    def pid(self):
        return self.proc.pid

    def wait_listening_line(self, timeout_s=15):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for line in self.log_path.read_text().splitlines():
                if line.startswith("listening on "):
                    return int(line.rsplit(":", 1)[1])
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} did not print 'listening on' (see {self.log_path})")

    def wait_port(self, port, timeout_s=15):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{self.name} is not accepting on port {port} (see {self.log_path})")

    def stop(self, timeout_s=15):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                log(f"warning: {self.name} ignored SIGTERM for {timeout_s} s; killing it")
                self.proc.kill()
                self.proc.wait()
        self.log_file.close()
        return self.log_path.read_text()


def clean_env(extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update(extra)
    return env


def start_server(kind, threads, cpus, args, log_dir, sink_port):
    """Starts one server pinned to `cpus`; returns (Process, port)."""
    tag = f"{kind}-t{threads}"
    if kind == "trpc-go":
        port = free_port()
        cmd = [str(args.go_peer), "server", "--addr", f"127.0.0.1:{port}", "--trace=false"]
        p = Process(tag, pinned(cmd, cpus), clean_env({"GOMAXPROCS": str(threads)}), log_dir)
        p.wait_port(port)
        return p, port
    cmd = [str(args.echo_server), "--port", "0", "--threads", str(threads)]
    if kind == "tw-off":
        env = clean_env({"OTEL_SDK_DISABLED": "true"})
    else:
        env = clean_env(
            {
                "OTEL_TRACES_SAMPLER": "always_on",
                "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{sink_port}",
                "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
                "OTEL_SERVICE_NAME": "trpc.bench.echo",
            }
        )
    p = Process(tag, pinned(cmd, cpus), env, log_dir)
    port = p.wait_listening_line()
    p.wait_port(port)
    return p, port


def run_load(
    args, port, server_pid, body, mode, pipeline=1, rate=0.0, cpus=None, sink_pid=None, extra=()
):
    """One load-generator run; returns its JSON result plus CPU figures of the window.
    `extra`: more trpc_echo_load flags (e.g. ["--protocol", "http"])."""
    cmd = [
        str(args.loadgen),
        "--addr",
        f"127.0.0.1:{port}",
        "--connections",
        str(args.connections),
        "--body-size",
        str(body),
        "--duration-s",
        str(args.duration),
        "--warmup-s",
        str(args.warmup),
        "--mode",
        mode,
        "--threads",
        str(args.load_threads),
    ]
    cmd += ["--pipeline", str(pipeline)] if mode == "closed" else ["--rate", f"{rate:.0f}"]
    cmd += list(extra)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.Popen(
        pinned(cmd, cpus), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # The window opens once the connections are up (milliseconds after start).
    time.sleep(max(0.0, started + args.warmup + 0.02 - time.monotonic()))
    cpu0 = cpu_seconds(server_pid)
    sink0 = cpu_seconds(sink_pid) if sink_pid else 0.0
    time.sleep(max(0.0, started + args.warmup + 0.02 + args.duration - time.monotonic()))
    cpu1 = cpu_seconds(server_pid)
    sink1 = cpu_seconds(sink_pid) if sink_pid else 0.0
    out, err = proc.communicate(timeout=args.duration + args.warmup + 60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = None
    for line in out.splitlines():
        if line.startswith("{"):
            result = json.loads(line)
    if proc.returncode != 0 or result is None:
        raise RuntimeError(f"trpc_echo_load failed ({proc.returncode}): {err.strip()}")
    cpu = cpu1 - cpu0
    result["server_cpu_s"] = cpu
    result["server_cores"] = cpu / args.duration
    result["rps_per_core"] = result["rps"] / (cpu / args.duration) if cpu > 0 else None
    result["cpu_s_per_100k"] = cpu / result["requests"] * 1e5 if result["requests"] else None
    result["sink_cpu_s"] = sink1 - sink0
    result["loadgen_cpu_s"] = (after.ru_utime - before.ru_utime) + (
        after.ru_stime - before.ru_stime
    )
    return result


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(runs):
    keys = [
        "rps",
        "p50_us",
        "p99_us",
        "p999_us",
        "max_us",
        "server_cores",
        "rps_per_core",
        "cpu_s_per_100k",
        "errors",
        "sink_cpu_s",
        "loadgen_cpu_s",
    ]
    return {k: median([r.get(k) for r in runs]) for k in keys} | {"runs": len(runs)}


def cpu_layout(threads):
    """(server cpus, load-generator cpus) as taskset lists, or None where we cannot pin."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < threads:
        return None, None
    server = ",".join(map(str, cpus[:threads]))
    rest = cpus[threads:]
    return server, (",".join(map(str, rest)) if rest else None)


def run_matrix(args, log_dir):
    results = {"closed": {}, "open": {}, "rates": {}, "sink": {}}
    for threads in args.threads:
        server_cpus, load_cpus = cpu_layout(threads)
        log(
            f"== server threads {threads}: server on CPUs {server_cpus or 'any'}, "
            f"load generator on {load_cpus or 'any'}"
        )
        sink = None
        procs = {}
        try:
            if "tw-on" in args.servers:
                sink = Process(
                    f"otlp_sink-t{threads}",
                    pinned([str(args.sink), "--port", "0", "--scan"], load_cpus),
                    clean_env({}),
                    log_dir,
                )
                sink_port = sink.wait_listening_line()
            for kind in args.servers:
                procs[kind] = start_server(
                    kind, threads, server_cpus, args, log_dir, sink_port if sink else None
                )
            for body in args.bodies:
                closed = {k: {p: [] for p in args.pipelines} for k in args.servers}
                for rep in range(args.runs):
                    for kind in args.servers:
                        proc, port = procs[kind]
                        for pl in args.pipelines:
                            r = run_load(
                                args,
                                port,
                                proc.pid,
                                body,
                                "closed",
                                pipeline=pl,
                                cpus=load_cpus,
                                sink_pid=sink.pid if kind == "tw-on" else None,
                            )
                            closed[kind][pl].append(r)
                            log(
                                f"  closed {kind:8} body {body:5} thr {threads} pipe {pl} "
                                f"rep {rep + 1}: {r['rps']:9.0f} req/s, "
                                f"{r['server_cores']:.2f} cores, {r['errors']} errors"
                            )
                for kind in args.servers:
                    best = max(
                        args.pipelines, key=lambda pl: median([r["rps"] for r in closed[kind][pl]])
                    )
                    s = summarize(closed[kind][best]) | {"pipeline": best}
                    results["closed"][f"{kind}|{body}|{threads}"] = s
                rate = open_rate(args, results, body, threads)
                results["rates"][f"{body}|{threads}"] = rate
                opened = {k: [] for k in args.servers}
                for rep in range(args.runs):
                    for kind in args.servers:
                        proc, port = procs[kind]
                        r = run_load(
                            args,
                            port,
                            proc.pid,
                            body,
                            "open",
                            rate=rate,
                            cpus=load_cpus,
                            sink_pid=sink.pid if kind == "tw-on" else None,
                        )
                        opened[kind].append(r)
                        log(
                            f"  open   {kind:8} body {body:5} thr {threads} @{rate:.0f} "
                            f"rep {rep + 1}: p50 {r['p50_us']} us, p99 {r['p99_us']} us, "
                            f"{r['errors']} errors"
                        )
                for kind in args.servers:
                    results["open"][f"{kind}|{body}|{threads}"] = summarize(opened[kind])
        finally:
            for proc, _ in procs.values():
                proc.stop()
            if sink:
                tail = sink.stop().strip().splitlines()
                totals = json.loads(tail[-1]) if tail and tail[-1].startswith("{") else {}
                results["sink"][str(threads)] = totals
    return results


def open_rate(args, results, body, threads):
    """The open-loop rate: --rate if given, else --rate-fraction of trpc-go's closed-loop
    median (or of the slowest server's when trpc-go is not in the run)."""
    if args.rate:
        return args.rate
    go = results["closed"].get(f"trpc-go|{body}|{threads}")
    if go and go["rps"]:
        return args.rate_fraction * go["rps"]
    slowest = min(results["closed"][f"{k}|{body}|{threads}"]["rps"] for k in args.servers)
    return args.rate_fraction * slowest


def fmt(v, spec):
    return format(v, spec) if v is not None else "-"


def ratio(a, b):
    return a / b if a is not None and b else None


def report(args, results):
    print(
        f"\nClosed loop (max throughput; medians of {args.runs} runs; "
        f"{args.connections} connections)"
    )
    print(
        f"{'server':8} {'body':>5} {'thr':>3} {'pipe':>4} {'req/s':>9} {'cores':>5} "
        f"{'req/s/core':>10} {'cpu s/100k':>10} {'p99 us':>8} {'errors':>6}"
    )
    for key, s in results["closed"].items():
        kind, body, threads = key.split("|")
        print(
            f"{kind:8} {body:>5} {threads:>3} {s['pipeline']:>4} {fmt(s['rps'], '9.0f')} "
            f"{fmt(s['server_cores'], '5.2f')} {fmt(s['rps_per_core'], '10.0f')} "
            f"{fmt(s['cpu_s_per_100k'], '10.3f')} {fmt(s['p99_us'], '8.0f')} "
            f"{fmt(s['errors'], '6.0f')}"
        )
    print("\nOpen loop (fixed rate; latency from the scheduled send time; medians)")
    print(
        f"{'server':8} {'body':>5} {'thr':>3} {'rate':>7} {'req/s':>9} {'p50 us':>8} "
        f"{'p99 us':>8} {'p99.9 us':>8} {'cpu s/100k':>10} {'errors':>6}"
    )
    for key, s in results["open"].items():
        kind, body, threads = key.split("|")
        rate = results["rates"][f"{body}|{threads}"]
        print(
            f"{kind:8} {body:>5} {threads:>3} {rate:7.0f} {fmt(s['rps'], '9.0f')} "
            f"{fmt(s['p50_us'], '8.1f')} {fmt(s['p99_us'], '8.1f')} "
            f"{fmt(s['p999_us'], '8.1f')} {fmt(s['cpu_s_per_100k'], '10.3f')} "
            f"{fmt(s['errors'], '6.0f')}"
        )
    print(
        "\nRatios (targets: tracewire/trpc-go per core >= 2.0x; tracing on: <= 5% throughput, "
        "<= 10 us p99)"
    )
    ratios = {}
    for body in args.bodies:
        for threads in args.threads:
            # Summaries of this body size and thread count, by server (None: not run).
            c = {k: results["closed"].get(f"{k}|{body}|{threads}") for k in SERVERS}
            o = {k: results["open"].get(f"{k}|{body}|{threads}") for k in SERVERS}
            row = {}
            if c["tw-off"] and c["trpc-go"]:
                row["tw_vs_go_per_core"] = ratio(
                    c["tw-off"]["rps_per_core"], c["trpc-go"]["rps_per_core"]
                )
                row["tw_vs_go_rps"] = ratio(c["tw-off"]["rps"], c["trpc-go"]["rps"])
            if c["tw-off"] and c["tw-on"]:
                off, on = c["tw-off"], c["tw-on"]
                row["tracing_rps_change_pct"] = (on["rps"] / off["rps"] - 1) * 100
                if on["rps_per_core"] and off["rps_per_core"]:
                    row["tracing_per_core_change_pct"] = (
                        on["rps_per_core"] / off["rps_per_core"] - 1
                    ) * 100
            if o["tw-off"] and o["tw-on"]:
                row["tracing_p99_delta_us"] = o["tw-on"]["p99_us"] - o["tw-off"]["p99_us"]
                row["tracing_p50_delta_us"] = o["tw-on"]["p50_us"] - o["tw-off"]["p50_us"]
            ratios[f"{body}|{threads}"] = row
            print(
                f"body {body:5} thr {threads}: "
                f"tracewire-off/trpc-go per core {fmt(row.get('tw_vs_go_per_core'), '.2f')}x "
                f"(req/s {fmt(row.get('tw_vs_go_rps'), '.2f')}x); tracing on: throughput "
                f"{fmt(row.get('tracing_rps_change_pct'), '+.1f')}% (per core "
                f"{fmt(row.get('tracing_per_core_change_pct'), '+.1f')}%), p99 "
                f"{fmt(row.get('tracing_p99_delta_us'), '+.1f')} us, p50 "
                f"{fmt(row.get('tracing_p50_delta_us'), '+.1f')} us"
            )
    for threads, totals in results["sink"].items():
        print(f"otlp_sink (server threads {threads}): {json.dumps(totals)}")
    results["ratios"] = ratios


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--build-dir",
        type=Path,
        default=REPO / "build",
        help="Release build with bin/trpc_echo_load, bin/otlp_sink, "
        "bin/trpc_echo_server (default: build)",
    )
    p.add_argument("--go-peer", type=Path, default=REPO / "build/go/trpc-go-peer")
    p.add_argument("--echo-server", type=Path, help="default: BUILD_DIR/bin/trpc_echo_server")
    p.add_argument("--loadgen", type=Path, help="default: BUILD_DIR/bin/trpc_echo_load")
    p.add_argument("--sink", type=Path, help="default: BUILD_DIR/bin/otlp_sink")
    p.add_argument(
        "--servers", default="tw-off,tw-on,trpc-go", help="comma list of " + ", ".join(SERVERS)
    )
    p.add_argument("--bodies", default="64,4096", help="body sizes in bytes")
    p.add_argument("--threads", default="1,2", help="server thread counts (pinned cores)")
    p.add_argument(
        "--pipelines",
        default="1,4",
        help="closed-loop in-flight requests per connection to try; the best counts",
    )
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--load-threads", type=int, default=1, help="load generator threads")
    p.add_argument("--duration", type=float, default=10.0, help="measured seconds per run")
    p.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds per run")
    p.add_argument("--runs", type=int, default=3, help="repetitions; medians are reported")
    p.add_argument("--rate", type=float, help="open-loop req/s (default: see --rate-fraction)")
    p.add_argument(
        "--rate-fraction",
        type=float,
        default=0.5,
        help="open-loop rate as a fraction of trpc-go's closed-loop req/s",
    )
    p.add_argument("--quick", action="store_true", help="2 s runs, 0.5 s warm-up, 1 repetition")
    p.add_argument("--out", type=Path, help="write all results as JSON here")
    args = p.parse_args()
    if args.quick:
        args.duration, args.warmup, args.runs = 2.0, 0.5, 1
    bin_dir = args.build_dir / "bin"
    args.echo_server = args.echo_server or bin_dir / "trpc_echo_server"
    args.loadgen = args.loadgen or bin_dir / "trpc_echo_load"
    args.sink = args.sink or bin_dir / "otlp_sink"
    args.servers = [s for s in args.servers.split(",") if s]
    args.bodies = [int(b) for b in args.bodies.split(",")]
    args.threads = [int(t) for t in args.threads.split(",")]
    args.pipelines = [int(x) for x in args.pipelines.split(",")]
    for s in args.servers:
        if s not in SERVERS:
            p.error(f"unknown server {s!r}; choose from {', '.join(SERVERS)}")
    needed = {"tw-off": args.echo_server, "tw-on": args.echo_server, "trpc-go": args.go_peer}
    missing = [s for s in args.servers if not needed[s].exists()]
    for s in missing:
        log(f"warning: skipping {s}: {needed[s]} does not exist")
    args.servers = [s for s in args.servers if s not in missing]
    if not args.servers:
        p.error("no server to run")
    for tool in (args.loadgen, args.sink):
        if not tool.exists():
            p.error(f"{tool} does not exist; build the Release preset first")
    return args


def main():
    args = parse_args()
    log_dir = args.build_dir / "bench-logs" / time.strftime("trpc_echo-%Y%m%d-%H%M%S")
    log_dir.mkdir(parents=True, exist_ok=True)
    log(f"servers: {', '.join(args.servers)}; logs in {log_dir}")
    log(
        f"machine: {os.cpu_count()} CPUs; 'one thread' = one pinned core, the load generator "
        "shares the machine, so figures are comparative, not absolute"
    )
    results = run_matrix(args, log_dir)
    report(args, results)
    out = args.out or log_dir / "results.json"
    out.write_text(
        json.dumps({"args": {k: str(v) for k, v in vars(args).items()}} | results, indent=2)
    )
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
