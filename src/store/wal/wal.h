// The write-ahead log: numbered segment files of CRC-checked records. Every record the store
// acknowledges is in it (under the sync policy) before its `done` runs; on start the store
// replays it into the head, and deletes segments once their data sits in immutable blocks.
// Layout: store/wal/wal_format.h.
//
// Group commit: appends from many threads are queued; one writer thread writes everything
// queued (waiting up to group_commit_window for more) with one write and, under kAlways, one
// fdatasync, then runs their `done`s in append order.
//
// Thread-safety: Append, Rotate, RemoveSegmentsBefore and Stats may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "store/io/file_system.h"
#include "store/store_options.h"

namespace tracewire::store {

struct WalOptions {
  std::string dir;           // created if missing
  FileSystem* fs = nullptr;  // null: FileSystem::Default()
  SyncPolicy sync = SyncPolicy::kAlways;
  std::chrono::milliseconds sync_interval{1000};  // kInterval
  std::chrono::microseconds group_commit_window{200};
  uint64_t segment_bytes = 64ull << 20;  // a segment is rolled once it is this large
  uint64_t max_record_bytes = 64ull << 20;
};

struct WalStats {
  uint64_t records_appended = 0;
  uint64_t bytes_appended = 0;
  uint64_t syncs = 0;
  uint64_t write_errors = 0;
  uint64_t segments = 0;
  uint64_t bytes_on_disk = 0;
  uint64_t records_dropped_on_replay = 0;  // torn or corrupt records cut off the tail
};

// Where a record lives: its segment and byte offset there.
struct WalPosition {
  uint64_t segment = 0;
  uint64_t offset = 0;
};

// Called once per append, on the writer thread; must not block. OK: durable per the policy.
// UNAVAILABLE: the write or sync failed (disk full or failing); the record is not in the log
// (a partial write is cut off before any later record is written).
using WalDone = std::function<void(Status, WalPosition)>;

class Wal {
 public:
  // Opens the log in options.dir. Does not replay: call Replay() before the first Append.
  static StatusOr<std::unique_ptr<Wal>> Open(WalOptions options);
  // Closes (see Close()).
  virtual ~Wal() = default;

  // Calls fn for every intact record, oldest first. A torn or corrupt record ends its segment:
  // the rest of that segment is cut off (counted in records_dropped_on_replay) and later
  // segments are still read. A non-OK status from fn stops the replay and is returned.
  // Afterwards new records go into a fresh segment.
  virtual Status Replay(
      const std::function<Status(uint8_t type, std::string_view payload, WalPosition at)>& fn) = 0;

  // Queues a record of `type` (an application tag, 1..255) with `payload`; `done` runs when it
  // is durable or failed. After Close(): done(FAILED_PRECONDITION) at once.
  // REQUIRES: payload.size() <= max_record_bytes (else done(INVALID_ARGUMENT)).
  virtual void Append(uint8_t type, std::string payload, WalDone done) = 0;

  // Starts a new segment after what is queued; returns its number. Records appended later go
  // into segments ≥ that number.
  virtual StatusOr<uint64_t> Rotate() = 0;
  // Deletes every segment numbered below `segment` (their data is safe elsewhere).
  virtual Status RemoveSegmentsBefore(uint64_t segment) = 0;

  virtual WalStats Stats() const = 0;
  // Writes and syncs what is queued, runs every pending `done`, stops the writer. Idempotent.
  virtual Status Close() = 0;
};

}  // namespace tracewire::store
