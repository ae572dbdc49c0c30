// The read side of StoreImpl: every query reads the head under a shared lock, then the blocks
// of a snapshot of the block list with no lock held.
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "store/engine/query_plan.h"
#include "store/engine/trace_part.h"
#include "store/format/row_format.h"
#include "store/store_impl.h"

namespace tracewire::store {
namespace {

using format::LogRef;
using format::SpanRef;

// Copies `refs` into one batch that owns its memory (through the row format).
StatusOr<std::unique_ptr<model::SpanBatch>> CopySpans(const std::vector<SpanRef>& refs) {
  std::string bytes;
  format::EncodeSpans(refs, &bytes);
  return format::DecodeSpans(std::move(bytes));
}
StatusOr<std::unique_ptr<model::LogBatch>> CopyLogs(const std::vector<LogRef>& refs) {
  std::string bytes;
  format::EncodeLogs(refs, &bytes);
  return format::DecodeLogs(std::move(bytes));
}

// Up to `limit` matching parts of `b`, newest first by part start.
Status FindInBlock(const block::Block& b, const engine::QueryPlan& plan, size_t limit,
                   std::vector<engine::TracePart>* out) {
  const TraceQuery& q = *plan.query;
  const block::BlockIndex& x = b.index();
  if (x.traces.empty() || x.meta.max_start_ns < q.start_ns || x.meta.min_start_ns >= q.end_ns) {
    return OkStatus();
  }
  std::vector<uint32_t> cand;
  if (plan.terms.empty()) {
    cand.resize(x.traces.size());
    for (uint32_t i = 0; i < cand.size(); ++i) cand[i] = i;
  } else {
    std::vector<const std::vector<uint32_t>*> lists;
    for (const std::string& t : plan.terms) {
      auto it = x.postings.find(t);
      if (it == x.postings.end()) return OkStatus();
      lists.push_back(&it->second);
    }
    std::sort(lists.begin(), lists.end(), [](auto* a, auto* b) { return a->size() < b->size(); });
    cand = *lists[0];
    std::vector<uint32_t> next;
    for (size_t i = 1; i < lists.size() && !cand.empty(); ++i) {
      next.clear();
      std::set_intersection(cand.begin(), cand.end(), lists[i]->begin(), lists[i]->end(),
                            std::back_inserter(next));
      cand.swap(next);
    }
  }
  std::erase_if(cand, [&](uint32_t c) {
    const block::TraceEntry& t = x.traces[c];
    return t.start_ns >= q.end_ns ||
           (q.min_duration_ns && t.max_span_duration_ns < *q.min_duration_ns);
  });
  // Newest first over a contiguous copy of the sort keys (no trace-table lookups while sorting);
  // when no candidate needs a page check, only the first `limit` are ordered.
  struct Key {
    uint64_t start_ns;
    model::TraceId id;
    uint32_t ordinal;
  };
  std::vector<Key> keys;
  keys.reserve(cand.size());
  for (uint32_t c : cand) keys.push_back(Key{x.traces[c].start_ns, x.traces[c].id, c});
  const auto newer = [](const Key& a, const Key& b) {
    return engine::NewerFirst(a.start_ns, a.id, b.start_ns, b.id);
  };
  bool check = plan.NeedsCheck(x.meta.min_start_ns, x.meta.max_start_ns);
  // A service + minimum duration query inside the block's time range: the trace's longest span
  // of that service decides, from the index alone.
  int64_t service_name = -1;
  if (check && plan.service_min_duration_only && q.start_ns <= x.meta.min_start_ns &&
      x.meta.max_start_ns < q.end_ns) {
    const auto it = std::find(x.names.begin(), x.names.end(), q.service);
    if (it == x.names.end()) return OkStatus();
    service_name = it - x.names.begin();
    check = false;
  }
  if (!check && service_name < 0 && keys.size() > limit) {
    std::partial_sort(keys.begin(), keys.begin() + static_cast<ptrdiff_t>(limit), keys.end(),
                      newer);
    keys.resize(limit);
  } else {
    std::sort(keys.begin(), keys.end(), newer);
  }
  cand.clear();
  for (const Key& k : keys) cand.push_back(k.ordinal);
  std::unordered_map<uint32_t, std::unique_ptr<model::SpanBatch>> pages;
  size_t found = 0;
  for (uint32_t c : cand) {
    if (found >= limit) break;
    if (check) {
      const uint32_t p = x.traces[c].page;
      auto it = pages.find(p);
      if (it == pages.end()) {
        auto page = b.ReadSpanPage(p);
        if (!page.ok()) return page.status();
        it = pages.emplace(p, std::move(*page)).first;
      }
      const model::SpanBatch& batch = *it->second;
      auto [first, count] = b.SpanRange(c);
      bool match = false;
      for (size_t s = first; s < first + count && !match; ++s) {
        const model::Span& sp = batch.spans[s];
        match = plan.SpanMatches(sp, batch.resources[sp.resource_index]);
      }
      if (!match) continue;
    }
    if (service_name >= 0) {
      const block::TraceEntry& t = x.traces[c];
      bool match = false;
      for (uint32_t k = 0; k < t.services_count && !match; ++k) {
        const block::TraceService& ts = x.trace_services[t.services_begin + k];
        match = ts.name == service_name && ts.max_duration_ns >= *q.min_duration_ns;
      }
      if (!match) continue;
    }
    out->push_back(b.Part(c));
    ++found;
  }
  return OkStatus();
}

}  // namespace

StatusOr<std::unique_ptr<model::SpanBatch>> StoreImpl::GetTrace(const model::TraceId& id) {
  std::unique_ptr<model::SpanBatch> head_copy;
  BlockList blocks;
  {
    std::shared_lock<std::shared_mutex> lock(head_mu_);
    blocks = SnapshotBlocks();
    std::vector<SpanRef> refs;
    for (const auto& f : frozen_) f->TraceSpans(id, &refs);
    head_->TraceSpans(id, &refs);
    if (!refs.empty()) {
      auto copy = CopySpans(refs);
      if (!copy.ok()) return copy.status();
      head_copy = std::move(*copy);
    }
  }
  // The answer takes over the decoded pages (their spans of this trace only) instead of copying
  // the spans once more: a 100k-span trace is ~100 pages.
  auto out = std::make_unique<model::SpanBatch>();
  if (head_copy != nullptr) out->Absorb(std::move(*head_copy));
  for (const auto& b : blocks) {
    const int64_t ord = b->FindTrace(id);
    if (ord < 0) continue;
    auto page = b->ReadSpanPage(b->index().traces[static_cast<size_t>(ord)].page);
    if (!page.ok()) return page.status();
    auto [first, count] = b->SpanRange(static_cast<uint32_t>(ord));
    std::vector<model::Span>& spans = (*page)->spans;
    if (first + count > spans.size()) {
      return DataLossError("store: trace " + id.ToHex() + " runs past its page");
    }
    spans.erase(spans.begin() + static_cast<ptrdiff_t>(first + count), spans.end());
    spans.erase(spans.begin(), spans.begin() + static_cast<ptrdiff_t>(first));
    out->Absorb(std::move(**page));
  }
  if (out->spans.empty()) return NotFoundError("trace " + id.ToHex() + " not found");
  std::sort(out->spans.begin(), out->spans.end(), [](const model::Span& a, const model::Span& b) {
    return std::tie(a.start_time_unix_nano, a.span_id) <
           std::tie(b.start_time_unix_nano, b.span_id);
  });
  return out;
}

StatusOr<std::vector<TraceSummary>> StoreImpl::FindTraces(const TraceQuery& query) {
  std::vector<TraceSummary> result;
  if (query.limit == 0) return result;
  const engine::QueryPlan plan = engine::PlanQuery(query, indexed_);
  std::vector<engine::TracePart> found;
  BlockList blocks;
  {
    std::shared_lock<std::shared_mutex> lock(head_mu_);
    blocks = SnapshotBlocks();
    for (const auto& f : frozen_) f->Find(plan, query.limit, &found);
    head_->Find(plan, query.limit, &found);
  }
  // Newest blocks first; once `limit` parts are found, a block whose spans all start before the
  // limit-th newest part cannot place a trace in the result (by part start, as above).
  BlockList by_time = blocks;
  std::sort(by_time.begin(), by_time.end(), [](const auto& a, const auto& b) {
    return a->meta().max_start_ns > b->meta().max_start_ns;
  });
  std::vector<uint64_t> starts;
  for (const auto& b : by_time) {
    if (found.size() >= query.limit) {
      starts.clear();
      for (const auto& p : found) starts.push_back(p.start_ns);
      std::nth_element(starts.begin(), starts.begin() + static_cast<ptrdiff_t>(query.limit - 1),
                       starts.end(), std::greater<>());
      if (b->meta().max_start_ns < starts[query.limit - 1]) break;
    }
    TW_RETURN_IF_ERROR(FindInBlock(*b, plan, query.limit, &found));
  }
  std::vector<model::TraceId> ids;
  ids.reserve(found.size());
  for (const auto& p : found) ids.push_back(p.id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());

  // Whole summaries: a trace may have parts in several places. The head, the frozen heads and
  // the blocks are looked at again as one snapshot: a frozen head found above may have become a
  // block since, and would otherwise be in neither place.
  std::map<model::TraceId, std::vector<engine::TracePart>> parts;
  {
    std::shared_lock<std::shared_mutex> lock(head_mu_);
    blocks = SnapshotBlocks();
    for (const auto& id : ids) {
      engine::TracePart p;
      for (const auto& f : frozen_) {
        if (f->Part(id, &p)) parts[id].push_back(p);
      }
      if (head_->Part(id, &p)) parts[id].push_back(p);
    }
  }
  for (const auto& id : ids) {
    for (const auto& b : blocks) {
      const int64_t ord = b->FindTrace(id);
      if (ord >= 0) parts[id].push_back(b->Part(static_cast<uint32_t>(ord)));
    }
  }
  for (auto& [id, list] : parts) {
    std::vector<const engine::TracePart*> ptrs;
    for (const auto& p : list) ptrs.push_back(&p);
    result.push_back(engine::MergeParts(ptrs));
  }
  std::sort(result.begin(), result.end(), [](const TraceSummary& a, const TraceSummary& b) {
    return engine::NewerFirst(a.start_ns, a.trace_id, b.start_ns, b.trace_id);
  });
  if (result.size() > query.limit) result.resize(query.limit);
  return result;
}

StatusOr<std::vector<std::string>> StoreImpl::Services() {
  std::set<std::string, std::less<>> names;
  BlockList blocks;
  {
    std::shared_lock<std::shared_mutex> lock(head_mu_);
    blocks = SnapshotBlocks();
    for (const auto& f : frozen_) f->Services(&names);
    head_->Services(&names);
  }
  for (const auto& b : blocks) {
    for (const auto& o : b->index().operations) names.insert(b->index().names[o.service]);
  }
  return std::vector<std::string>(names.begin(), names.end());
}

StatusOr<std::vector<Operation>> StoreImpl::Operations(std::string_view service) {
  std::set<std::pair<std::string, int>> ops;
  BlockList blocks;
  {
    std::shared_lock<std::shared_mutex> lock(head_mu_);
    blocks = SnapshotBlocks();
    for (const auto& f : frozen_) f->Operations(service, &ops);
    head_->Operations(service, &ops);
  }
  for (const auto& b : blocks) {
    const auto& x = b->index();
    for (const auto& o : x.operations) {
      if (x.names[o.service] == service) ops.emplace(x.names[o.name], static_cast<int>(o.kind));
    }
  }
  std::vector<Operation> out;
  out.reserve(ops.size());
  for (const auto& [name, kind] : ops) {
    out.push_back(Operation{name, static_cast<model::SpanKind>(kind)});
  }
  return out;
}

StatusOr<std::vector<DependencyLink>> StoreImpl::Dependencies(uint64_t start_ns, uint64_t end_ns) {
  engine::EdgeMap edges;
  BlockList blocks;
  {
    std::shared_lock<std::shared_mutex> lock(head_mu_);
    blocks = SnapshotBlocks();
    for (const auto& f : frozen_) f->Dependencies(start_ns, end_ns, &edges);
    head_->Dependencies(start_ns, end_ns, &edges);
  }
  for (const auto& b : blocks) {
    const auto& x = b->index();
    if (x.traces.empty() || x.meta.max_start_ns < start_ns || x.meta.min_start_ns >= end_ns) {
      continue;
    }
    if (start_ns <= x.meta.min_start_ns && x.meta.max_start_ns < end_ns) {
      for (const auto& e : x.edges) {  // the precomputed table covers the whole block
        engine::EdgeStats& s = engine::EdgeAt(&edges, x.names[e.parent], x.names[e.child]);
        s.calls += e.calls;
        s.errors += e.errors;
        s.durations.Merge(e.durations);
      }
      continue;
    }
    for (uint32_t p = 0; p < x.span_pages.size(); ++p) {  // partly inside: span by span
      auto page = b->ReadSpanPage(p);
      if (!page.ok()) return page.status();
      const auto& pe = x.span_pages[p];
      std::vector<SpanRef> refs;
      for (uint32_t t = pe.first_trace; t < pe.first_trace + pe.trace_count; ++t) {
        auto [first, count] = b->SpanRange(t);
        refs.clear();
        for (size_t s = first; s < first + count; ++s) {
          refs.push_back({page->get(), static_cast<uint32_t>(s)});
        }
        engine::AddTraceEdges(refs, start_ns, end_ns, &edges);
      }
    }
  }
  return engine::EdgesToLinks(edges);
}

StatusOr<std::unique_ptr<model::LogBatch>> StoreImpl::GetLogs(
    const model::TraceId& trace_id, std::optional<model::SpanId> span_id) {
  std::unique_ptr<model::LogBatch> head_copy;
  BlockList blocks;
  {
    std::shared_lock<std::shared_mutex> lock(head_mu_);
    blocks = SnapshotBlocks();
    std::vector<LogRef> refs;
    for (const auto& f : frozen_) f->TraceLogs(trace_id, &refs);
    head_->TraceLogs(trace_id, &refs);
    if (!refs.empty()) {
      auto copy = CopyLogs(refs);
      if (!copy.ok()) return copy.status();
      head_copy = std::move(*copy);
    }
  }
  std::vector<std::unique_ptr<model::LogBatch>> pages;
  std::vector<LogRef> all;
  auto take = [&](const model::LogBatch* batch) {
    for (uint32_t i = 0; i < batch->records.size(); ++i) {
      const model::LogRecord& r = batch->records[i];
      if (r.trace_id == trace_id && (!span_id || r.span_id == *span_id)) all.push_back({batch, i});
    }
  };
  if (head_copy != nullptr) take(head_copy.get());
  for (const auto& b : blocks) {
    for (uint32_t p : b->LogPagesFor(trace_id)) {
      auto page = b->ReadLogPage(p);
      if (!page.ok()) return page.status();
      take(page->get());
      pages.push_back(std::move(*page));
    }
  }
  std::stable_sort(all.begin(), all.end(), [](const LogRef& a, const LogRef& b) {
    return std::tie(a.record().time_unix_nano, a.record().observed_time_unix_nano) <
           std::tie(b.record().time_unix_nano, b.record().observed_time_unix_nano);
  });
  return CopyLogs(all);
}

StoreStats StoreImpl::Stats() const {
  StoreStats s;
  s.spans_appended = spans_appended_;
  s.logs_appended = logs_appended_;
  s.append_errors = append_errors_;
  {
    std::shared_lock<std::shared_mutex> lock(head_mu_);
    s.head_spans = head_->span_count();
    for (const auto& f : frozen_) s.head_spans += f->span_count();
  }
  BlockList blocks = SnapshotBlocks();
  s.blocks = blocks.size();
  for (const auto& b : blocks) s.bytes_on_disk += b->bytes_on_disk();
  const WalStats w = wal_->Stats();
  s.wal_bytes = w.bytes_on_disk;
  s.bytes_on_disk += w.bytes_on_disk;
  s.wal_syncs = w.syncs;
  s.compactions = compactions_;
  s.blocks_dropped_by_retention = dropped_by_retention_;
  s.wal_records_dropped_on_recovery = w.records_dropped_on_replay + records_dropped_;
  s.blocks_ignored_on_recovery = blocks_ignored_;
  return s;
}

}  // namespace tracewire::store
