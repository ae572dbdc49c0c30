// The head: spans and logs not yet in a block, in memory, grouped by trace, with the same
// postings as blocks. Holds the appended batches themselves (shared, read-only); per span it
// adds 12 bytes of chain and a few posting entries, so appending allocates per batch, not per
// span (vectors grow geometrically).
//
// Thread-safety: none; the store serializes writers and lets readers share (shared_mutex).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/span_batch.h"
#include "store/block/block_format.h"
#include "store/engine/dependency_edges.h"
#include "store/engine/posting_keys.h"
#include "store/engine/query_plan.h"
#include "store/engine/trace_part.h"
#include "store/format/row_format.h"
#include "store/format/string_ids.h"

namespace tracewire::store::head {

struct TraceIdHash {
  size_t operator()(const model::TraceId& id) const {
    uint64_t a = 0;
    uint64_t b = 0;
    std::memcpy(&a, id.data(), 8);
    std::memcpy(&b, id.data() + 8, 8);
    return static_cast<size_t>((a ^ (b * 0x9e3779b97f4a7c15ull)) * 0xbf58476d1ce4e5b9ull >> 7);
  }
};

class Head {
 public:
  // `indexed` must outlive the head. `id` names the block the head becomes.
  Head(const engine::IndexedKeys* indexed, uint64_t id) : indexed_(indexed), id_(id) {}
  Head(const Head&) = delete;
  Head& operator=(const Head&) = delete;

  // HOT PATH (per span inside): indexes every span of the batch and keeps the batch.
  void AddSpans(std::shared_ptr<const model::SpanBatch> batch);
  void AddLogs(std::shared_ptr<const model::LogBatch> batch);

  uint64_t id() const { return id_; }
  bool empty() const { return spans_.empty() && logs_.empty(); }
  size_t span_count() const { return spans_.size(); }
  size_t log_count() const { return logs_.size(); }
  // Batches plus index (bytes): the measure compared with head_max_bytes.
  uint64_t bytes() const;

  void TraceSpans(const model::TraceId& id, std::vector<format::SpanRef>* out) const;
  void TraceLogs(const model::TraceId& id, std::vector<format::LogRef>* out) const;
  void AllSpans(std::vector<format::SpanRef>* out) const;
  void AllLogs(std::vector<format::LogRef>* out) const;

  // Up to `limit` parts of traces matching the plan, newest first by the part's start.
  void Find(const engine::QueryPlan& plan, size_t limit, std::vector<engine::TracePart>* out) const;
  // The part of a trace held here; false when none.
  bool Part(const model::TraceId& id, engine::TracePart* out) const;

  void Services(std::set<std::string, std::less<>>* out) const;
  void Operations(std::string_view service, std::set<std::pair<std::string, int>>* out) const;
  void Dependencies(uint64_t start_ns, uint64_t end_ns, engine::EdgeMap* edges) const;

 private:
  static constexpr uint32_t kEnd = UINT32_MAX;
  struct SpanSlot {
    uint32_t batch;
    uint32_t index;
    uint32_t next;  // next span of the trace, or kEnd
  };
  struct TraceSlot {
    model::TraceId id;
    uint32_t first;
    uint32_t last;
    uint64_t start_ns;
    uint64_t end_ns;
  };
  struct LogSlot {
    uint32_t batch;
    uint32_t index;
    uint32_t next;
  };
  struct Posting {
    std::vector<uint32_t> traces;  // trace ordinals, unsorted, without adjacent repeats
    uint8_t kinds = 0;             // operation postings: span kinds seen (bit per kind)
  };

  uint32_t TraceOrdinal(const model::TraceId& id, uint32_t span, uint64_t start, uint64_t end);
  void Chain(uint32_t trace, std::vector<format::SpanRef>* out) const;

  const engine::IndexedKeys* indexed_;
  uint64_t id_;
  std::vector<std::shared_ptr<const model::SpanBatch>> batches_;
  std::vector<SpanSlot> spans_;
  std::vector<TraceSlot> traces_;
  std::unordered_map<model::TraceId, uint32_t, TraceIdHash> trace_ids_;
  format::StringIds posting_keys_;  // posting key → index into postings_
  std::vector<Posting> postings_;
  std::string scratch_;
  uint64_t batch_bytes_ = 0;

  std::vector<std::shared_ptr<const model::LogBatch>> log_batches_;
  std::vector<LogSlot> logs_;
  std::unordered_map<model::TraceId, std::pair<uint32_t, uint32_t>, TraceIdHash> log_traces_;
};

}  // namespace tracewire::store::head
