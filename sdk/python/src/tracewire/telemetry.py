"""OpenTelemetry set-up from the standard OTEL_* variables, for services using this SDK.

`configure()` installs (globally) a TracerProvider and a LoggerProvider of the official SDK:
- resource: OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES (the SDK's Resource.create);
- sampler: OTEL_TRACES_SAMPLER / _ARG (read by the SDK's TracerProvider);
- exporters: OTEL_TRACES_EXPORTER / OTEL_LOGS_EXPORTER = otlp (default), console or none; OTLP
  over HTTP/protobuf, configured by OTEL_EXPORTER_OTLP_ENDPOINT, _TRACES_/_LOGS_ENDPOINT,
  _HEADERS, _COMPRESSION, _TIMEOUT (read by the exporters); batch processors (OTEL_BSP_*,
  OTEL_BLRP_*);
- propagators: OTEL_PROPAGATORS (tracecontext, baggage, b3, b3multi, grpc-trace-bin; default
  tracecontext,baggage) as the global TextMap propagator;
- OTEL_SDK_DISABLED=true: nothing is installed, the API stays a no-op.
With `logs=True` a handler on the root logger exports every record over OTLP with the trace and
span ids of where it was logged.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import warnings

from opentelemetry import propagate, trace
from opentelemetry._logs import set_logger_provider
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import (
    BatchLogRecordProcessor,
    ConsoleLogRecordExporter,
    LogRecordExporter,
)
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

from tracewire.propagation import propagator_from_env

_log = logging.getLogger("tracewire.telemetry")


@dataclasses.dataclass
class Telemetry:
    """What configure() installed; shutdown() flushes and stops both providers."""

    tracer_provider: TracerProvider | None
    logger_provider: LoggerProvider | None
    log_handler: logging.Handler | None

    def shutdown(self) -> None:
        if self.log_handler is not None:
            logging.getLogger().removeHandler(self.log_handler)
        if self.logger_provider is not None:
            self.logger_provider.shutdown()
        if self.tracer_provider is not None:
            self.tracer_provider.shutdown()


def _exporter_names(variable: str) -> list[str]:
    value = os.environ.get(variable, "otlp").strip().lower() or "otlp"
    return [n.strip() for n in value.split(",") if n.strip() and n.strip() != "none"]


def _span_exporter(name: str) -> SpanExporter | None:
    if name == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    if name == "console":
        return ConsoleSpanExporter()
    _log.warning("OTEL_TRACES_EXPORTER: %r is not supported (otlp, console, none)", name)
    return None


def _log_exporter(name: str) -> LogRecordExporter | None:
    if name == "otlp":
        from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter

        return OTLPLogExporter()
    if name == "console":
        return ConsoleLogRecordExporter()
    _log.warning("OTEL_LOGS_EXPORTER: %r is not supported (otlp, console, none)", name)
    return None


def configure(
    service_name: str | None = None, *, logs: bool = True, log_level: int = logging.INFO
) -> Telemetry:
    """Installs the providers described above; `service_name` is used when OTEL_SERVICE_NAME
    is unset. Call once at start-up; call Telemetry.shutdown() before exit."""
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return Telemetry(None, None, None)
    protocol = os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
    if protocol != "http/protobuf":
        _log.warning("OTEL_EXPORTER_OTLP_PROTOCOL=%s: only http/protobuf is sent", protocol)
    attributes = {}
    if service_name and not os.environ.get("OTEL_SERVICE_NAME"):
        attributes[SERVICE_NAME] = service_name
    resource = Resource.create(attributes)

    tracer_provider = TracerProvider(resource=resource)
    for name in _exporter_names("OTEL_TRACES_EXPORTER"):
        exporter = _span_exporter(name)
        if exporter is not None:
            tracer_provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(tracer_provider)
    propagate.set_global_textmap(propagator_from_env())

    logger_provider = None
    handler = None
    if logs:
        logger_provider = LoggerProvider(resource=resource)
        for name in _exporter_names("OTEL_LOGS_EXPORTER"):
            log_exporter = _log_exporter(name)
            if log_exporter is not None:
                logger_provider.add_log_record_processor(BatchLogRecordProcessor(log_exporter))
        set_logger_provider(logger_provider)
        with (
            warnings.catch_warnings()
        ):  # the SDK's handler is deprecated in favour of a contrib one
            warnings.simplefilter("ignore", DeprecationWarning)
            handler = LoggingHandler(level=log_level, logger_provider=logger_provider)
        root = logging.getLogger()
        root.addHandler(handler)
        if root.level > log_level or root.level == logging.NOTSET:
            root.setLevel(log_level)
    return Telemetry(tracer_provider, logger_provider, handler)
