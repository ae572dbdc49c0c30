// An open immutable block: its index in memory, its page files open for reads.
//
// Thread-safety: every method is const and may run concurrently (pages are read with pread).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/span_batch.h"
#include "store/block/block_index.h"
#include "store/engine/trace_part.h"
#include "store/io/file_system.h"

namespace tracewire::store::block {

class Block {
 public:
  // Opens the block in `dir`. DATA_LOSS when any file is missing, truncated or corrupt
  // (index checksum, page table out of the file's bounds); never crashes on bad bytes.
  static StatusOr<std::shared_ptr<const Block>> Open(FileSystem* fs, const std::string& dir);

  const BlockIndex& index() const { return index_; }
  const BlockMeta& meta() const { return index_.meta; }
  const std::string& dir() const { return dir_; }
  uint64_t bytes_on_disk() const { return bytes_on_disk_; }

  // Whether trace `id` may be here (bloom filter), then its ordinal or -1.
  int64_t FindTrace(const model::TraceId& id) const;
  // The decoded span page / log page. DATA_LOSS on a corrupt page.
  StatusOr<std::unique_ptr<model::SpanBatch>> ReadSpanPage(uint32_t page) const;
  StatusOr<std::unique_ptr<model::LogBatch>> ReadLogPage(uint32_t page) const;
  // Log pages that may hold records of `id`.
  std::vector<uint32_t> LogPagesFor(const model::TraceId& id) const;
  // The summary part of trace `ordinal` (from the index alone).
  engine::TracePart Part(uint32_t ordinal) const;
  // Positions [first, first+count) of trace `ordinal`'s spans in its decoded page.
  std::pair<size_t, size_t> SpanRange(uint32_t ordinal) const;

 private:
  Block() = default;

  std::string dir_;
  BlockIndex index_;
  std::vector<uint32_t> trace_offsets_;  // per trace: position of its first span in its page
  std::unique_ptr<RandomAccessFile> spans_;
  std::unique_ptr<RandomAccessFile> logs_;
  uint64_t bytes_on_disk_ = 0;
};

}  // namespace tracewire::store::block
