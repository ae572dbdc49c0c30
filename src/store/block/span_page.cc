#include "store/block/span_page.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/block/block_format.h"
#include "store/block/zstd_frame.h"
#include "store/format/coding.h"
#include "store/format/string_ids.h"
#include "store/format/value_codec.h"

namespace tracewire::store::block {
namespace {

using format::PutSignedVarint;
using format::PutVarint;
using format::Reader;
using format::SpanRef;
using format::StringDict;
using format::ValueDecoder;
using format::ValueEncoder;
using model::SpanId;

enum Stream : size_t {
  kTraces,
  kSpanIds,
  kParents,
  kParentRaw,
  kStarts,
  kDurations,
  kKindStatus,
  kFlags,
  kNames,
  kMisc,
  kResScope,
  kAttrKeys,
  kAttrValues,
  kCounts,
  kEvents,
  kLinks,
  kTables,
  kStreamCount,
};

void PutBytes(std::string* out, const uint8_t* p, size_t n) {
  out->append(reinterpret_cast<const char*>(p), n);
}
bool GetBytes(Reader* in, uint8_t* out, size_t n) {
  std::string_view b;
  if (!in->Bytes(n, &b)) return false;
  std::memcpy(out, b.data(), n);
  return true;
}

// Span attribute keys past this many per page share the last value stream.
constexpr size_t kMaxKeyStreams = 1024;

struct PairHash {
  size_t operator()(const std::pair<const void*, uint32_t>& k) const {
    return std::hash<const void*>()(k.first) * 31 + k.second;
  }
};

}  // namespace

std::string EncodeSpanPage(std::span<const SpanRef> spans) {
  std::array<std::string, kStreamCount> s;
  StringDict dict;
  // Span attributes: keys as indices into the page's key list, values in one stream per key.
  format::StringViewIds attr_keys;
  std::vector<std::string> key_values;
  format::StringIds shapes;  // a span's attribute key indices (varints), in order
  std::string shape;
  const ValueEncoder enc{&s[kAttrKeys], &s[kAttrValues], &dict};
  std::unordered_map<std::pair<const void*, uint32_t>, uint32_t, PairHash> res_ids;
  std::unordered_map<std::pair<const void*, uint32_t>, uint32_t, PairHash> scope_ids;
  std::string res_table;
  std::string scope_table;
  std::vector<std::pair<SpanId, uint32_t>> ids;  // of the current trace, sorted
  size_t n_traces = 0;
  uint64_t prev_trace_start = 0;

  for (size_t begin = 0; begin < spans.size();) {
    const model::TraceId& tid = spans[begin].span().trace_id;
    size_t end = begin + 1;
    while (end < spans.size() && spans[end].span().trace_id == tid) ++end;
    const uint64_t trace_start = spans[begin].span().start_time_unix_nano;
    PutBytes(&s[kTraces], tid.data(), 16);
    PutVarint(&s[kTraces], end - begin);
    PutSignedVarint(&s[kTraces], static_cast<int64_t>(trace_start - prev_trace_start));
    prev_trace_start = trace_start;
    ++n_traces;
    ids.clear();
    for (size_t i = begin; i < end; ++i) {
      ids.emplace_back(spans[i].span().span_id, static_cast<uint32_t>(i - begin));
    }
    std::sort(ids.begin(), ids.end());

    uint64_t prev_start = trace_start;
    for (size_t i = begin; i < end; ++i) {
      const SpanRef& ref = spans[i];
      const model::Span& sp = ref.span();
      PutBytes(&s[kSpanIds], sp.span_id.data(), 8);
      if (!sp.parent_span_id.IsValid()) {
        s[kParents].push_back(0);
      } else {
        auto it = std::lower_bound(ids.begin(), ids.end(), std::make_pair(sp.parent_span_id, 0u));
        if (it != ids.end() && it->first == sp.parent_span_id) {
          PutVarint(&s[kParents], 2 + uint64_t{it->second});
        } else {
          s[kParents].push_back(1);
          PutBytes(&s[kParentRaw], sp.parent_span_id.data(), 8);
        }
      }
      PutVarint(&s[kStarts], sp.start_time_unix_nano - prev_start);  // sorted: never negative
      prev_start = sp.start_time_unix_nano;
      PutSignedVarint(&s[kDurations],
                      static_cast<int64_t>(sp.end_time_unix_nano - sp.start_time_unix_nano));
      s[kKindStatus].push_back(static_cast<char>(static_cast<uint8_t>(sp.kind) |
                                                 static_cast<uint8_t>(sp.status_code) << 4));
      PutVarint(&s[kFlags], sp.flags);
      PutVarint(&s[kNames], dict.Intern(sp.name));
      PutVarint(&s[kMisc], dict.Intern(sp.trace_state));
      PutVarint(&s[kMisc], dict.Intern(sp.status_message));

      auto [rit, rnew] = res_ids.try_emplace({ref.batch, sp.resource_index},
                                             static_cast<uint32_t>(res_ids.size()));
      if (rnew) {
        const model::Resource& r = ref.resource();
        const ValueEncoder renc{&res_table, &res_table, &dict};
        renc.KeyValues(r.attributes);
        PutVarint(&res_table, r.dropped_attributes_count);
        PutVarint(&res_table, dict.Intern(r.schema_url));
        PutVarint(&res_table, dict.Intern(r.service_name));
      }
      auto [sit, snew] = scope_ids.try_emplace({ref.batch, sp.scope_index},
                                               static_cast<uint32_t>(scope_ids.size()));
      if (snew) {
        const model::Scope& sc = ref.batch->scopes[sp.scope_index];
        const ValueEncoder senc{&scope_table, &scope_table, &dict};
        PutVarint(&scope_table, dict.Intern(sc.name));
        PutVarint(&scope_table, dict.Intern(sc.version));
        senc.KeyValues(sc.attributes);
        PutVarint(&scope_table, sc.dropped_attributes_count);
        PutVarint(&scope_table, dict.Intern(sc.schema_url));
      }
      PutVarint(&s[kResScope], rit->second);
      PutVarint(&s[kResScope], sit->second);

      // The span's key list ("shape": its key indices in order) is interned; values go to
      // their key's stream.
      shape.clear();
      for (const model::KeyValue& kv : sp.attributes) {
        const uint32_t k = attr_keys.Intern(kv.key);
        if (k == key_values.size() && k < kMaxKeyStreams) key_values.emplace_back();
        PutVarint(&shape, k);
        std::string* values = &key_values[std::min<size_t>(k, kMaxKeyStreams - 1)];
        const ValueEncoder venc{values, values, &dict};
        venc.Value(kv.value);
      }
      PutVarint(&s[kAttrKeys], shapes.Intern(shape));
      PutVarint(&s[kCounts], sp.dropped_attributes_count);
      PutVarint(&s[kCounts], sp.events.size());
      PutVarint(&s[kCounts], sp.dropped_events_count);
      PutVarint(&s[kCounts], sp.links.size());
      PutVarint(&s[kCounts], sp.dropped_links_count);
      for (const model::Event& e : sp.events) {
        PutSignedVarint(&s[kEvents],
                        static_cast<int64_t>(e.time_unix_nano - sp.start_time_unix_nano));
        PutVarint(&s[kEvents], dict.Intern(e.name));
        PutVarint(&s[kEvents], e.dropped_attributes_count);
        enc.KeyValues(e.attributes);
      }
      for (const model::Link& l : sp.links) {
        PutBytes(&s[kLinks], l.trace_id.data(), 16);
        PutBytes(&s[kLinks], l.span_id.data(), 8);
        PutVarint(&s[kLinks], dict.Intern(l.trace_state));
        PutVarint(&s[kLinks], l.dropped_attributes_count);
        PutVarint(&s[kLinks], l.flags);
        enc.KeyValues(l.attributes);
      }
    }
    begin = end;
  }
  PutVarint(&s[kTables], res_ids.size());
  s[kTables].append(res_table);
  PutVarint(&s[kTables], scope_ids.size());
  s[kTables].append(scope_table);

  std::string header;
  header.push_back(static_cast<char>(kSpanPageVersion));
  PutVarint(&header, n_traces);
  PutVarint(&header, spans.size());
  PutVarint(&header, dict.strings().size());
  for (std::string_view str : dict.strings()) format::PutLengthPrefixed(&header, str);
  PutVarint(&header, attr_keys.size());
  for (std::string_view key : attr_keys.keys()) format::PutLengthPrefixed(&header, key);
  PutVarint(&header, shapes.size());
  for (std::string_view sh : shapes.keys()) format::PutLengthPrefixed(&header, sh);
  // Each stream compresses on its own (a column's statistics stay apart from the others').
  std::string out = ZstdCompress(header, kZstdLevel);
  for (const std::string& stream : s) out += ZstdCompress(stream, kZstdLevel);
  for (const std::string& stream : key_values) out += ZstdCompress(stream, kZstdLevel);
  return out;
}

StatusOr<std::unique_ptr<model::SpanBatch>> DecodeSpanPage(std::string_view frames) {
  auto bad = [](const char* what) { return DataLossError(std::string("span page: ") + what); };
  std::vector<size_t> sizes;
  auto raw = ZstdDecompressFrames(frames, kMaxPageBytes, 1 + kStreamCount + kMaxKeyStreams, &sizes);
  if (!raw.ok()) return DataLossError("span page: " + raw.status().message());
  if (sizes.size() < 1 + kStreamCount) return bad("too few streams");
  auto batch = std::make_unique<model::SpanBatch>();
  model::Arena& arena = batch->storage.arena();
  std::string_view bytes = batch->storage.AdoptBuffer(std::move(*raw));
  std::vector<Reader> parts;
  for (size_t n : sizes) {
    parts.emplace_back(bytes.substr(0, n));
    bytes.remove_prefix(n);
  }
  Reader& in = parts[0];
  uint8_t version = 0;
  uint64_t n_traces = 0;
  uint64_t n_spans = 0;
  uint64_t n_strings = 0;
  uint64_t n_keys = 0;
  if (!in.Byte(&version) || version != kSpanPageVersion) return bad("unknown version");
  if (!in.Varint(&n_traces) || !in.Varint(&n_spans) || !in.Varint(&n_strings) ||
      n_strings > in.remaining() || n_spans > parts[1 + kSpanIds].remaining() / 8 ||
      n_traces > n_spans) {
    return bad("header");
  }
  std::vector<std::string_view> dict(n_strings);
  for (auto& str : dict) {
    if (!in.LengthPrefixed(&str)) return bad("dictionary");
  }
  if (!in.Varint(&n_keys) || n_keys > in.remaining()) return bad("attribute keys");
  std::vector<std::string_view> keys(n_keys);
  for (auto& key : keys) {
    if (!in.LengthPrefixed(&key)) return bad("attribute keys");
  }
  uint64_t n_shapes = 0;
  if (!in.Varint(&n_shapes) || n_shapes > in.remaining()) return bad("attribute shapes");
  std::vector<std::vector<uint32_t>> shapes(n_shapes);
  for (auto& sh : shapes) {
    std::string_view bytes_of_shape;
    if (!in.LengthPrefixed(&bytes_of_shape)) return bad("attribute shapes");
    Reader r(bytes_of_shape);
    while (!r.empty()) {
      uint32_t k = 0;
      if (!r.Varint32(&k) || k >= keys.size()) return bad("attribute shape key");
      sh.push_back(k);
    }
  }
  if (!in.empty()) return bad("trailing bytes");
  if (sizes.size() != 1 + kStreamCount + std::min<uint64_t>(n_keys, kMaxKeyStreams)) {
    return bad("stream count");
  }
  Reader* s = parts.data() + 1;
  Reader* key_values = s + kStreamCount;

  // Resource and scope tables.
  Reader& t = s[kTables];
  uint64_t n = 0;
  auto str = [&](Reader* r, std::string_view* out) {
    uint32_t id = 0;
    if (!r->Varint32(&id) || id >= dict.size()) return r->Fail();
    *out = dict[id];
    return true;
  };
  const ValueDecoder tdec{&t, &t, &dict, &arena};
  if (!t.Varint(&n) || n > t.remaining() / 4) return bad("resources");
  batch->resources.resize(n);
  for (auto& r : batch->resources) {
    if (!tdec.KeyValues(&r.attributes) || !t.Varint32(&r.dropped_attributes_count) ||
        !str(&t, &r.schema_url) || !str(&t, &r.service_name)) {
      return bad("resources");
    }
  }
  if (!t.Varint(&n) || n > t.remaining() / 5) return bad("scopes");
  batch->scopes.resize(n);
  for (auto& sc : batch->scopes) {
    if (!str(&t, &sc.name) || !str(&t, &sc.version) || !tdec.KeyValues(&sc.attributes) ||
        !t.Varint32(&sc.dropped_attributes_count) || !str(&t, &sc.schema_url)) {
      return bad("scopes");
    }
  }

  const ValueDecoder dec{&s[kAttrKeys], &s[kAttrValues], &dict, &arena};
  // Span attributes: key index, then the value from that key's stream.
  auto span_attributes = [&](std::span<const model::KeyValue>* out) {
    uint32_t shape_id = 0;
    if (!s[kAttrKeys].Varint32(&shape_id) || shape_id >= shapes.size()) {
      return s[kAttrKeys].Fail();
    }
    const std::vector<uint32_t>& shape = shapes[shape_id];
    auto kvs = arena.AllocateArray<model::KeyValue>(shape.size());
    for (size_t i = 0; i < shape.size(); ++i) {
      model::KeyValue& kv = kvs[i];
      const uint32_t k = shape[i];
      kv.key = keys[k];
      Reader* values = &key_values[std::min<size_t>(k, kMaxKeyStreams - 1)];
      const ValueDecoder vdec{values, values, &dict, &arena};
      if (!vdec.Value(&kv.value)) return false;
    }
    *out = kvs;
    return true;
  };
  batch->spans.resize(n_spans);
  size_t next = 0;
  uint64_t trace_start = 0;
  std::vector<std::pair<size_t, size_t>> pending;  // (child, parent) positions
  for (uint64_t ti = 0; ti < n_traces; ++ti) {
    model::TraceId tid;
    uint64_t count = 0;
    int64_t dstart = 0;
    if (!GetBytes(&s[kTraces], tid.mutable_data(), 16) || !s[kTraces].Varint(&count) ||
        !s[kTraces].SignedVarint(&dstart) || count == 0 || count > n_spans - next) {
      return bad("trace column");
    }
    trace_start += static_cast<uint64_t>(dstart);
    const size_t first = next;
    uint64_t prev_start = trace_start;
    for (uint64_t k = 0; k < count; ++k, ++next) {
      model::Span& sp = batch->spans[next];
      sp.trace_id = tid;
      uint64_t parent = 0;
      uint64_t dstart_span = 0;
      int64_t dur = 0;
      uint8_t ks = 0;
      if (!GetBytes(&s[kSpanIds], sp.span_id.mutable_data(), 8) || !s[kParents].Varint(&parent) ||
          !s[kStarts].Varint(&dstart_span) || !s[kDurations].SignedVarint(&dur) ||
          !s[kKindStatus].Byte(&ks) || (ks & 0xf) > 5 || (ks >> 4) > 2 ||
          !s[kFlags].Varint32(&sp.flags) || !str(&s[kNames], &sp.name) ||
          !str(&s[kMisc], &sp.trace_state) || !str(&s[kMisc], &sp.status_message) ||
          !s[kResScope].Varint32(&sp.resource_index) || !s[kResScope].Varint32(&sp.scope_index) ||
          sp.resource_index >= batch->resources.size() || sp.scope_index >= batch->scopes.size()) {
        return bad("span columns");
      }
      if (parent == 1) {
        if (!GetBytes(&s[kParentRaw], sp.parent_span_id.mutable_data(), 8)) return bad("parent");
      } else if (parent >= 2 && parent - 2 >= count) {
        return bad("parent index");
      }
      sp.start_time_unix_nano = prev_start + dstart_span;
      prev_start = sp.start_time_unix_nano;
      sp.end_time_unix_nano = sp.start_time_unix_nano + static_cast<uint64_t>(dur);
      sp.kind = static_cast<model::SpanKind>(ks & 0xf);
      sp.status_code = static_cast<model::StatusCode>(ks >> 4);
      uint64_t n_events = 0;
      uint64_t n_links = 0;
      Reader& c = s[kCounts];
      if (!span_attributes(&sp.attributes) || !c.Varint32(&sp.dropped_attributes_count) ||
          !c.Varint(&n_events) || !c.Varint32(&sp.dropped_events_count) || !c.Varint(&n_links) ||
          !c.Varint32(&sp.dropped_links_count) || n_events > s[kEvents].remaining() / 3 ||
          n_links > s[kLinks].remaining() / 27) {
        return bad("span attributes");
      }
      auto events = arena.AllocateArray<model::Event>(n_events);
      for (auto& e : events) {
        int64_t dt = 0;
        if (!s[kEvents].SignedVarint(&dt) || !str(&s[kEvents], &e.name) ||
            !s[kEvents].Varint32(&e.dropped_attributes_count) || !dec.KeyValues(&e.attributes)) {
          return bad("events");
        }
        e.time_unix_nano = sp.start_time_unix_nano + static_cast<uint64_t>(dt);
      }
      sp.events = events;
      auto links = arena.AllocateArray<model::Link>(n_links);
      for (auto& l : links) {
        if (!GetBytes(&s[kLinks], l.trace_id.mutable_data(), 16) ||
            !GetBytes(&s[kLinks], l.span_id.mutable_data(), 8) ||
            !str(&s[kLinks], &l.trace_state) || !s[kLinks].Varint32(&l.dropped_attributes_count) ||
            !s[kLinks].Varint32(&l.flags) || !dec.KeyValues(&l.attributes)) {
          return bad("links");
        }
      }
      sp.links = links;
      if (parent >= 2) pending.emplace_back(next, first + (parent - 2));
    }
    // In-trace parents resolve once every span id of the trace is known.
    for (auto [child, parent_at] : pending) {
      batch->spans[child].parent_span_id = batch->spans[parent_at].span_id;
    }
    pending.clear();
  }
  if (next != n_spans) return bad("span count");
  return batch;
}

}  // namespace tracewire::store::block
