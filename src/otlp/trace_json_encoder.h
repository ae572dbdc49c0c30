// OTLP/JSON encoding of ExportTraceServiceRequest (OTLP spec, "JSON Protobuf Encoding"):
// the proto3 JSON mapping with lowerCamelCase keys, trace/span ids as lower-case hex (not
// base64), enums as integers, 64-bit integers as decimal strings, default values omitted.
#pragma once

#include <span>
#include <string>

#include "otlp/internal/span_grouping.h"
#include "trace/span_data.h"

namespace tracewire::otlp {

// Reusable encoder. NOT thread-safe: one per exporter thread. Hot path: once `out` and the
// grouping buffers have grown to the batch size, Encode allocates nothing.
class TraceJsonEncoder {
 public:
  // Replaces `out` with the JSON request for `batch` (null entries are skipped). Invalid UTF-8
  // in strings is written as U+FFFD, so `out` is always valid JSON.
  void Encode(std::span<const trace::SpanData* const> batch, std::string& out);

 private:
  internal::SpanGrouping grouping_;
};

}  // namespace tracewire::otlp
