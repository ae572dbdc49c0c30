#include "query/internal/compact_trace.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "otlp/internal/json_text.h"

namespace tracewire::query::internal {
namespace {

using otlp::internal::AppendJsonHex;
using otlp::internal::AppendJsonInt;
using otlp::internal::AppendJsonQuotedUint;
using otlp::internal::AppendJsonString;
using otlp::internal::AppendJsonUint;

uint64_t IdKey(const model::SpanId& id) {
  uint64_t key = 0;
  std::memcpy(&key, id.data(), sizeof key);
  return key;
}

// Span id → position, open addressing with linear probing (ids are random: no hashing needed
// beyond a multiply). Key 0 (the invalid id) marks an empty slot. The first insert of a key wins.
class IdIndex {
 public:
  explicit IdIndex(size_t n) {
    size_t capacity = 16;
    while (capacity < n * 2) capacity <<= 1;
    mask_ = capacity - 1;
    keys_.assign(capacity, 0);
    values_.resize(capacity);
  }
  void Insert(uint64_t key, int64_t value) {
    if (key == 0) return;
    for (size_t at = Slot(key);; at = (at + 1) & mask_) {
      if (keys_[at] == key) return;
      if (keys_[at] == 0) {
        keys_[at] = key;
        values_[at] = value;
        return;
      }
    }
  }
  // The value of `key`, or -1.
  int64_t Find(uint64_t key) const {
    if (key == 0) return -1;
    for (size_t at = Slot(key);; at = (at + 1) & mask_) {
      if (keys_[at] == key) return values_[at];
      if (keys_[at] == 0) return -1;
    }
  }

 private:
  size_t Slot(uint64_t key) const { return (key * 0x9E3779B97F4A7C15ULL >> 17) & mask_; }
  size_t mask_ = 0;
  std::vector<uint64_t> keys_;
  std::vector<int64_t> values_;
};

// Distinct strings in order of first use.
class StringTable {
 public:
  uint32_t Intern(std::string_view s) {
    auto [it, inserted] = index_.try_emplace(s, static_cast<uint32_t>(strings_.size()));
    if (inserted) strings_.push_back(s);
    return it->second;
  }
  void AppendJson(std::string& out) const {
    out.push_back('[');
    for (size_t i = 0; i < strings_.size(); ++i) {
      if (i != 0) out.push_back(',');
      AppendJsonString(out, strings_[i]);
    }
    out.push_back(']');
  }

 private:
  std::unordered_map<std::string_view, uint32_t> index_;
  std::vector<std::string_view> strings_;
};

uint32_t FlagsOf(const model::Span& s) {
  uint32_t flags = 0;
  if (!s.events.empty()) flags |= kCompactEvents;
  for (const model::Event& e : s.events) {
    if (e.name == "exception") flags |= kCompactException;
  }
  if (!s.links.empty()) flags |= kCompactLinks;
  return flags;
}

template <typename Fn>
void AppendColumn(std::string& out, std::string_view name, size_t n, Fn value_of) {
  out.append(",\"").append(name).append("\":[");
  for (size_t i = 0; i < n; ++i) {
    if (i != 0) out.push_back(',');
    value_of(i);
  }
  out.push_back(']');
}

}  // namespace

void AppendCompactTrace(const model::SpanBatch& trace, std::string& out) {
  const std::vector<model::Span>& spans = trace.spans;
  const size_t n = spans.size();
  auto before = [&spans](uint32_t a, uint32_t b) {
    const model::Span& x = spans[a];
    const model::Span& y = spans[b];
    if (x.start_time_unix_nano != y.start_time_unix_nano)
      return x.start_time_unix_nano < y.start_time_unix_nano;
    return std::memcmp(x.span_id.data(), y.span_id.data(), model::SpanId::kSize) < 0;
  };
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  if (!std::is_sorted(order.begin(), order.end(), before)) {  // the store's order usually is
    std::sort(order.begin(), order.end(), before);
  }

  IdIndex position(n);  // span id → index in `order`
  uint64_t start_ns = UINT64_MAX;
  uint64_t end_ns = 0;
  for (size_t i = 0; i < n; ++i) {
    const model::Span& s = spans[order[i]];
    position.Insert(IdKey(s.span_id), static_cast<int64_t>(i));
    start_ns = std::min(start_ns, s.start_time_unix_nano);
    end_ns = std::max(end_ns, std::max(s.start_time_unix_nano, s.end_time_unix_nano));
  }

  std::vector<int64_t> parent(n, -1);
  std::vector<uint32_t> flags(n);
  std::vector<size_t> orphans;
  for (size_t i = 0; i < n; ++i) {
    const model::Span& s = spans[order[i]];
    flags[i] = FlagsOf(s);
    if (!s.parent_span_id.IsValid()) continue;
    const int64_t p = position.Find(IdKey(s.parent_span_id));
    if (p < 0 || p == static_cast<int64_t>(i)) {
      flags[i] |= kCompactOrphan;
      orphans.push_back(i);
    } else {
      parent[i] = p;
    }
  }

  StringTable services;
  StringTable names;
  std::vector<int64_t> service_of_resource(trace.resources.size() + 1, -1);  // last: none
  std::vector<uint32_t> service(n);
  std::vector<uint32_t> name(n);
  for (size_t i = 0; i < n; ++i) {
    const model::Span& s = spans[order[i]];
    const size_t r = std::min<size_t>(s.resource_index, trace.resources.size());
    if (service_of_resource[r] < 0) {
      service_of_resource[r] =
          services.Intern(r < trace.resources.size() ? trace.resources[r].service_name : "");
    }
    service[i] = static_cast<uint32_t>(service_of_resource[r]);
    name[i] = names.Intern(s.name);
  }

  out.reserve(out.size() + 128 + n * 64);
  out.append("{\"traceId\":");
  AppendJsonHex(out, spans[order[0]].trace_id.data(), model::TraceId::kSize);
  out.append(",\"startTimeUnixNano\":");
  AppendJsonQuotedUint(out, start_ns);
  out.append(",\"durationNano\":");
  AppendJsonQuotedUint(out, end_ns - start_ns);
  out.append(",\"spanCount\":");
  AppendJsonUint(out, n);
  out.append(",\"services\":");
  services.AppendJson(out);
  out.append(",\"names\":");
  names.AppendJson(out);
  out.append(",\"spanIds\":\"");
  const size_t hex_at = out.size();
  out.resize(hex_at + n * 2 * model::SpanId::kSize);
  for (size_t i = 0; i < n; ++i) {
    spans[order[i]].span_id.ToHex(out.data() + hex_at + i * 2 * model::SpanId::kSize);
  }
  out.push_back('"');
  auto span_at = [&](size_t i) -> const model::Span& { return spans[order[i]]; };
  AppendColumn(out, "parent", n, [&](size_t i) { AppendJsonInt(out, parent[i]); });
  AppendColumn(out, "start", n,
               [&](size_t i) { AppendJsonUint(out, span_at(i).start_time_unix_nano - start_ns); });
  AppendColumn(out, "duration", n, [&](size_t i) {
    const model::Span& s = span_at(i);
    AppendJsonUint(out, s.end_time_unix_nano > s.start_time_unix_nano
                            ? s.end_time_unix_nano - s.start_time_unix_nano
                            : 0);
  });
  AppendColumn(out, "service", n, [&](size_t i) { AppendJsonUint(out, service[i]); });
  AppendColumn(out, "name", n, [&](size_t i) { AppendJsonUint(out, name[i]); });
  AppendColumn(out, "status", n, [&](size_t i) {
    AppendJsonUint(out, static_cast<uint64_t>(span_at(i).status_code));
  });
  AppendColumn(out, "kind", n,
               [&](size_t i) { AppendJsonUint(out, static_cast<uint64_t>(span_at(i).kind)); });
  AppendColumn(out, "flags", n, [&](size_t i) { AppendJsonUint(out, flags[i]); });
  out.append(",\"orphans\":[");
  for (size_t k = 0; k < orphans.size(); ++k) {
    if (k != 0) out.push_back(',');
    out.append("{\"index\":");
    AppendJsonUint(out, orphans[k]);
    out.append(",\"parentSpanId\":");
    const model::SpanId& lost = span_at(orphans[k]).parent_span_id;
    AppendJsonHex(out, lost.data(), model::SpanId::kSize);
    out.push_back('}');
  }
  out.append("]}");
}

std::optional<model::SpanBatch> SelectSpan(const model::SpanBatch& trace,
                                           const model::SpanId& span_id) {
  for (const model::Span& s : trace.spans) {
    if (s.span_id != span_id) continue;
    model::SpanBatch one;
    model::Span copy = s;
    if (s.resource_index < trace.resources.size()) {
      one.resources.push_back(trace.resources[s.resource_index]);
      copy.resource_index = 0;
    }
    if (s.scope_index < trace.scopes.size()) {
      one.scopes.push_back(trace.scopes[s.scope_index]);
      copy.scope_index = 0;
    }
    one.spans.push_back(copy);
    return one;
  }
  return std::nullopt;
}

}  // namespace tracewire::query::internal
