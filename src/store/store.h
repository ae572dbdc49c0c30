// Store: the embedded trace and log store behind `tracewire serve` (DESIGN.md §4).
//
// Write path: Append* hands a decoded batch to the store, which logs it to the write-ahead log,
// adds it to the head block and calls `done` once the batch is durable under
// StoreOptions::sync. A batch whose `done` said OK survives kill -9; one that said an error was
// not stored. Read path: spans are visible to queries no later than their `done` runs.
//
// Thread-safety: every method may be called from any thread, concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "model/span_batch.h"
#include "store/store_options.h"
#include "store/store_query.h"

namespace tracewire::store {

// Called exactly once, on a store thread; must not block. OK: durable. UNAVAILABLE: the disk is
// full or failing (nothing of the batch is kept). RESOURCE_EXHAUSTED: over a write limit.
// FAILED_PRECONDITION: the store is closed.
using AppendDone = std::function<void(Status)>;

class Store {
 public:
  // Opens (creating if needed) the store in options.data_dir and recovers: replays the WAL into
  // the head, drops a torn WAL tail, ignores half-written blocks. Errors: INVALID_ARGUMENT for bad
  // options, UNAVAILABLE when the directory cannot be used, DATA_LOSS never (corruption is
  // repaired and counted, see StoreStats).
  static StatusOr<std::unique_ptr<Store>> Open(StoreOptions options);

  // Closes (see Close()).
  virtual ~Store() = default;

  virtual void AppendSpans(std::shared_ptr<const model::SpanBatch> batch, AppendDone done) = 0;
  virtual void AppendLogs(std::shared_ptr<const model::LogBatch> batch, AppendDone done) = 0;

  // Every span of the trace, in the store's order (by start time, then span id), as one batch
  // with its resources and scopes. NOT_FOUND when no span of it is stored.
  virtual StatusOr<std::unique_ptr<model::SpanBatch>> GetTrace(const model::TraceId& id) = 0;

  // Traces with at least one span matching every condition of `query`, newest first (by the
  // trace's start time, ties by trace id), at most query.limit.
  virtual StatusOr<std::vector<TraceSummary>> FindTraces(const TraceQuery& query) = 0;

  // Service names seen (sorted), and operations of one service (sorted by name, then kind).
  virtual StatusOr<std::vector<std::string>> Services() = 0;
  virtual StatusOr<std::vector<Operation>> Operations(std::string_view service) = 0;

  // Calls between services whose spans start in [start_ns, end_ns): a parent span of service A
  // with a child span of service B ≠ A counts one call A → B. Sorted by (parent, child).
  virtual StatusOr<std::vector<DependencyLink>> Dependencies(uint64_t start_ns,
                                                             uint64_t end_ns) = 0;

  // Log records of a trace (of one span when span_id is given), by time then observed time.
  // An empty batch when there are none.
  virtual StatusOr<std::unique_ptr<model::LogBatch>> GetLogs(
      const model::TraceId& trace_id, std::optional<model::SpanId> span_id) = 0;

  virtual StoreStats Stats() const = 0;

  // Makes everything appended so far durable and cuts the head into a block when due.
  virtual Status Flush() = 0;
  // Waits for pending appends (their `done` runs), flushes, stops background work. Idempotent;
  // later appends get FAILED_PRECONDITION.
  virtual Status Close() = 0;
};

}  // namespace tracewire::store
