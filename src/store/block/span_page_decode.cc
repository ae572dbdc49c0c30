#include <algorithm>
#include <utility>
#include <vector>

#include "store/block/block_format.h"
#include "store/block/span_page.h"
#include "store/block/span_page_streams.h"
#include "store/block/zstd_frame.h"
#include "store/format/coding.h"
#include "store/format/value_codec.h"

namespace tracewire::store::block {

using format::Reader;
using format::ValueDecoder;
using namespace page_internal;  // NOLINT(google-build-using-namespace): the page's own vocabulary

StatusOr<std::unique_ptr<model::SpanBatch>> DecodeSpanPage(std::string_view frames,
                                                           const SharedStrings& shared) {
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
  uint64_t n_shared = 0;
  if (!in.Byte(&version) ||
      (version != kPageVersionOwnStrings && version != kPageVersionSharedStrings)) {
    return bad("unknown version");
  }
  if (!in.Varint(&n_traces) || !in.Varint(&n_spans) ||
      (version == kPageVersionSharedStrings && !in.Varint(&n_shared)) || !in.Varint(&n_strings) ||
      n_strings > in.remaining() || n_spans > parts[1 + kSpanIds].remaining() / 8 ||
      n_traces > n_spans) {
    return bad("header");
  }
  // The page's string ids: the block's shared strings first (copied into the batch, which may
  // outlive the block), then the page's own.
  if (n_shared != shared.size()) return bad("shared strings do not match the block's");
  std::vector<std::string_view> dict;
  dict.reserve(n_shared + n_strings);
  if (n_shared != 0) shared.AppendViews(batch->storage.AdoptBuffer(shared.bytes()), &dict);
  for (uint64_t i = 0; i < n_strings; ++i) {
    if (!in.LengthPrefixed(&dict.emplace_back())) return bad("dictionary");
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
