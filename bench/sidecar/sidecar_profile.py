"""`sidecar_bench.py --profile`: perf record of the sidecar under open-loop load, per protocol.

`perf record -e cpu-clock --call-graph dwarf` (software clock: works without hardware counters)
on the sidecar's PID for the length of one load run; then `perf report` by symbol, self time
(--no-children) and inclusive (--children). Text reports and perf.data stay in the log dir.
"""

import re
import shutil
import subprocess

from benchlib import log, pinned
from trpc_echo import run_load

LINE = re.compile(r"^\s+([0-9.]+)%\s+(?:([0-9.]+)%\s+)?(\S+)\s+(\S+)\s+\[(.)\]\s+(.*)$")


def top_frames(report_text, limit=25):
    """[(percent, dso, symbol)] from a `perf report --stdio -g none` listing, first column."""
    rows = []
    for line in report_text.splitlines():
        m = LINE.match(line)
        if m:
            rows.append((float(m.group(1)), m.group(4), m.group(6).strip()))
    return rows[:limit]


def perf_report(data, children):
    cmd = ["perf", "report", "--stdio", "-i", str(data), "-g", "none", "--sort", "comm,dso,symbol"]
    cmd += ["--children"] if children else ["--no-children"]
    cmd += ["--percent-limit", "0.3"]
    return subprocess.run(cmd, capture_output=True, text=True).stdout


def profile_sidecar(args, stack, log_dir):
    if not shutil.which("perf"):
        log("warning: no perf: skipping the profile")
        return {}
    pid = stack.pid["sidecar"]
    result = {}
    for proto in args.protocols:
        data = log_dir / f"perf-{proto}.data"
        seconds = args.warmup + args.duration + 0.5
        perf = subprocess.Popen(
            pinned(
                [
                    "perf",
                    "record",
                    "-q",
                    "-e",
                    "cpu-clock",
                    "--call-graph",
                    "dwarf,16384",
                    "-p",
                    str(pid),
                    "-o",
                    str(data),
                    "--",
                    "sleep",
                    f"{seconds:.1f}",
                ],
                args.load_cpus,
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        r = run_load(
            args,
            stack.port["sidecar"][proto],
            pid,
            args.body,
            "open",
            rate=args.profile_rate,
            cpus=args.load_cpus,
            extra=["--protocol", proto],
        )
        _, err = perf.communicate(timeout=seconds + 120)
        if perf.returncode != 0:
            log(f"warning: perf record failed: {err.strip()}")
            continue
        self_text = perf_report(data, children=False)
        incl_text = perf_report(data, children=True)
        (log_dir / f"perf-{proto}-self.txt").write_text(self_text)
        (log_dir / f"perf-{proto}-children.txt").write_text(incl_text)
        result[proto] = {
            "rate": args.profile_rate,
            "cores": r["server_cores"],
            "p50_us": r["p50_us"],
            "p99_us": r["p99_us"],
            "self": top_frames(self_text),
            "children": top_frames(incl_text, 40),
        }
        print(
            f"\nsidecar profile, {proto} at {args.profile_rate:g} req/s "
            f"({r['server_cores']:.3f} cores): top self frames"
        )
        for pct, dso, sym in result[proto]["self"]:
            print(f"  {pct:6.2f}%  {dso:22.22} {sym[:110]}")
    return result
