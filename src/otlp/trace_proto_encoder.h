// OTLP/protobuf encoding of ExportTraceServiceRequest straight from trace::SpanData, without the
// generated protobuf classes. Layout: opentelemetry/proto/collector/trace/v1/trace_service.proto
// (src/otlp/proto/). Spans are grouped by resource, then by scope (pointer identity).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "otlp/internal/span_grouping.h"
#include "trace/span_data.h"

namespace tracewire::otlp {

// Span.flags bits above the W3C trace flags (SpanFlags in trace.proto).
inline constexpr uint32_t kSpanFlagsHasIsRemote = 0x100;
inline constexpr uint32_t kSpanFlagsIsRemote = 0x200;

// Reusable encoder. NOT thread-safe: one per exporter thread. Hot path: once its scratch
// buffers (and `out`) have grown to the batch size, Encode allocates nothing. The output is the
// canonical encoding (fields in number order, minimal varints), byte for byte what libprotobuf
// serializes for the same message.
class TraceProtoEncoder {
 public:
  // Largest request we produce (protobuf messages must stay below 2 GiB).
  static constexpr size_t kMaxRequestBytes = (size_t{1} << 31) - 1;

  // Replaces `out` with the serialized request for `batch` (null entries are skipped).
  // Strings that are not valid UTF-8 are written with each bad byte replaced by U+FFFD.
  // Errors: RESOURCE_EXHAUSTED when the request would exceed kMaxRequestBytes.
  Status Encode(std::span<const trace::SpanData* const> batch, std::string& out);

 private:
  internal::SpanGrouping grouping_;
  // Encoded bytes per span in the last batch: sizes the output up front and guesses how many
  // bytes the length prefixes of the ResourceSpans and ScopeSpans messages will need.
  size_t span_bytes_estimate_ = 512;
};

}  // namespace tracewire::otlp
