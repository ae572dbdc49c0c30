#include "store/head/head.h"

#include <algorithm>

namespace tracewire::store::head {

using format::LogRef;
using format::SpanRef;

uint32_t Head::TraceOrdinal(const model::TraceId& id, uint32_t span, uint64_t start, uint64_t end) {
  auto [it, inserted] = trace_ids_.try_emplace(id, static_cast<uint32_t>(traces_.size()));
  if (inserted) {
    traces_.push_back(TraceSlot{id, span, span, start, end});
    return it->second;
  }
  TraceSlot& t = traces_[it->second];
  spans_[t.last].next = span;
  t.last = span;
  t.start_ns = std::min(t.start_ns, start);
  t.end_ns = std::max(t.end_ns, end);
  return it->second;
}

void Head::AddSpans(std::shared_ptr<const model::SpanBatch> batch) {
  const auto b = static_cast<uint32_t>(batches_.size());
  batch_bytes_ += batch->bytes_reserved();
  // Geometric growth only: reserve(size + n) per batch would reallocate (and copy every slot)
  // on every batch.
  if (spans_.capacity() < spans_.size() + batch->spans.size()) {
    spans_.reserve(std::max(spans_.capacity() * 2, spans_.size() + batch->spans.size()));
  }
  // HOT PATH: per span, no allocation beyond amortized vector growth and new posting keys.
  for (uint32_t i = 0; i < batch->spans.size(); ++i) {
    const model::Span& s = batch->spans[i];
    const auto slot = static_cast<uint32_t>(spans_.size());
    spans_.push_back(SpanSlot{b, i, kEnd});
    const uint32_t trace =
        TraceOrdinal(s.trace_id, slot, s.start_time_unix_nano, s.end_time_unix_nano);
    const auto kind_bit = static_cast<uint8_t>(1u << static_cast<unsigned>(s.kind));
    engine::ForEachPostingKey(s, batch->resources[s.resource_index], *indexed_, &scratch_,
                              [&](std::string_view key) {
                                const uint32_t id = posting_keys_.Intern(key);
                                if (id == postings_.size()) postings_.emplace_back();
                                Posting& p = postings_[id];
                                if (p.traces.empty() || p.traces.back() != trace)
                                  p.traces.push_back(trace);
                                if (key[0] == block::kPostOperation) p.kinds |= kind_bit;
                              });
  }
  batches_.push_back(std::move(batch));
}

void Head::AddLogs(std::shared_ptr<const model::LogBatch> batch) {
  const auto b = static_cast<uint32_t>(log_batches_.size());
  batch_bytes_ += batch->bytes_reserved();
  for (uint32_t i = 0; i < batch->records.size(); ++i) {
    const auto slot = static_cast<uint32_t>(logs_.size());
    logs_.push_back(LogSlot{b, i, kEnd});
    auto [it, inserted] = log_traces_.try_emplace(batch->records[i].trace_id, slot, slot);
    if (!inserted) {
      logs_[it->second.second].next = slot;
      it->second.second = slot;
    }
  }
  log_batches_.push_back(std::move(batch));
}

uint64_t Head::bytes() const {
  return batch_bytes_ + spans_.size() * sizeof(SpanSlot) + traces_.size() * 64 +
         logs_.size() * sizeof(LogSlot);
}

void Head::Chain(uint32_t trace, std::vector<SpanRef>* out) const {
  for (uint32_t s = traces_[trace].first; s != kEnd; s = spans_[s].next) {
    out->push_back(SpanRef{batches_[spans_[s].batch].get(), spans_[s].index});
  }
}

void Head::TraceSpans(const model::TraceId& id, std::vector<SpanRef>* out) const {
  auto it = trace_ids_.find(id);
  if (it != trace_ids_.end()) Chain(it->second, out);
}

void Head::TraceLogs(const model::TraceId& id, std::vector<LogRef>* out) const {
  auto it = log_traces_.find(id);
  if (it == log_traces_.end()) return;
  for (uint32_t s = it->second.first; s != kEnd; s = logs_[s].next) {
    out->push_back(LogRef{log_batches_[logs_[s].batch].get(), logs_[s].index});
  }
}

void Head::AllSpans(std::vector<SpanRef>* out) const {
  out->reserve(out->size() + spans_.size());
  for (const SpanSlot& s : spans_) out->push_back(SpanRef{batches_[s.batch].get(), s.index});
}

void Head::AllLogs(std::vector<LogRef>* out) const {
  out->reserve(out->size() + logs_.size());
  for (const LogSlot& s : logs_) out->push_back(LogRef{log_batches_[s.batch].get(), s.index});
}

void Head::Find(const engine::QueryPlan& plan, size_t limit,
                std::vector<engine::TracePart>* out) const {
  const TraceQuery& q = *plan.query;
  std::vector<uint32_t> candidates;
  if (plan.terms.empty()) {
    candidates.resize(traces_.size());
    for (uint32_t i = 0; i < candidates.size(); ++i) candidates[i] = i;
  } else {
    // Count, per trace, the terms it has; candidates have all of them.
    std::vector<uint16_t> hits(traces_.size(), 0);
    for (size_t t = 0; t < plan.terms.size(); ++t) {
      const uint32_t id = posting_keys_.Find(plan.terms[t]);
      if (id == format::StringIds::kAbsent) return;
      for (uint32_t ord : postings_[id].traces) {
        if (hits[ord] == t) hits[ord] = static_cast<uint16_t>(t + 1);
      }
    }
    for (uint32_t i = 0; i < hits.size(); ++i) {
      if (hits[i] == plan.terms.size()) candidates.push_back(i);
    }
  }
  // Cheap trace-level pruning, then newest first.
  std::erase_if(candidates, [&](uint32_t c) {
    const TraceSlot& t = traces_[c];
    return t.start_ns >= q.end_ns ||
           (q.min_duration_ns && t.end_ns - t.start_ns < *q.min_duration_ns &&
            t.end_ns >= t.start_ns);
  });
  std::sort(candidates.begin(), candidates.end(), [&](uint32_t a, uint32_t b) {
    return engine::NewerFirst(traces_[a].start_ns, traces_[a].id, traces_[b].start_ns,
                              traces_[b].id);
  });
  std::vector<SpanRef> refs;
  for (uint32_t c : candidates) {
    if (out->size() >= limit) break;
    refs.clear();
    Chain(c, &refs);
    bool match = false;
    for (const SpanRef& r : refs) {
      if (plan.SpanMatches(r.span(), r.resource())) {
        match = true;
        break;
      }
    }
    if (match) out->push_back(engine::PartOfSpans(refs));
  }
}

bool Head::Part(const model::TraceId& id, engine::TracePart* out) const {
  std::vector<SpanRef> refs;
  TraceSpans(id, &refs);
  if (refs.empty()) return false;
  *out = engine::PartOfSpans(refs);
  return true;
}

void Head::Services(std::set<std::string, std::less<>>* out) const {
  for (std::string_view key : posting_keys_.keys()) {
    if (key[0] == block::kPostService) out->emplace(key.substr(1));
  }
}

void Head::Operations(std::string_view service, std::set<std::pair<std::string, int>>* out) const {
  std::string prefix;
  engine::AppendOperationKey(service, "", &prefix);
  for (uint32_t id = 0; id < posting_keys_.size(); ++id) {
    const std::string_view key = posting_keys_.key(id);
    if (!key.starts_with(prefix)) continue;
    const uint8_t kinds = postings_[id].kinds;
    for (int k = 0; k < 8; ++k) {
      if (kinds & (1u << k)) out->emplace(std::string(key.substr(prefix.size())), k);
    }
  }
}

void Head::Dependencies(uint64_t start_ns, uint64_t end_ns, engine::EdgeMap* edges) const {
  std::vector<SpanRef> refs;
  for (uint32_t t = 0; t < traces_.size(); ++t) {
    if (traces_[t].start_ns >= end_ns || traces_[t].end_ns < start_ns) continue;
    refs.clear();
    Chain(t, &refs);
    engine::AddTraceEdges(refs, start_ns, end_ns, edges);
  }
}

}  // namespace tracewire::store::head
