"""Real C++ peers for the interop tests: `tracewire serve` (OTLP receiver + store + query API)
and `trpc_echo_server`, started on port 0 with a temp data dir; their binaries come from the
TRACEWIRE_BIN and TRPC_ECHO_SERVER_BIN variables (tests/sdk_python sets them under ctest)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from typing import Any

TRACEWIRE_BIN = os.environ.get("TRACEWIRE_BIN", "")
ECHO_BIN = os.environ.get("TRPC_ECHO_SERVER_BIN", "")


def _wait_for_lines(
    log_path: str, proc: subprocess.Popen[bytes], patterns: list[str], timeout: float = 20.0
) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = open(log_path, encoding="utf-8", errors="replace").read()
        found = [re.search(p, text) for p in patterns]
        if all(found):
            return [m.group(1) for m in found if m is not None]
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited {proc.returncode}:\n{text}")
        time.sleep(0.05)
    raise TimeoutError(f"{proc.args} did not start:\n{open(log_path).read()}")


class Peer:
    def __init__(self, argv: list[str], env: dict[str, str], patterns: list[str]) -> None:
        self.dir = tempfile.mkdtemp(prefix="tw-sdk-python.")
        self.log_path = os.path.join(self.dir, "log")
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [a.replace("{dir}", self.dir) for a in argv],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **env},
            )
        self.found = _wait_for_lines(self.log_path, self.proc, patterns)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self) -> str:
        return open(self.log_path, encoding="utf-8", errors="replace").read()


class Serve(Peer):
    """`tracewire serve`: .otlp_http is the OTLP/HTTP base URL, .query the query API's."""

    def __init__(self) -> None:
        super().__init__(
            [
                TRACEWIRE_BIN,
                "serve",
                "--data-dir",
                "{dir}/data",
                "--otlp-grpc",
                "127.0.0.1:0",
                "--otlp-http",
                "127.0.0.1:0",
                "--zipkin",
                "127.0.0.1:0",
                "--http",
                "127.0.0.1:0",
            ],
            {},
            [r"otlp http listening on ([\d.:]+)", r"query API\) listening on ([\d.:]+)"],
        )
        self.otlp_http = f"http://{self.found[0]}"
        self.query = f"http://{self.found[1]}"

    def get(self, path: str) -> Any:
        try:
            with urllib.request.urlopen(self.query + path, timeout=5) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return None
            raise

    def spans(self, trace_id: str, want: int, timeout: float = 15.0) -> list[dict[str, Any]]:
        """The trace's spans (each with "service" added) once at least `want` are stored."""
        deadline = time.monotonic() + timeout
        spans: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            doc = self.get(f"/api/v1/traces/{trace_id}") or {}
            spans = []
            for rs in doc.get("resourceSpans", []):
                attrs = {a["key"]: a["value"] for a in rs["resource"].get("attributes", [])}
                service = attrs.get("service.name", {}).get("stringValue", "")
                for ss in rs.get("scopeSpans", []):
                    spans += [dict(s, service=service) for s in ss.get("spans", [])]
            if len(spans) >= want:
                return spans
            time.sleep(0.1)
        raise AssertionError(f"trace {trace_id}: {len(spans)} of {want} spans: {spans}")

    def logs(self, trace_id: str, want: int, timeout: float = 15.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        records: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            doc = self.get(f"/api/v1/traces/{trace_id}/logs") or {}
            records = [
                r
                for rl in doc.get("resourceLogs", [])
                for sl in rl.get("scopeLogs", [])
                for r in sl.get("logRecords", [])
            ]
            if len(records) >= want:
                return records
            time.sleep(0.1)
        raise AssertionError(f"trace {trace_id}: {len(records)} of {want} log records")


class EchoServer(Peer):
    """trpc_echo_server traced (service cpp-echo), exporting to `otlp_http`."""

    def __init__(self, otlp_http: str, downstream: str | None = None, inject: str = "text") -> None:
        argv = [ECHO_BIN, "--port", "0", "--inject", inject]
        if downstream:
            argv += ["--downstream", downstream]
        super().__init__(
            argv,
            {
                "OTEL_SERVICE_NAME": "cpp-echo",
                "OTEL_EXPORTER_OTLP_ENDPOINT": otlp_http,
                "OTEL_BSP_SCHEDULE_DELAY": "50",
            },
            [r"listening on [\d.]+:(\d+)"],
        )
        self.port = int(self.found[0])


def tracewire_call(otlp_http: str, port: int, func: str, data: str, inject: str) -> str:
    """Runs `tracewire call` (service cpp-call) and returns the trace id it prints."""
    out = subprocess.run(
        [TRACEWIRE_BIN, "call", f"127.0.0.1:{port}", func, "--data", data, "--inject", inject],
        env={
            **os.environ,
            "OTEL_SERVICE_NAME": "cpp-call",
            "OTEL_EXPORTER_OTLP_ENDPOINT": otlp_http,
        },
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    m = re.search(r"trace_id: ([0-9a-f]{32})", out.stdout)
    assert m, f"tracewire call printed:\n{out.stdout}{out.stderr}"
    return m.group(1)
