"""Log correlation for the standard `logging` module: every record gets the ids of the span
current where it was logged, as lower-case hex (32 and 16 chars; empty strings when there is no
valid span), ready for formats and for the OTLP log export (telemetry.py), which takes the span
context from the same place.

    handler.addFilter(TraceContextFilter())
    handler.setFormatter(TraceFormatter())   # or JsonFormatter() for one JSON object a line
"""

from __future__ import annotations

import json
import logging
from typing import Any

from opentelemetry import trace

TEXT_FORMAT = (
    "%(asctime)s %(levelname)s %(name)s trace_id=%(trace_id)s span_id=%(span_id)s %(message)s"
)


def _add_ids(record: logging.LogRecord) -> None:
    if hasattr(record, "trace_id"):
        return  # already set (several handlers, or the caller's own `extra`)
    sc = trace.get_current_span().get_span_context()
    if sc.is_valid:
        record.trace_id = f"{sc.trace_id:032x}"
        record.span_id = f"{sc.span_id:016x}"
        record.trace_sampled = sc.trace_flags.sampled
    else:
        record.trace_id = ""
        record.span_id = ""
        record.trace_sampled = False


class TraceContextFilter(logging.Filter):
    """Adds trace_id, span_id and trace_sampled to each record; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        _add_ids(record)
        return True


class TraceFormatter(logging.Formatter):
    """A text formatter whose default format shows the ids; works without the filter too."""

    def __init__(self, fmt: str | None = None, datefmt: str | None = None) -> None:
        super().__init__(fmt or TEXT_FORMAT, datefmt)

    def format(self, record: logging.LogRecord) -> str:
        _add_ids(record)
        return super().format(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (ISO 8601), level, logger, message, trace_id, span_id,
    the exception's text when there is one, and the record's `extra` fields."""

    _STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        _add_ids(record)
        out: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in self._STANDARD:
                out[key] = value if isinstance(value, str | int | float | bool) else repr(value)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)
