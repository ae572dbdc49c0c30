// SpanData: a finished span as processors and exporters see it (the OTLP Span model).
// A plain value so every exporter and test can build one; the SDK recycles SpanData objects
// between spans, so its vectors and strings keep their capacity and steady-state spans do not
// allocate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "trace/attribute.h"
#include "trace/ids.h"
#include "trace/resource.h"
#include "trace/span_context.h"
#include "trace/trace_state.h"

namespace tracewire::trace {

// Numbered as OTLP's Span.SpanKind.
enum class SpanKind : uint8_t {
  kUnspecified = 0,
  kInternal = 1,
  kServer = 2,
  kClient = 3,
  kProducer = 4,
  kConsumer = 5,
};

// Numbered as OTLP's Status.StatusCode.
enum class SpanStatusCode : uint8_t { kUnset = 0, kOk = 1, kError = 2 };

struct SpanStatus {
  SpanStatusCode code = SpanStatusCode::kUnset;
  std::string message;  // only meaningful with kError

  friend bool operator==(const SpanStatus&, const SpanStatus&) = default;
};

struct SpanEvent {
  std::string name;
  uint64_t time_unix_nano = 0;
  Attributes attributes;
  uint32_t dropped_attributes_count = 0;

  friend bool operator==(const SpanEvent&, const SpanEvent&) = default;
};

struct SpanLink {
  SpanContext context;
  Attributes attributes;
  uint32_t dropped_attributes_count = 0;

  friend bool operator==(const SpanLink&, const SpanLink&) = default;
};

struct SpanData {
  TraceId trace_id;
  SpanId span_id;
  SpanId parent_span_id;  // invalid (zero) for a root span
  TraceState trace_state;
  TraceFlags flags;
  bool parent_is_remote = false;

  std::string name;
  SpanKind kind = SpanKind::kInternal;
  uint64_t start_unix_nano = 0;
  uint64_t end_unix_nano = 0;

  Attributes attributes;
  uint32_t dropped_attributes_count = 0;
  std::vector<SpanEvent> events;
  uint32_t dropped_events_count = 0;
  std::vector<SpanLink> links;
  uint32_t dropped_links_count = 0;
  SpanStatus status;

  // Not owned. Owned by the TracerProvider (or the test) that made this span; valid until it
  // is destroyed. May be null in hand-built data; exporters then write an empty resource/scope.
  const Resource* resource = nullptr;
  const InstrumentationScope* scope = nullptr;
};

}  // namespace tracewire::trace
