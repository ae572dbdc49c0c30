#include "collector/batch_copy.h"

#include <vector>

namespace tracewire::collector {

namespace {

using model::AnyValue;
using model::Arena;
using model::KeyValue;
using model::ValueType;

std::span<const KeyValue> CopyAttributes(Arena& arena, std::span<const KeyValue> from);

AnyValue CopyValue(Arena& arena, const AnyValue& v) {
  switch (v.type()) {
    case ValueType::kString: return AnyValue::String(arena.CopyString(v.string_value()));
    case ValueType::kBytes: return AnyValue::Bytes(arena.CopyString(v.string_value()));
    case ValueType::kArray: {
      std::span<const AnyValue> from = v.array_value();
      std::span<AnyValue> to = arena.AllocateArray<AnyValue>(from.size());
      for (size_t i = 0; i < from.size(); ++i) to[i] = CopyValue(arena, from[i]);
      return AnyValue::Array(to);
    }
    case ValueType::kKvList: return AnyValue::KvList(CopyAttributes(arena, v.kvlist_value()));
    default: return v;  // scalars and empty carry no views
  }
}

std::span<const KeyValue> CopyAttributes(Arena& arena, std::span<const KeyValue> from) {
  std::span<KeyValue> to = arena.AllocateArray<KeyValue>(from.size());
  for (size_t i = 0; i < from.size(); ++i) {
    to[i].key = arena.CopyString(from[i].key);
    to[i].value = CopyValue(arena, from[i].value);
  }
  return to;
}

// Copies resources and scopes on first use and maps old indices to new ones.
template <typename Batch>
class IndexMap {
 public:
  IndexMap(const Batch& from, Batch& to)
      : from_(from),
        to_(to),
        resources_(from.resources.size(), kUnset),
        scopes_(from.scopes.size(), kUnset) {}

  uint32_t Resource(uint32_t old_index) {
    if (old_index >= resources_.size()) return 0;
    if (resources_[old_index] == kUnset) {
      model::Resource r = from_.resources[old_index];
      Arena& arena = to_.storage.arena();
      r.attributes = CopyAttributes(arena, r.attributes);
      r.schema_url = arena.CopyString(r.schema_url);
      r.service_name = arena.CopyString(r.service_name);
      resources_[old_index] = static_cast<uint32_t>(to_.resources.size());
      to_.resources.push_back(r);
    }
    return resources_[old_index];
  }

  uint32_t Scope(uint32_t old_index) {
    if (old_index >= scopes_.size()) return 0;
    if (scopes_[old_index] == kUnset) {
      model::Scope s = from_.scopes[old_index];
      Arena& arena = to_.storage.arena();
      s.name = arena.CopyString(s.name);
      s.version = arena.CopyString(s.version);
      s.attributes = CopyAttributes(arena, s.attributes);
      s.schema_url = arena.CopyString(s.schema_url);
      scopes_[old_index] = static_cast<uint32_t>(to_.scopes.size());
      to_.scopes.push_back(s);
    }
    return scopes_[old_index];
  }

 private:
  static constexpr uint32_t kUnset = UINT32_MAX;
  const Batch& from_;
  Batch& to_;
  std::vector<uint32_t> resources_;
  std::vector<uint32_t> scopes_;
};

}  // namespace

model::SpanBatch CopySpans(const model::SpanBatch& from, size_t begin, size_t end) {
  model::SpanBatch to;
  IndexMap<model::SpanBatch> index(from, to);
  Arena& arena = to.storage.arena();
  to.spans.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) {
    model::Span s = from.spans[i];
    s.trace_state = arena.CopyString(s.trace_state);
    s.name = arena.CopyString(s.name);
    s.status_message = arena.CopyString(s.status_message);
    s.attributes = CopyAttributes(arena, s.attributes);
    std::span<model::Event> events = arena.AllocateArray<model::Event>(s.events.size());
    for (size_t e = 0; e < events.size(); ++e) {
      events[e] = s.events[e];
      events[e].name = arena.CopyString(events[e].name);
      events[e].attributes = CopyAttributes(arena, events[e].attributes);
    }
    s.events = events;
    std::span<model::Link> links = arena.AllocateArray<model::Link>(s.links.size());
    for (size_t l = 0; l < links.size(); ++l) {
      links[l] = s.links[l];
      links[l].trace_state = arena.CopyString(links[l].trace_state);
      links[l].attributes = CopyAttributes(arena, links[l].attributes);
    }
    s.links = links;
    s.resource_index = index.Resource(s.resource_index);
    s.scope_index = index.Scope(s.scope_index);
    to.spans.push_back(s);
  }
  return to;
}

model::LogBatch CopyLogs(const model::LogBatch& from, size_t begin, size_t end) {
  model::LogBatch to;
  IndexMap<model::LogBatch> index(from, to);
  Arena& arena = to.storage.arena();
  to.records.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) {
    model::LogRecord r = from.records[i];
    r.severity_text = arena.CopyString(r.severity_text);
    r.body = CopyValue(arena, r.body);
    r.attributes = CopyAttributes(arena, r.attributes);
    r.event_name = arena.CopyString(r.event_name);
    r.resource_index = index.Resource(r.resource_index);
    r.scope_index = index.Scope(r.scope_index);
    to.records.push_back(r);
  }
  return to;
}

}  // namespace tracewire::collector
