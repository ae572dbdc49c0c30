"""Every case of testdata/propagation/*.json (schema in its README): extract from the carrier
gives `expect`, inject of that context into an empty carrier gives exactly `reinject`."""

from __future__ import annotations

import pathlib
from typing import Any

import pytest
from conftest import TESTDATA, load_json
from opentelemetry import baggage, trace
from opentelemetry.propagators.textmap import Getter, Setter, TextMapPropagator
from tracewire.propagation import GrpcTraceBinPropagator, propagator_from_env

Headers = list[tuple[str, str]]


class HeaderGetter(Getter[Headers]):
    """HTTP-like: names match in any case, values lose leading/trailing OWS."""

    def get(self, carrier: Headers, key: str) -> list[str] | None:
        found = [v.strip(" \t") for k, v in carrier if k.lower() == key.lower()]
        return found or None

    def keys(self, carrier: Headers) -> list[str]:
        return [k for k, _ in carrier]


class DictSetter(Setter[dict[str, str]]):
    def set(self, carrier: dict[str, str], key: str, value: str) -> None:
        carrier[key] = value


def _value(v: str) -> str:
    """ "hex:..." is raw bytes (as latin-1 text, the carrier convention); else the string."""
    return bytes.fromhex(v[4:]).decode("latin-1") if v.startswith("hex:") else v


def _carrier(spec: dict[str, Any]) -> Headers:
    out: Headers = []
    for name, value in spec.items():
        for v in value if isinstance(value, list) else [value]:
            out.append((name, _value(v)))
    return out


def _cases() -> list[Any]:
    out = []
    for path in sorted(pathlib.Path(TESTDATA / "propagation").glob("*.json")):
        doc = load_json(f"propagation/{path.name}")
        for case in doc["cases"]:
            out.append(pytest.param(doc["propagator"], case, id=f"{path.stem}: {case['name']}"))
    return out


CASES = _cases()


def _propagator(name: str, case: dict[str, Any]) -> TextMapPropagator:
    if case.get("binary_inject") == "base64":
        return GrpcTraceBinPropagator(base64=True)
    return propagator_from_env(name)


@pytest.mark.parametrize(("name", "case"), CASES)
def test_vector(name: str, case: dict[str, Any]) -> None:
    assert case["spec_rule"]
    propagator = _propagator(name, case)
    ctx = propagator.extract(_carrier(case["carrier"]), getter=HeaderGetter())
    expect = case["expect"]
    sc = trace.get_current_span(ctx).get_span_context()
    assert sc.is_valid == expect["valid"]
    if sc.is_valid:
        assert f"{sc.trace_id:032x}" == expect["trace_id"]
        assert f"{sc.span_id:016x}" == expect["span_id"]
        assert f"{sc.trace_flags:02x}" == expect["flags"]
        assert sc.trace_flags.sampled == expect["sampled"]
        assert sc.is_remote
        assert [list(m) for m in sc.trace_state.items()] == expect.get("trace_state", [])
    got_baggage = [
        {"key": k, "value": v, "metadata": getattr(v, "metadata", "")}
        for k, v in baggage.get_all(ctx).items()
    ]
    assert got_baggage == expect.get("baggage", [])

    out: dict[str, str] = {}
    propagator.inject(out, ctx, DictSetter())
    assert out == {k: _value(v) for k, v in case["reinject"].items()}


def test_every_file_is_read() -> None:
    assert len({p.values[0] for p in CASES}) >= 6
    assert len(CASES) >= 100


def test_the_official_otel_propagators_loader_finds_grpc_trace_bin() -> None:
    import subprocess
    import sys

    code = (
        "from opentelemetry import propagate;print(sorted(propagate.get_global_textmap().fields))"
    )
    env = {"OTEL_PROPAGATORS": "tracecontext,grpc-trace-bin", "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert "grpc-trace-bin" in out.stdout and "traceparent" in out.stdout, out.stderr
