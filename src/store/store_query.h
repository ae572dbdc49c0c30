// Query values of the store: what to find, and what comes back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/span_batch.h"

namespace tracewire::store {

// A trace matches when ONE of its spans satisfies every set condition (Jaeger's semantics).
struct TraceQuery {
  std::string service;    // resource service.name; empty: any
  std::string operation;  // span name; empty: any
  // key=value pairs matched against the span's attributes, then its resource's; the value is
  // compared with the attribute rendered as text (ints in decimal, bools true/false).
  std::vector<std::pair<std::string, std::string>> attributes;
  bool errors_only = false;  // status ERROR
  std::optional<uint64_t> min_duration_ns;
  std::optional<uint64_t> max_duration_ns;
  uint64_t start_ns = 0;         // span start ≥ start_ns
  uint64_t end_ns = UINT64_MAX;  // span start < end_ns
  size_t limit = 20;
};

struct ServiceSpanCount {
  std::string service;
  uint32_t span_count = 0;
  uint32_t error_count = 0;
};

struct TraceSummary {
  model::TraceId trace_id;
  std::string root_service;  // of the root span (or the earliest span when no root arrived)
  std::string root_operation;
  uint64_t start_ns = 0;     // earliest span start
  uint64_t duration_ns = 0;  // latest span end minus start_ns
  uint32_t span_count = 0;
  uint32_t error_count = 0;
  std::vector<ServiceSpanCount> services;  // sorted by service name
};

struct Operation {
  std::string name;
  model::SpanKind kind = model::SpanKind::kUnspecified;
};

struct DependencyLink {
  std::string parent;
  std::string child;
  uint64_t call_count = 0;
  uint64_t error_count = 0;  // child spans with status ERROR
  // Child span durations: approximate quantiles (within a few per cent), ns.
  uint64_t duration_p50_ns = 0;
  uint64_t duration_p99_ns = 0;
};

}  // namespace tracewire::store
