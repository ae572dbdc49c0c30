// SpanExporter: where finished spans go (OTLP over HTTP, memory, ...). Lifecycle as in the
// OpenTelemetry SDK: Export, ForceFlush, idempotent Shutdown.
#pragma once

#include <chrono>
#include <span>

#include "base/status.h"
#include "trace/span_data.h"

namespace tracewire::trace {

class SpanExporter {
 public:
  virtual ~SpanExporter() = default;

  // Exports one batch. Called from one thread at a time (the processor's). The exporter must
  // not keep the pointers after returning: copy what it needs. Returns a non-OK Status when
  // the batch was not delivered (after any retries the exporter does itself).
  virtual Status Export(std::span<const SpanData* const> batch) = 0;

  // Delivers anything buffered. Returns DEADLINE_EXCEEDED if not done within `timeout`.
  virtual Status ForceFlush(std::chrono::milliseconds timeout) { return OkStatus(); }

  // Flushes and releases resources; later Export calls fail with FAILED_PRECONDITION.
  // Idempotent.
  virtual Status Shutdown(std::chrono::milliseconds timeout) { return OkStatus(); }
};

}  // namespace tracewire::trace
