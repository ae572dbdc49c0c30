// Writes an immutable block (block_format.h) from spans and logs held elsewhere (the head, or
// the decoded pages of blocks being compacted).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/engine/posting_keys.h"
#include "store/format/row_format.h"
#include "store/io/file_system.h"

namespace tracewire::store::block {

struct BlockContents {
  uint64_t id = 0;
  uint64_t cover_lo = 0;
  uint64_t cover_hi = 0;
  uint64_t last_seq = 0;  // see BlockMeta
  // When the data was stored (ns since the epoch; for a compacted block the latest of its
  // sources'). BlockMeta::max_time_ns is never below it, so retention counts a block's age from
  // its arrival even when the spans carry old timestamps (replays, skewed clocks).
  uint64_t stored_ns = 0;
  std::vector<format::SpanRef> spans;  // any order; sorted by the writer
  std::vector<format::LogRef> logs;
};

// Writes blocks_dir/<id> via blocks_dir/tmp-<id> (fsync, rename, fsync of blocks_dir).
// Returns the directory path. UNAVAILABLE / INTERNAL from the file system; on error nothing
// but the tmp directory remains.
StatusOr<std::string> WriteBlock(FileSystem* fs, const std::string& blocks_dir,
                                 BlockContents contents, const engine::IndexedKeys& indexed);

// The directory name of block `id` (16 lower-case hex digits).
std::string BlockDirName(uint64_t id);

}  // namespace tracewire::store::block
