#include "store/block/block_writer.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <tuple>

#include "store/block/block_format.h"
#include "store/block/block_index.h"
#include "store/block/bloom.h"
#include "store/block/span_page.h"
#include "store/block/zstd_frame.h"
#include "store/engine/dependency_edges.h"
#include "store/engine/query_plan.h"
#include "store/engine/trace_part.h"
#include "store/format/string_ids.h"

namespace tracewire::store::block {
namespace {

using format::LogRef;
using format::SpanRef;

class NameTable {
 public:
  explicit NameTable(std::vector<std::string>* names) : names_(names) {}
  uint32_t Id(std::string_view s) {
    bool inserted = false;
    const uint32_t id = ids_.Intern(s, &inserted);
    if (inserted) names_->emplace_back(s);
    return id;
  }

 private:
  std::vector<std::string>* names_;
  format::StringIds ids_;
};

// The block's postings while it is built: key → trace ordinals (ascending, no repeats), and
// per operation key the span kinds seen. HOT PATH (per span): one table lookup per key.
class PostingBuilder {
 public:
  void Add(std::string_view key, uint32_t trace, model::SpanKind kind) {
    const uint32_t id = keys_.Intern(key);
    if (id == lists_.size()) {
      lists_.emplace_back();
      kinds_.push_back(0);
    }
    std::vector<uint32_t>& list = lists_[id];
    if (list.empty() || list.back() != trace) list.push_back(trace);
    if (key[0] == kPostOperation)
      kinds_[id] |= static_cast<uint8_t>(1u << static_cast<unsigned>(kind));
  }
  // Moves the postings into `x` and lists its operations (sorted by service, name, kind).
  void Finish(BlockIndex* x, NameTable* names) {
    std::vector<std::tuple<std::string_view, std::string_view, uint8_t>> ops;
    x->postings.reserve(keys_.size());
    for (uint32_t id = 0; id < keys_.size(); ++id) {
      const std::string_view key = keys_.key(id);
      if (key[0] == kPostOperation) {
        const size_t sep = key.find('\0', 1);
        for (uint8_t k = 0; k < 8; ++k) {
          if (kinds_[id] & (1u << k))
            ops.emplace_back(key.substr(1, sep - 1), key.substr(sep + 1), k);
        }
      }
      x->postings.emplace(std::string(key), std::move(lists_[id]));
    }
    std::sort(ops.begin(), ops.end());
    for (const auto& [svc, name, kind] : ops) {
      x->operations.push_back(
          OperationEntry{names->Id(svc), names->Id(name), static_cast<model::SpanKind>(kind)});
    }
  }

 private:
  format::StringIds keys_;
  std::vector<std::vector<uint32_t>> lists_;
  std::vector<uint8_t> kinds_;
};

// Appends one compressed page to `file`; returns its offset and size.
Status AppendPage(WritableFile* file, const std::string& raw, uint64_t* offset, uint32_t* size) {
  const std::string frame = ZstdCompress(raw, kZstdLevel);
  *offset = file->size();
  *size = static_cast<uint32_t>(frame.size());
  return file->Append(frame);
}

Status FinishFile(WritableFile* file) {
  TW_RETURN_IF_ERROR(file->Sync());
  return file->Close();
}

void AddTrace(const std::vector<SpanRef>& spans, uint32_t page, BlockIndex* x, NameTable* names,
              PostingBuilder* postings, const engine::IndexedKeys& indexed, std::string* scratch) {
  const auto ord = static_cast<uint32_t>(x->traces.size());
  const engine::TracePart part = engine::PartOfSpans(spans);
  TraceEntry t;
  t.id = part.id;
  t.page = page;
  t.span_count = part.spans;
  t.error_count = part.errors;
  t.root_service = names->Id(part.root_service);
  t.root_operation = names->Id(part.root_operation);
  t.has_root = part.has_root;
  t.start_ns = part.start_ns;
  t.end_ns = part.end_ns;
  t.root_start_ns = part.root_start_ns;
  t.services_begin = static_cast<uint32_t>(x->trace_services.size());
  t.services_count = static_cast<uint32_t>(part.services.size());
  for (const auto& s : part.services) {
    x->trace_services.push_back(TraceService{names->Id(s.service), s.span_count, s.error_count});
  }
  TraceService* services = x->trace_services.data() + t.services_begin;
  for (const SpanRef& ref : spans) {
    const model::Span& s = ref.span();
    const uint64_t d = engine::SpanDuration(s);
    t.max_span_duration_ns = std::max(t.max_span_duration_ns, d);
    // part.services is sorted by name: the span's service entry by binary search.
    const auto it = std::lower_bound(
        part.services.begin(), part.services.end(), ref.resource().service_name,
        [](const ServiceSpanCount& c, std::string_view name) { return c.service < name; });
    if (it != part.services.end()) {
      TraceService& ts = services[it - part.services.begin()];
      ts.max_duration_ns = std::max(ts.max_duration_ns, d);
    }
    engine::ForEachPostingKey(s, ref.resource(), indexed, scratch,
                              [&](std::string_view key) { postings->Add(key, ord, s.kind); });
  }
  x->traces.push_back(t);
}

// Sorts by (trace id, start, span id) over a flat array of keys, so comparisons never chase
// a span pointer.
void SortSpans(std::vector<SpanRef>* spans) {
  struct Key {
    model::TraceId trace;
    uint64_t start;
    model::SpanId span;
    uint32_t at;
  };
  std::vector<Key> keys;
  keys.reserve(spans->size());
  for (uint32_t i = 0; i < spans->size(); ++i) {
    const model::Span& s = (*spans)[i].span();
    keys.push_back(Key{s.trace_id, s.start_time_unix_nano, s.span_id, i});
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    return std::tie(a.trace, a.start, a.span) < std::tie(b.trace, b.start, b.span);
  });
  std::vector<SpanRef> sorted;
  sorted.reserve(spans->size());
  for (const Key& k : keys) sorted.push_back((*spans)[k.at]);
  spans->swap(sorted);
}

}  // namespace

std::string BlockDirName(uint64_t id) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, id);
  return buf;
}

StatusOr<std::string> WriteBlock(FileSystem* fs, const std::string& blocks_dir, BlockContents c,
                                 const engine::IndexedKeys& indexed) {
  SortSpans(&c.spans);
  std::stable_sort(c.logs.begin(), c.logs.end(), [](const LogRef& a, const LogRef& b) {
    const model::LogRecord& x = a.record();
    const model::LogRecord& y = b.record();
    return std::tie(x.trace_id, x.span_id, x.time_unix_nano, x.observed_time_unix_nano) <
           std::tie(y.trace_id, y.span_id, y.time_unix_nano, y.observed_time_unix_nano);
  });

  const std::string tmp = blocks_dir + "/" + std::string(kTmpPrefix) + BlockDirName(c.id);
  const std::string final_dir = blocks_dir + "/" + BlockDirName(c.id);
  if (fs->Exists(tmp)) TW_RETURN_IF_ERROR(fs->RemoveDirRecursive(tmp));
  TW_RETURN_IF_ERROR(fs->CreateDirs(tmp));

  BlockIndex x;
  x.meta.id = c.id;
  x.meta.cover_lo = c.cover_lo;
  x.meta.cover_hi = c.cover_hi;
  x.meta.last_seq = c.last_seq;
  x.meta.span_count = c.spans.size();
  x.meta.log_count = c.logs.size();
  x.meta.max_time_ns = c.stored_ns;
  x.meta.min_start_ns = c.spans.empty() ? 0 : UINT64_MAX;
  x.shared_strings = ChooseSharedStrings(c.spans);
  format::StringDict shared;  // ids 0..n-1: the shared strings, as every page starts
  for (size_t i = 0; i < x.shared_strings.size(); ++i) shared.Intern(x.shared_strings.at(i));
  NameTable names(&x.names);
  PostingBuilder postings;
  std::string scratch;
  engine::EdgeMap edges;

  // Spans: pages of whole traces.
  auto spans_file = fs->NewWritableFile(tmp + "/" + std::string(kSpansFile), true);
  if (!spans_file.ok()) return spans_file.status();
  std::vector<SpanRef> trace_spans;
  size_t page_begin = 0;
  size_t page_first_trace = 0;
  auto flush_page = [&](size_t end) -> Status {
    if (end == page_begin) return OkStatus();
    SpanPageEntry e;
    const std::string page = EncodeSpanPage(
        std::span<const SpanRef>(c.spans).subspan(page_begin, end - page_begin), shared);
    e.offset = (*spans_file)->size();
    e.size = static_cast<uint32_t>(page.size());
    TW_RETURN_IF_ERROR((*spans_file)->Append(page));
    e.first_trace = static_cast<uint32_t>(page_first_trace);
    e.trace_count = static_cast<uint32_t>(x.traces.size() - page_first_trace);
    e.span_count = static_cast<uint32_t>(end - page_begin);
    x.span_pages.push_back(e);
    page_begin = end;
    page_first_trace = x.traces.size();
    return OkStatus();
  };
  for (size_t i = 0; i < c.spans.size();) {
    size_t j = i;
    trace_spans.clear();
    while (j < c.spans.size() && c.spans[j].span().trace_id == c.spans[i].span().trace_id) {
      const SpanRef& ref = c.spans[j];
      const model::Span& s = ref.span();
      trace_spans.push_back(ref);
      x.meta.min_start_ns = std::min(x.meta.min_start_ns, s.start_time_unix_nano);
      x.meta.max_start_ns = std::max(x.meta.max_start_ns, s.start_time_unix_nano);
      x.meta.max_time_ns = std::max(x.meta.max_time_ns, s.end_time_unix_nano);
      ++j;
    }
    AddTrace(trace_spans, static_cast<uint32_t>(x.span_pages.size()), &x, &names, &postings,
             indexed, &scratch);
    engine::AddTraceEdges(trace_spans, 0, UINT64_MAX, &edges);
    i = j;
    if (i - page_begin >= kTargetPageSpans) TW_RETURN_IF_ERROR(flush_page(i));
  }
  TW_RETURN_IF_ERROR(flush_page(c.spans.size()));
  TW_RETURN_IF_ERROR(FinishFile(spans_file->get()));

  postings.Finish(&x, &names);
  std::vector<engine::EdgeMap::value_type*> sorted_edges;
  sorted_edges.reserve(edges.size());
  for (auto& e : edges) sorted_edges.push_back(&e);
  std::sort(sorted_edges.begin(), sorted_edges.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  for (auto* e : sorted_edges) {
    x.edges.push_back(EdgeEntry{names.Id(e->first.first), names.Id(e->first.second),
                                e->second.calls, e->second.errors, std::move(e->second.durations)});
  }
  BloomBuilder bloom(x.traces.size());
  for (const TraceEntry& t : x.traces) bloom.Add(t.id);
  x.bloom = bloom.Finish();

  // Logs: pages in (trace id, span id, time) order.
  auto logs_file = fs->NewWritableFile(tmp + "/" + std::string(kLogsFile), true);
  if (!logs_file.ok()) return logs_file.status();
  for (size_t i = 0; i < c.logs.size(); i += kTargetLogPageRecords) {
    const size_t n = std::min(kTargetLogPageRecords, c.logs.size() - i);
    auto refs = std::span<const LogRef>(c.logs).subspan(i, n);
    std::string raw;
    format::EncodeLogs(refs, &raw);
    LogPageEntry e;
    TW_RETURN_IF_ERROR(AppendPage(logs_file->get(), raw, &e.offset, &e.size));
    e.record_count = static_cast<uint32_t>(n);
    e.first = refs.front().record().trace_id;
    e.last = refs.back().record().trace_id;
    x.log_pages.push_back(e);
    for (const LogRef& r : refs) {
      x.meta.max_time_ns = std::max(x.meta.max_time_ns, r.record().time_unix_nano);
    }
  }
  TW_RETURN_IF_ERROR(FinishFile(logs_file->get()));

  auto index_file = fs->NewWritableFile(tmp + "/" + std::string(kIndexFile), true);
  if (!index_file.ok()) return index_file.status();
  const std::string frame = ZstdCompress(EncodeBlockIndex(x), kZstdLevel);
  const std::string_view pieces[] = {kIndexMagic, frame};
  TW_RETURN_IF_ERROR((*index_file)->AppendV(pieces, 2));
  TW_RETURN_IF_ERROR(FinishFile(index_file->get()));

  TW_RETURN_IF_ERROR(fs->SyncDir(tmp));
  TW_RETURN_IF_ERROR(fs->Rename(tmp, final_dir));
  TW_RETURN_IF_ERROR(fs->SyncDir(blocks_dir));
  return final_dir;
}

}  // namespace tracewire::store::block
