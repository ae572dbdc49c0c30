// Groups a batch of spans by resource, then by instrumentation scope (pointer identity), the
// nesting of ExportTraceServiceRequest. Groups keep first-appearance order, spans keep batch
// order inside their group. Reusable: after warm-up, Group() allocates nothing.
// NOT thread-safe; one instance per encoder.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "trace/span_data.h"

namespace tracewire::otlp::internal {

class SpanGrouping {
 public:
  struct ScopeGroup {
    const trace::InstrumentationScope* scope;
    uint32_t first_span;  // index into spans()
    uint32_t span_count;
  };
  struct ResourceGroup {
    const trace::Resource* resource;
    uint32_t first_scope;  // index into scopes()
    uint32_t scope_count;
  };

  // Rebuilds the grouping for `batch`. Null entries in `batch` are skipped.
  // The pointers stay owned by the caller and must outlive the use of the groups.
  void Group(std::span<const trace::SpanData* const> batch);

  const std::vector<ResourceGroup>& resources() const { return resources_; }
  const std::vector<ScopeGroup>& scopes() const { return scopes_; }
  // Spans in group order: scope group g owns spans()[first_span, first_span + span_count).
  const std::vector<const trace::SpanData*>& spans() const { return spans_; }

 private:
  struct Key {
    const trace::Resource* resource;
    const trace::InstrumentationScope* scope;
    uint32_t resource_index;  // first-appearance order of the resource
    uint32_t count;
  };

  std::vector<Key> keys_;              // one per (resource, scope), first-appearance order
  std::vector<uint32_t> key_of_span_;  // per batch entry; UINT32_MAX for null entries
  std::vector<uint32_t> key_order_;    // keys sorted by resource_index (stable)
  std::vector<uint32_t> key_offset_;   // per key: next write position in spans_
  std::vector<ResourceGroup> resources_;
  std::vector<ScopeGroup> scopes_;
  std::vector<const trace::SpanData*> spans_;
};

}  // namespace tracewire::otlp::internal
