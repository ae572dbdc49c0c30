"""Small helpers the Python benchmark drivers share: logging, ports, CPU time, pinning."""

import os
import socket
import sys

CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    """A loopback TCP port that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """utime + stime of every thread of `pid`, in seconds (fields 14 and 15 of /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def pinned(cmd, cpus):
    """`cmd` run under taskset on the CPU list `cpus` (unpinned when empty)."""
    return (["taskset", "-c", cpus] + cmd) if cpus else cmd
