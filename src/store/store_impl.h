// StoreImpl: the Store behind Store::Open (internal). store_open.cc: open, recovery, close;
// store_write.cc: appends, head cuts, compaction, retention; store_read.cc: queries.
//
// Locking: head_mu_ (shared_mutex) guards head_ and frozen_ and their contents; appends take
// it exclusively once per batch, queries share it while they read the head. blocks_mu_
// guards the block list (copied by queries, which then read pages holding no lock).
// Order: maint_mu_ → append_mu_ → head_mu_ → blocks_mu_.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/block/block.h"
#include "store/engine/posting_keys.h"
#include "store/head/head.h"
#include "store/io/file_system.h"
#include "store/store.h"
#include "store/wal/wal.h"

namespace tracewire::store {

inline constexpr uint8_t kWalSpans = 1;  // WAL record types: row-format spans / logs
inline constexpr uint8_t kWalLogs = 2;

// Opens a store on `fs` (tests pass a fault-injecting one). Store::Open uses Default().
StatusOr<std::unique_ptr<Store>> OpenStoreOn(StoreOptions options, FileSystem* fs);

class StoreImpl final : public Store {
 public:
  StoreImpl(StoreOptions options, FileSystem* fs);
  ~StoreImpl() override;
  StoreImpl(const StoreImpl&) = delete;
  StoreImpl& operator=(const StoreImpl&) = delete;

  Status Recover();

  void AppendSpans(std::shared_ptr<const model::SpanBatch> batch, AppendDone done) override;
  void AppendLogs(std::shared_ptr<const model::LogBatch> batch, AppendDone done) override;
  StatusOr<std::unique_ptr<model::SpanBatch>> GetTrace(const model::TraceId& id) override;
  StatusOr<std::vector<TraceSummary>> FindTraces(const TraceQuery& query) override;
  StatusOr<std::vector<std::string>> Services() override;
  StatusOr<std::vector<Operation>> Operations(std::string_view service) override;
  StatusOr<std::vector<DependencyLink>> Dependencies(uint64_t start_ns, uint64_t end_ns) override;
  StatusOr<std::unique_ptr<model::LogBatch>> GetLogs(const model::TraceId& trace_id,
                                                     std::optional<model::SpanId> span_id) override;
  StoreStats Stats() const override;
  Status Flush() override;
  Status Close() override;

 private:
  using BlockList = std::vector<std::shared_ptr<const block::Block>>;

  uint64_t Now() const { return options_.now_ns(); }
  void Append(uint8_t type, std::string payload, std::function<void(head::Head*)> add,
              uint64_t items, AppendDone done);
  void WaitForAppends();
  // Cuts the head (when non-empty, or due unless `force`) and writes every frozen head.
  Status CutHead(bool force);
  Status WriteFrozen();
  Status Compact();
  Status ApplyRetention();
  Status Maintain(bool force_cut);
  void BackgroundLoop();
  BlockList SnapshotBlocks() const;
  void RemoveBlockDir(const std::string& dir);

  StoreOptions options_;
  FileSystem* fs_;
  engine::IndexedKeys indexed_;
  std::string blocks_dir_;
  std::unique_ptr<Wal> wal_;

  mutable std::shared_mutex head_mu_;
  std::shared_ptr<head::Head> head_;
  uint64_t head_first_ns_ = 0;                       // when the head's first item arrived
  std::vector<std::shared_ptr<head::Head>> frozen_;  // cut, not yet in a block (oldest first)
  std::vector<uint64_t> frozen_wal_end_;             // per frozen head: WAL segments below are its
  std::vector<uint64_t> frozen_last_seq_;  // per frozen head: appends up to this seq are in it

  mutable std::mutex blocks_mu_;
  BlockList blocks_;  // by cover_lo

  std::mutex maint_mu_;
  std::mutex append_mu_;
  uint64_t issued_ = 0;    // appends handed to the WAL (under append_mu_)
  uint64_t next_seq_ = 0;  // the last append's seq (under append_mu_), see wal_payload.h
  std::mutex done_mu_;
  std::condition_variable done_cv_;
  uint64_t completed_ = 0;  // appends whose done has run (under done_mu_)
  std::atomic<bool> closed_{false};
  std::atomic<uint64_t> next_block_id_{1};

  std::mutex bg_mu_;
  std::condition_variable bg_cv_;
  bool bg_stop_ = false;
  bool bg_wake_ = false;
  std::thread bg_;

  std::atomic<uint64_t> encoded_bytes_per_span_{256};  // WAL payload size estimate (bytes)
  std::atomic<uint64_t> spans_appended_{0};
  std::atomic<uint64_t> logs_appended_{0};
  std::atomic<uint64_t> append_errors_{0};
  std::atomic<uint64_t> compactions_{0};
  std::atomic<uint64_t> dropped_by_retention_{0};
  std::atomic<uint64_t> records_dropped_{0};
  std::atomic<uint64_t> blocks_ignored_{0};
  std::atomic<uint64_t> block_write_errors_{0};
};

}  // namespace tracewire::store
