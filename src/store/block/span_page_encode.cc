#include <algorithm>
#include <array>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/block/block_format.h"
#include "store/block/span_page.h"
#include "store/block/span_page_streams.h"
#include "store/block/zstd_frame.h"
#include "store/format/coding.h"
#include "store/format/string_ids.h"
#include "store/format/value_codec.h"

namespace tracewire::store::block {
namespace {

using format::PutSignedVarint;
using format::PutVarint;
using format::SpanRef;
using format::StringDict;
using format::ValueEncoder;
using model::SpanId;
using namespace page_internal;  // NOLINT(google-build-using-namespace): the page's own vocabulary

struct PairHash {
  size_t operator()(const std::pair<const void*, uint32_t>& k) const {
    return std::hash<const void*>()(k.first) * 31 + k.second;
  }
};

// A page before compression: its column streams and what the header lists.
struct PageParts {
  std::array<std::string, kStreamCount> s;
  StringDict dict;  // seeded with the block's shared strings, if any
  // Span attributes: keys as indices into the page's key list, values in one stream per key.
  format::StringViewIds attr_keys;
  std::vector<std::string> key_values;
  format::StringIds shapes;  // a span's attribute key indices (varints), in order
  size_t n_traces = 0;
  // Attribute values not in `dict` go inline (ValueEncoder::inline_new_strings): set when the
  // dictionary starts with the block's shared strings.
  bool inline_new_strings = false;
};

// Fills `p` from `spans` (whole traces, in page order). HOT PATH (per span, in block writes).
void BuildPage(std::span<const SpanRef> spans, PageParts* p) {
  std::string shape;
  const ValueEncoder enc{&p->s[kAttrKeys], &p->s[kAttrValues], &p->dict, p->inline_new_strings};
  std::unordered_map<std::pair<const void*, uint32_t>, uint32_t, PairHash> res_ids;
  std::unordered_map<std::pair<const void*, uint32_t>, uint32_t, PairHash> scope_ids;
  format::StringIds res_contents;  // encoded resource -> its index in the page's table
  format::StringIds scope_contents;
  std::string entry;
  std::vector<std::pair<SpanId, uint32_t>> ids;  // of the current trace, sorted
  uint64_t prev_trace_start = 0;

  for (size_t begin = 0; begin < spans.size();) {
    const model::TraceId& tid = spans[begin].span().trace_id;
    size_t end = begin + 1;
    while (end < spans.size() && spans[end].span().trace_id == tid) ++end;
    const uint64_t trace_start = spans[begin].span().start_time_unix_nano;
    PutBytes(&p->s[kTraces], tid.data(), 16);
    PutVarint(&p->s[kTraces], end - begin);
    PutSignedVarint(&p->s[kTraces], static_cast<int64_t>(trace_start - prev_trace_start));
    prev_trace_start = trace_start;
    ++p->n_traces;
    ids.clear();
    for (size_t i = begin; i < end; ++i) {
      ids.emplace_back(spans[i].span().span_id, static_cast<uint32_t>(i - begin));
    }
    std::sort(ids.begin(), ids.end());

    uint64_t prev_start = trace_start;
    for (size_t i = begin; i < end; ++i) {
      const SpanRef& ref = spans[i];
      const model::Span& sp = ref.span();
      PutBytes(&p->s[kSpanIds], sp.span_id.data(), 8);
      if (!sp.parent_span_id.IsValid()) {
        p->s[kParents].push_back(0);
      } else {
        auto it = std::lower_bound(ids.begin(), ids.end(), std::make_pair(sp.parent_span_id, 0u));
        if (it != ids.end() && it->first == sp.parent_span_id) {
          PutVarint(&p->s[kParents], 2 + uint64_t{it->second});
        } else {
          p->s[kParents].push_back(1);
          PutBytes(&p->s[kParentRaw], sp.parent_span_id.data(), 8);
        }
      }
      PutVarint(&p->s[kStarts], sp.start_time_unix_nano - prev_start);  // sorted: never negative
      prev_start = sp.start_time_unix_nano;
      PutSignedVarint(&p->s[kDurations],
                      static_cast<int64_t>(sp.end_time_unix_nano - sp.start_time_unix_nano));
      p->s[kKindStatus].push_back(static_cast<char>(static_cast<uint8_t>(sp.kind) |
                                                    static_cast<uint8_t>(sp.status_code) << 4));
      PutVarint(&p->s[kFlags], sp.flags);
      PutVarint(&p->s[kNames], p->dict.Intern(sp.name));
      PutVarint(&p->s[kMisc], p->dict.Intern(sp.trace_state));
      PutVarint(&p->s[kMisc], p->dict.Intern(sp.status_message));

      // Resources and scopes: once per page by content (every batch of the page repeats the
      // same few), looked up by (batch, index) first.
      auto [rit, rnew] = res_ids.try_emplace({ref.batch, sp.resource_index}, 0);
      if (rnew) {
        const model::Resource& r = ref.resource();
        entry.clear();
        const ValueEncoder renc{&entry, &entry, &p->dict};
        renc.KeyValues(r.attributes);
        PutVarint(&entry, r.dropped_attributes_count);
        PutVarint(&entry, p->dict.Intern(r.schema_url));
        PutVarint(&entry, p->dict.Intern(r.service_name));
        rit->second = res_contents.Intern(entry);
      }
      auto [sit, snew] = scope_ids.try_emplace({ref.batch, sp.scope_index}, 0);
      if (snew) {
        const model::Scope& sc = ref.batch->scopes[sp.scope_index];
        entry.clear();
        const ValueEncoder senc{&entry, &entry, &p->dict};
        PutVarint(&entry, p->dict.Intern(sc.name));
        PutVarint(&entry, p->dict.Intern(sc.version));
        senc.KeyValues(sc.attributes);
        PutVarint(&entry, sc.dropped_attributes_count);
        PutVarint(&entry, p->dict.Intern(sc.schema_url));
        sit->second = scope_contents.Intern(entry);
      }
      PutVarint(&p->s[kResScope], rit->second);
      PutVarint(&p->s[kResScope], sit->second);

      // The span's key list ("shape": its key indices in order) is interned; values go to
      // their key's stream.
      shape.clear();
      for (const model::KeyValue& kv : sp.attributes) {
        const uint32_t k = p->attr_keys.Intern(kv.key);
        if (k == p->key_values.size() && k < kMaxKeyStreams) p->key_values.emplace_back();
        PutVarint(&shape, k);
        std::string* values = &p->key_values[std::min<size_t>(k, kMaxKeyStreams - 1)];
        const ValueEncoder venc{values, values, &p->dict, p->inline_new_strings};
        venc.Value(kv.value);
      }
      PutVarint(&p->s[kAttrKeys], p->shapes.Intern(shape));
      PutVarint(&p->s[kCounts], sp.dropped_attributes_count);
      PutVarint(&p->s[kCounts], sp.events.size());
      PutVarint(&p->s[kCounts], sp.dropped_events_count);
      PutVarint(&p->s[kCounts], sp.links.size());
      PutVarint(&p->s[kCounts], sp.dropped_links_count);
      for (const model::Event& e : sp.events) {
        PutSignedVarint(&p->s[kEvents],
                        static_cast<int64_t>(e.time_unix_nano - sp.start_time_unix_nano));
        PutVarint(&p->s[kEvents], p->dict.Intern(e.name));
        PutVarint(&p->s[kEvents], e.dropped_attributes_count);
        enc.KeyValues(e.attributes);
      }
      for (const model::Link& l : sp.links) {
        PutBytes(&p->s[kLinks], l.trace_id.data(), 16);
        PutBytes(&p->s[kLinks], l.span_id.data(), 8);
        PutVarint(&p->s[kLinks], p->dict.Intern(l.trace_state));
        PutVarint(&p->s[kLinks], l.dropped_attributes_count);
        PutVarint(&p->s[kLinks], l.flags);
        enc.KeyValues(l.attributes);
      }
    }
    begin = end;
  }
  PutVarint(&p->s[kTables], res_contents.size());
  for (std::string_view r : res_contents.keys()) p->s[kTables].append(r);
  PutVarint(&p->s[kTables], scope_contents.size());
  for (std::string_view sc : scope_contents.keys()) p->s[kTables].append(sc);
}

// Pages sampled to choose a block's shared strings, and how many of them a string must be in.
constexpr size_t kSamplePages = 8;
constexpr size_t kMinSamplePagesWithString = 2;

}  // namespace

std::string EncodeSpanPage(std::span<const SpanRef> spans, const StringDict& shared) {
  PageParts p;
  p.dict = shared.Clone();
  const size_t n_shared = shared.strings().size();
  p.inline_new_strings = n_shared != 0;
  BuildPage(spans, &p);
  const std::vector<std::string_view>& strings = p.dict.strings();

  std::string header;
  header.push_back(
      static_cast<char>(n_shared == 0 ? kPageVersionOwnStrings : kPageVersionSharedStrings));
  PutVarint(&header, p.n_traces);
  PutVarint(&header, spans.size());
  if (n_shared != 0) PutVarint(&header, n_shared);
  PutVarint(&header, strings.size() - n_shared);
  for (size_t i = n_shared; i < strings.size(); ++i) format::PutLengthPrefixed(&header, strings[i]);
  PutVarint(&header, p.attr_keys.size());
  for (std::string_view key : p.attr_keys.keys()) format::PutLengthPrefixed(&header, key);
  PutVarint(&header, p.shapes.size());
  for (std::string_view sh : p.shapes.keys()) format::PutLengthPrefixed(&header, sh);
  // Each stream compresses on its own (a column's statistics stay apart from the others').
  std::string out = ZstdCompress(header, kZstdLevel);
  for (const std::string& stream : p.s) out += ZstdCompress(stream, kZstdLevel);
  for (const std::string& stream : p.key_values) out += ZstdCompress(stream, kZstdLevel);
  return out;
}

std::string EncodeSpanPage(std::span<const SpanRef> spans) {
  return EncodeSpanPage(spans, StringDict());
}

SharedStrings ChooseSharedStrings(std::span<const SpanRef> spans) {
  const size_t pages = std::min(kSamplePages, spans.size() / kTargetPageSpans);
  if (pages < kMinSamplePagesWithString) return {};
  const size_t stride = spans.size() / pages;
  format::StringViewIds ids;
  std::vector<uint32_t> pages_with;  // per string id
  std::vector<uint32_t> last_page;
  for (size_t page = 0; page < pages; ++page) {
    PageParts p;
    BuildPage(spans.subspan(page * stride, kTargetPageSpans), &p);
    for (std::string_view s : p.dict.strings()) {
      bool inserted = false;
      const uint32_t id = ids.Intern(s, &inserted);
      if (inserted) {
        pages_with.push_back(0);
        last_page.push_back(UINT32_MAX);
      }
      if (last_page[id] != page) {
        last_page[id] = static_cast<uint32_t>(page);
        ++pages_with[id];
      }
    }
  }
  std::vector<std::string_view> chosen;
  size_t bytes = 0;
  for (uint32_t id = 0; id < ids.size() && chosen.size() < kMaxSharedStrings; ++id) {
    const std::string_view s = ids.key(id);
    if (pages_with[id] < kMinSamplePagesWithString || bytes + s.size() > kMaxSharedStringBytes) {
      continue;
    }
    chosen.push_back(s);
    bytes += s.size();
  }
  return SharedStrings(chosen);
}

}  // namespace tracewire::store::block
