// WalImpl: the Wal behind Wal::Open (internal). wal.cc holds the caller-side methods (open,
// replay, append, rotate, remove, stats, close); wal_writer.cc the writer thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/wal/wal.h"

namespace tracewire::store::wal {

class WalImpl final : public Wal {
 public:
  // `segments`: number → size in bytes of the segment files found in the directory.
  WalImpl(WalOptions options, std::map<uint64_t, uint64_t> segments);
  ~WalImpl() override;
  WalImpl(const WalImpl&) = delete;
  WalImpl& operator=(const WalImpl&) = delete;

  void StartWriter();

  Status Replay(const std::function<Status(uint8_t, std::string_view, WalPosition)>& fn) override;
  void Append(uint8_t type, std::string payload, WalDone done) override;
  StatusOr<uint64_t> Rotate() override;
  Status RemoveSegmentsBefore(uint64_t segment) override;
  WalStats Stats() const override;
  Status Close() override;

 private:
  // One queued append, or (when rotate is set) a request to end the current segment.
  struct Pending {
    uint8_t type = 0;
    std::string payload;
    WalDone done;
    std::shared_ptr<std::promise<StatusOr<uint64_t>>> rotate;
  };

  std::string SegmentPath(uint64_t number) const;
  void SetSegmentSize(uint64_t number, uint64_t size);

  // --- writer thread (wal_writer.cc) ---
  void WriterLoop();
  void ProcessBatch(std::vector<Pending>& batch);
  // Writes batch[begin, end) (all records) with one AppendV and runs their dones.
  void WriteRun(std::vector<Pending>& batch, size_t begin, size_t end);
  void FailRun(std::vector<Pending>& batch, size_t begin, size_t end, const Status& why);
  Status OpenSegment();
  // Ends the open segment (syncing it first when `sync`).
  void CloseSegment(bool sync);
  // Cuts the open segment back to good_end_ after a failed write; false while that fails.
  bool CutBack();
  void SyncNow();  // kInterval's periodic fdatasync

  const WalOptions options_;
  FileSystem* const fs_;

  // Queue, guarded by mu_.
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Pending> queue_;
  uint64_t queued_bytes_ = 0;
  bool closing_ = false;

  std::mutex close_mu_;  // serializes Close()
  bool closed_ = false;  // guarded by close_mu_
  Status close_status_;  // set by the writer before it exits
  std::thread writer_;
  std::thread::id writer_id_;

  // Segment files, guarded by seg_mu_.
  mutable std::mutex seg_mu_;
  std::map<uint64_t, uint64_t> segments_;  // number → bytes
  uint64_t segment_bytes_total_ = 0;
  uint64_t next_segment_ = 1;       // the number the next new segment gets
  uint64_t active_segment_ = 0;     // the segment open for writing, 0 for none
  uint64_t first_new_segment_ = 1;  // segments below this existed at Open (Replay reads them)

  // Writer-thread state.
  std::unique_ptr<WritableFile> file_;
  uint64_t file_segment_ = 0;
  std::string file_path_;
  uint64_t good_end_ = 0;     // end of the last record written completely
  bool pending_cut_ = false;  // a failed write left bytes past good_end_
  bool dirty_ = false;        // written but not synced
  std::chrono::steady_clock::time_point last_sync_;
  std::string headers_;                   // record headers of one run
  std::vector<std::string_view> pieces_;  // header, payload, header, payload, ...

  std::atomic<uint64_t> records_appended_{0};
  std::atomic<uint64_t> bytes_appended_{0};
  std::atomic<uint64_t> syncs_{0};
  std::atomic<uint64_t> write_errors_{0};
  std::atomic<uint64_t> records_dropped_{0};
};

}  // namespace tracewire::store::wal
