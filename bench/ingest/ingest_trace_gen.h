// Realistic traces for the ingest benchmark: 1-200 spans with parent/child links across the
// catalogue's services (HTTP entry, tRPC client/server pairs, database and internal spans),
// 8-15 attributes of mixed types per span, a share of spans with events and with errors.
#pragma once

#include <cstdint>
#include <vector>

#include "ingest_catalog.h"
#include "opentelemetry/proto/trace/v1/trace.pb.h"

namespace tracewire::bench {

struct TraceGenOptions {
  double event_fraction = 0.05;  // spans with one event (errors' exception events included)
  double error_fraction = 0.01;  // spans with status ERROR
  int max_spans = 200;           // per trace; sizes are drawn from 1..max_spans, mean ~30
};

// A span with the resource (service, instance) it belongs to.
struct GeneratedSpan {
  int service = 0;
  int instance = 0;
  opentelemetry::proto::trace::v1::Span span;
};

// Trace ids are Mix64(trace_index) (8 bytes, host order) then 8 random bytes; span ids are
// Mix64(span_index) for a running span index, so every id is distinct and maps back to its
// index. Not thread-safe.
class TraceGenerator {
 public:
  TraceGenerator(const Catalog& catalog, uint64_t seed, TraceGenOptions options);

  // Appends one trace's spans to `out`; they all end before `end_before_ns` (Unix ns).
  // `*next_span_index` is advanced by the number of spans written.
  void Generate(uint64_t trace_index, uint64_t* next_span_index, int64_t end_before_ns,
                std::vector<GeneratedSpan>& out);

 private:
  struct Node;
  int PickTraceSize();
  int PickRootService();
  void FillServer(const Node& n, opentelemetry::proto::trace::v1::Span& s, bool error);
  void FillRpcClient(const Node& n, int callee, int op, opentelemetry::proto::trace::v1::Span& s,
                     bool error);
  void FillDb(const Node& n, opentelemetry::proto::trace::v1::Span& s, bool error);
  void FillInternal(const Node& n, opentelemetry::proto::trace::v1::Span& s);
  void PadAttributes(opentelemetry::proto::trace::v1::Span& s);
  void MaybeAddEvent(opentelemetry::proto::trace::v1::Span& s, bool error);

  const Catalog& catalog_;
  TraceGenOptions options_;
  Rng rng_;
};

}  // namespace tracewire::bench
