// Settings of the embedded store, with defaults that work out of the box, and its counters.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tracewire::store {

// When an append is acknowledged.
enum class SyncPolicy {
  kAlways,    // fsync (group commit) before `done`: survives power loss. The default.
  kInterval,  // `done` after write(); fsync every sync_interval: survives kill -9, not power loss
  kNever,     // `done` after write(); the OS decides: survives kill -9, not power loss
};

struct StoreOptions {
  std::string data_dir = "./tracewire-data";
  SyncPolicy sync = SyncPolicy::kAlways;
  std::chrono::milliseconds sync_interval{1000};
  // Group commit: a WAL write waits at most this long for more appends to join it (µs).
  std::chrono::microseconds group_commit_window{200};
  uint64_t wal_segment_bytes = 64ull << 20;

  // The head is cut into an immutable block when it holds this many bytes of spans or its oldest
  // span arrived this long ago.
  uint64_t head_max_bytes = 256ull << 20;
  std::chrono::seconds head_max_age{600};
  // Blocks younger than this are merged into larger ones by compaction.
  std::chrono::seconds compaction_window{2 * 3600};

  // Retention: blocks older than max_age (counted from the later of their newest span and the time
  // they were stored) are dropped; then the oldest blocks
  // go until the store holds at most max_bytes (0: no size limit).
  std::chrono::seconds retention_max_age{72 * 3600};
  uint64_t retention_max_bytes = 0;

  // Attribute keys (span or resource) with postings, beyond service, operation and status.
  // Search on other keys still works, by scanning the candidate spans.
  std::vector<std::string> indexed_attributes = {"http.response.status_code", "rpc.method",
                                                 "trpc.status_code", "error.type"};

  // Wall clock (ns since the Unix epoch); injectable for tests.
  std::function<uint64_t()> now_ns;
};

struct StoreStats {
  uint64_t spans_appended = 0;
  uint64_t logs_appended = 0;
  uint64_t append_errors = 0;
  uint64_t head_spans = 0;
  uint64_t blocks = 0;
  uint64_t bytes_on_disk = 0;  // WAL + blocks
  uint64_t wal_bytes = 0;
  uint64_t wal_syncs = 0;
  uint64_t compactions = 0;
  uint64_t blocks_dropped_by_retention = 0;
  uint64_t wal_records_dropped_on_recovery = 0;  // torn or corrupt tail records
  uint64_t blocks_ignored_on_recovery = 0;       // unreadable block directories
};

}  // namespace tracewire::store
