// SpanProcessor: the hooks a recording span passes through (OTel SDK SpanProcessor), plus
// ownership of the SpanData objects so a processor can recycle them.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "base/status.h"
#include "trace/context.h"
#include "trace/span_data.h"

namespace tracewire::trace {

class SpanProcessor {
 public:
  virtual ~SpanProcessor() = default;

  // Returns a SpanData for a new recording span; the SDK owns it until it hands it back in
  // OnEnd. It may still hold an earlier span's data: the SDK overwrites every field, reusing
  // string and vector capacity. Hot path, any thread.
  virtual std::unique_ptr<SpanData> AcquireSpanData() { return std::make_unique<SpanData>(); }

  // A recording span started. Identity, name, kind, start time and flags are final; the
  // attribute, event and link vectors are complete only at OnEnd. Hot path, any thread.
  virtual void OnStart(const SpanData& span, const Context& parent) {}

  // A recording span ended (sampled or record-only: check span.flags). Takes ownership.
  // Hot path, any thread; must never block on I/O.
  virtual void OnEnd(std::unique_ptr<SpanData> span) = 0;

  // Exports everything ended before the call. DEADLINE_EXCEEDED after `timeout`.
  virtual Status ForceFlush(std::chrono::milliseconds timeout) = 0;

  // Flushes, shuts the exporter down, and drops spans ended afterwards. Idempotent.
  virtual Status Shutdown(std::chrono::milliseconds timeout) = 0;
};

// Fans every span out to several processors, in order; each gets its own copy.
std::unique_ptr<SpanProcessor> MakeMultiSpanProcessor(
    std::vector<std::unique_ptr<SpanProcessor>> processors);

}  // namespace tracewire::trace
