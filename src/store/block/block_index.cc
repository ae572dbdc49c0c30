#include "store/block/block_index.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "store/block/block_format.h"
#include "store/format/coding.h"

namespace tracewire::store::block {
namespace {

using format::PutLengthPrefixed;
using format::PutVarint;
using format::Reader;

void PutTraceId(std::string* out, const model::TraceId& id) {
  out->append(reinterpret_cast<const char*>(id.data()), 16);
}
bool GetTraceId(Reader* in, model::TraceId* id) {
  std::string_view b;
  if (!in->Bytes(16, &b)) return false;
  std::memcpy(id->mutable_data(), b.data(), 16);
  return true;
}
// Reads a count that must fit `min_bytes` per element in what is left.
bool GetCount(Reader* in, size_t min_bytes, uint64_t* n) {
  if (!in->Varint(n) || *n > in->remaining() / min_bytes) return in->Fail();
  return true;
}

}  // namespace

int64_t BlockIndex::FindTrace(const model::TraceId& id) const {
  auto it = std::lower_bound(traces.begin(), traces.end(), id,
                             [](const TraceEntry& e, const model::TraceId& k) { return e.id < k; });
  if (it == traces.end() || it->id != id) return -1;
  return it - traces.begin();
}

size_t BlockIndex::MemoryBytes() const {
  size_t n = traces.size() * sizeof(TraceEntry) + trace_services.size() * sizeof(TraceService) +
             bloom.size() + span_pages.size() * sizeof(SpanPageEntry) +
             log_pages.size() * sizeof(LogPageEntry);
  for (const auto& s : names) n += s.size() + 32;
  n += shared_strings.bytes().size() + shared_strings.size() * 4;
  for (const auto& [k, v] : postings) n += k.size() + v.size() * 4 + 64;
  return n;
}

std::string EncodeBlockIndex(const BlockIndex& x) {
  std::string out;
  PutVarint(&out, kIndexVersion);
  const BlockMeta& m = x.meta;
  for (uint64_t v : {m.id, m.cover_lo, m.cover_hi, m.last_seq, m.min_start_ns, m.max_start_ns,
                     m.max_time_ns, m.span_count, m.log_count}) {
    PutVarint(&out, v);
  }
  PutVarint(&out, x.names.size());
  for (const auto& s : x.names) PutLengthPrefixed(&out, s);
  PutVarint(&out, x.span_pages.size());
  for (const auto& p : x.span_pages) {
    PutVarint(&out, p.offset);
    PutVarint(&out, p.size);
    PutVarint(&out, p.first_trace);
    PutVarint(&out, p.trace_count);
    PutVarint(&out, p.span_count);
  }
  PutVarint(&out, x.log_pages.size());
  for (const auto& p : x.log_pages) {
    PutVarint(&out, p.offset);
    PutVarint(&out, p.size);
    PutVarint(&out, p.record_count);
    PutTraceId(&out, p.first);
    PutTraceId(&out, p.last);
  }
  PutVarint(&out, x.traces.size());
  for (const auto& t : x.traces) {
    PutTraceId(&out, t.id);
    for (uint64_t v :
         {uint64_t{t.page}, uint64_t{t.span_count}, uint64_t{t.error_count},
          uint64_t{t.root_service}, uint64_t{t.root_operation}, uint64_t{t.has_root ? 1u : 0u},
          t.start_ns, t.end_ns - t.start_ns, t.root_start_ns - t.start_ns, t.max_span_duration_ns,
          uint64_t{t.services_begin}, uint64_t{t.services_count}}) {
      PutVarint(&out, v);
    }
  }
  PutVarint(&out, x.trace_services.size());
  for (const auto& s : x.trace_services) {
    PutVarint(&out, s.name);
    PutVarint(&out, s.spans);
    PutVarint(&out, s.errors);
    PutVarint(&out, s.max_duration_ns);
  }
  PutLengthPrefixed(&out, x.bloom);
  std::vector<const std::pair<const std::string, std::vector<uint32_t>>*> sorted;
  sorted.reserve(x.postings.size());
  for (const auto& p : x.postings) sorted.push_back(&p);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  PutVarint(&out, sorted.size());
  for (const auto* p : sorted) {
    PutLengthPrefixed(&out, p->first);
    PutVarint(&out, p->second.size());
    uint32_t prev = 0;
    for (uint32_t v : p->second) {
      PutVarint(&out, v - prev);
      prev = v;
    }
  }
  PutVarint(&out, x.operations.size());
  for (const auto& o : x.operations) {
    PutVarint(&out, o.service);
    PutVarint(&out, o.name);
    out.push_back(static_cast<char>(o.kind));
  }
  PutVarint(&out, x.edges.size());
  for (const auto& e : x.edges) {
    PutVarint(&out, e.parent);
    PutVarint(&out, e.child);
    PutVarint(&out, e.calls);
    PutVarint(&out, e.errors);
    e.durations.Encode(&out);
  }
  x.shared_strings.Encode(&out);
  return out;
}

StatusOr<BlockIndex> DecodeBlockIndex(std::string_view bytes) {
  BlockIndex x;
  Reader in(bytes);
  auto bad = [](const char* what) { return DataLossError(std::string("block index: ") + what); };
  uint64_t version = 0;
  if (!in.Varint(&version) ||
      (version != kIndexVersion && version != kIndexVersionNoSharedStrings)) {
    return bad("unknown version");
  }
  BlockMeta& m = x.meta;
  for (uint64_t* v : {&m.id, &m.cover_lo, &m.cover_hi, &m.last_seq, &m.min_start_ns,
                      &m.max_start_ns, &m.max_time_ns, &m.span_count, &m.log_count}) {
    if (!in.Varint(v)) return bad("truncated meta");
  }
  uint64_t n = 0;
  if (!GetCount(&in, 1, &n)) return bad("names");
  x.names.resize(n);
  for (auto& s : x.names) {
    std::string_view v;
    if (!in.LengthPrefixed(&v)) return bad("names");
    s.assign(v);
  }
  const size_t n_names = x.names.size();
  if (!GetCount(&in, 5, &n)) return bad("span pages");
  x.span_pages.resize(n);
  for (auto& p : x.span_pages) {
    if (!in.Varint(&p.offset) || !in.Varint32(&p.size) || !in.Varint32(&p.first_trace) ||
        !in.Varint32(&p.trace_count) || !in.Varint32(&p.span_count)) {
      return bad("span pages");
    }
  }
  if (!GetCount(&in, 35, &n)) return bad("log pages");
  x.log_pages.resize(n);
  for (auto& p : x.log_pages) {
    if (!in.Varint(&p.offset) || !in.Varint32(&p.size) || !in.Varint32(&p.record_count) ||
        !GetTraceId(&in, &p.first) || !GetTraceId(&in, &p.last)) {
      return bad("log pages");
    }
  }
  if (!GetCount(&in, 28, &n)) return bad("traces");
  x.traces.resize(n);
  for (auto& t : x.traces) {
    uint64_t has_root = 0;
    uint64_t dur = 0;
    uint64_t root_off = 0;
    if (!GetTraceId(&in, &t.id) || !in.Varint32(&t.page) || !in.Varint32(&t.span_count) ||
        !in.Varint32(&t.error_count) || !in.Varint32(&t.root_service) ||
        !in.Varint32(&t.root_operation) || !in.Varint(&has_root) || !in.Varint(&t.start_ns) ||
        !in.Varint(&dur) || !in.Varint(&root_off) || !in.Varint(&t.max_span_duration_ns) ||
        !in.Varint32(&t.services_begin) || !in.Varint32(&t.services_count)) {
      return bad("traces");
    }
    t.has_root = has_root != 0;
    t.end_ns = t.start_ns + dur;
    t.root_start_ns = t.start_ns + root_off;
    if (t.page >= x.span_pages.size() || t.root_service >= n_names || t.root_operation >= n_names) {
      return bad("trace references");
    }
  }
  for (size_t i = 1; i < x.traces.size(); ++i) {
    if (!(x.traces[i - 1].id < x.traces[i].id)) return bad("trace table not sorted");
  }
  if (!GetCount(&in, 4, &n)) return bad("trace services");
  x.trace_services.resize(n);
  for (auto& s : x.trace_services) {
    if (!in.Varint32(&s.name) || !in.Varint32(&s.spans) || !in.Varint32(&s.errors) ||
        !in.Varint(&s.max_duration_ns) || s.name >= n_names) {
      return bad("trace services");
    }
  }
  for (const auto& t : x.traces) {
    if (uint64_t{t.services_begin} + t.services_count > x.trace_services.size()) {
      return bad("trace services range");
    }
  }
  for (const auto& p : x.span_pages) {
    if (uint64_t{p.first_trace} + p.trace_count > x.traces.size()) return bad("page traces");
  }
  std::string_view bloom;
  if (!in.LengthPrefixed(&bloom)) return bad("bloom");
  x.bloom.assign(bloom);
  if (!GetCount(&in, 2, &n)) return bad("postings");
  x.postings.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view key;
    uint64_t count = 0;
    if (!in.LengthPrefixed(&key) || !GetCount(&in, 1, &count)) return bad("postings");
    std::vector<uint32_t> list(count);
    uint64_t v = 0;
    for (uint32_t& e : list) {
      uint64_t d = 0;
      if (!in.Varint(&d)) return bad("postings");
      v += d;
      if (v >= x.traces.size()) return bad("posting ordinal");
      e = static_cast<uint32_t>(v);
    }
    x.postings.emplace(std::string(key), std::move(list));
  }
  if (!GetCount(&in, 3, &n)) return bad("operations");
  x.operations.resize(n);
  for (auto& o : x.operations) {
    uint8_t kind = 0;
    if (!in.Varint32(&o.service) || !in.Varint32(&o.name) || !in.Byte(&kind) || kind > 5 ||
        o.service >= n_names || o.name >= n_names) {
      return bad("operations");
    }
    o.kind = static_cast<model::SpanKind>(kind);
  }
  if (!GetCount(&in, 5, &n)) return bad("edges");
  x.edges.resize(n);
  // Duration sketches hold a slot per bucket of their range: bounded by the index's size.
  uint64_t sketch_budget = (4ull << 20) + 64 * bytes.size();
  for (auto& e : x.edges) {
    if (!in.Varint32(&e.parent) || !in.Varint32(&e.child) || !in.Varint(&e.calls) ||
        !in.Varint(&e.errors) || !e.durations.Decode(&in, &sketch_budget) || e.parent >= n_names ||
        e.child >= n_names) {
      return bad("edges");
    }
  }
  if (version == kIndexVersion && !x.shared_strings.Decode(&in)) return bad("shared strings");
  if (!in.ok() || !in.empty()) return bad("trailing bytes");
  return x;
}

}  // namespace tracewire::store::block
