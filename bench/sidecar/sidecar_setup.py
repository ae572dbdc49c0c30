"""The processes of the sidecar benchmark: backends, OTLP sink, HAProxy and the sidecar.

Every process is started once per benchmark and serves both protocols on its own ports: the
backends and the sink on the load generator's CPUs, HAProxy and the sidecar on the proxy CPU.
"""

import json
import os
import re
import shutil
import subprocess
import time
import urllib.request

from benchlib import free_port, log, pinned
from trpc_echo import Process, clean_env

PROTOCOLS = ("trpc", "http")

HAPROXY_CFG = """\
# Written by bench/sidecar/sidecar_bench.py: a plain TCP proxy, one thread.
global
    nbthread 1
    maxconn 4096
defaults
    mode tcp
    timeout connect 5s
    timeout client 1m
    timeout server 1m
{sections}"""

HAPROXY_SECTION = """\
frontend fe_{name}
    bind 127.0.0.1:{port}
    default_backend be_{name}
backend be_{name}
    server s1 127.0.0.1:{backend}
"""

SIDECAR_CFG = """\
# Written by bench/sidecar/sidecar_bench.py: one inbound listener per protocol, spans to the sink.
service_name: sidecar-bench
listeners:
{listeners}clusters:
{clusters}exporter:
  endpoint: "{exporter}"
sampling:
  ratio: 1.0
admin:
  address: 127.0.0.1:{admin_port}
"""


def ensure_haproxy(path, install):
    """The haproxy binary: `path` if given, else from PATH; installs Debian's haproxy with
    apt-get (as root, or through sudo) when missing and `install` is set. None if unavailable."""
    if path:
        return path if os.access(path, os.X_OK) else None
    found = shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if os.access("/usr/sbin/haproxy", os.X_OK) else None
    )
    if found or not install:
        return found
    log("installing Debian's haproxy (apt-get)")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    if sudo and not shutil.which("sudo"):
        log("warning: not root and no sudo: cannot install haproxy")
        return None
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "haproxy"],
    ):
        if subprocess.run(sudo + cmd, env=env).returncode != 0:
            log(f"warning: {' '.join(cmd)} failed")
            return None
    return shutil.which("haproxy") or "/usr/sbin/haproxy"


class Stack:
    """Everything one benchmark run talks to. `port[target][protocol]` is where the load goes;
    `pid[target]` is the process whose CPU counts (None for direct)."""

    def __init__(self, args, log_dir):
        self.args = args
        self.log_dir = log_dir
        self.procs = []
        self.port = {}
        self.pid = {"direct": None}
        self.sink = None
        self.sidecar_admin = None

    def _start(self, name, cmd, cpus, env=None):
        p = Process(name, pinned(cmd, cpus), clean_env(env or {}), self.log_dir)
        self.procs.append(p)
        return p

    def start(self):
        a = self.args
        self.sink = self._start("otlp_sink", [str(a.sink), "--port", "0", "--scan"], a.load_cpus)
        sink_port = self.sink.wait_listening_line()
        backend = {}
        trpc = self._start(
            "trpc_echo_server",
            [str(a.echo_server), "--port", "0", "--threads", "1", "--no-tracing"],
            a.load_cpus,
            {"OTEL_SDK_DISABLED": "true"},
        )
        backend["trpc"] = trpc.wait_listening_line()
        http = self._start(
            "http_echo_server",
            [str(a.http_server), "--port", "0", "--response-size", str(a.body)],
            a.load_cpus,
        )
        backend["http"] = http.wait_listening_line()
        trpc.wait_port(backend["trpc"])
        http.wait_port(backend["http"])
        self.port["direct"] = dict(backend)
        if "haproxy" in a.targets:
            self._start_haproxy(backend)
        if "sidecar" in a.targets:
            self._start_sidecar(backend, sink_port)

    def _start_haproxy(self, backend):
        ports = {proto: free_port() for proto in PROTOCOLS}
        sections = "".join(
            HAPROXY_SECTION.format(name=p, port=ports[p], backend=backend[p]) for p in PROTOCOLS
        )
        cfg = self.log_dir / "haproxy.cfg"
        cfg.write_text(HAPROXY_CFG.format(sections=sections))
        p = self._start("haproxy", [self.args.haproxy, "-db", "-f", str(cfg)], self.args.proxy_cpus)
        for port in ports.values():
            p.wait_port(port)
        self.port["haproxy"] = ports
        self.pid["haproxy"] = p.pid

    def _start_sidecar(self, backend, sink_port):
        ports = {proto: free_port() for proto in PROTOCOLS}
        self.sidecar_admin = free_port()
        listeners = "".join(
            f"  {p}_in:\n    kind: inbound\n    address: 127.0.0.1:{ports[p]}\n"
            f"    cluster: {p}_backend\n"
            for p in PROTOCOLS
        )
        clusters = "".join(
            f"  {p}_backend:\n    endpoints: [127.0.0.1:{backend[p]}]\n" for p in PROTOCOLS
        )
        if self.args.http_pool:
            # An HTTP upstream connection carries one request at a time: with fewer kept idle
            # than the load has connections, the sidecar connects afresh for many requests.
            clusters += f"    max_idle_connections: {self.args.http_pool}\n"  # the last: http
        cfg = self.log_dir / "sidecar.yaml"
        cfg.write_text(
            SIDECAR_CFG.format(
                listeners=listeners,
                clusters=clusters,
                exporter="" if self.args.no_export else f"http://127.0.0.1:{sink_port}/v1/traces",
                admin_port=self.sidecar_admin,
            )
        )
        p = self._start(
            "sidecar",
            [str(self.args.tracewire), "sidecar", "--config", str(cfg)],
            self.args.proxy_cpus,
        )
        for port in ports.values():
            p.wait_port(port)
        deadline = time.monotonic() + 15
        while self.sidecar_get("/ready") is None:
            if time.monotonic() > deadline or p.proc.poll() is not None:
                raise RuntimeError(f"the sidecar is not ready (see {p.log_path})")
            time.sleep(0.05)
        self.port["sidecar"] = ports
        self.pid["sidecar"] = p.pid

    def sidecar_get(self, path):
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{self.sidecar_admin}{path}", timeout=2
            ) as r:
                return r.read().decode() if r.status == 200 else None
        except OSError:
            return None

    def sidecar_span_counters(self):
        """{exported, dropped, export_failed}: the sidecar's span totals from /metrics."""
        text = self.sidecar_get("/metrics") or ""
        out = {}
        for key in ("exported", "dropped", "export_failed"):
            pattern = rf"^tracewire_sidecar_spans_{key}_total(?:{{[^}}]*}})?\s+([0-9.e+]+)$"
            out[key] = sum(float(m) for m in re.findall(pattern, text, re.M))
        return out

    def stop(self):
        """Stops everything; returns the sink's totals (spans received) when it printed them."""
        totals = {}
        for p in reversed(self.procs):
            tail = p.stop().strip().splitlines()
            if p is self.sink and tail and tail[-1].startswith("{"):
                totals = json.loads(tail[-1])
        return totals
