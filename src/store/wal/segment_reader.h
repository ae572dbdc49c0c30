// SegmentReader: the records of one segment file, in order, read through a buffer (one read
// per ~1 MiB, not per record). It never allocates more than the file holds: a record whose
// length points past the end is torn, one over max_record_bytes is corrupt.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "store/io/file_system.h"
#include "store/wal/wal_format.h"

namespace tracewire::store::wal {

class SegmentReader {
 public:
  enum class Result {
    kRecord,     // *record and *offset are set
    kEnd,        // clean end of the segment (also: an empty file or an incomplete header)
    kTorn,       // the file ends inside a record
    kCorrupt,    // a record with a bad CRC, type 0, or a length over the limit
    kBadHeader,  // not a segment of this format (wrong magic or version)
    kError,      // a read failed: see status()
  };

  // REQUIRES: `file` outlives the reader.
  SegmentReader(const RandomAccessFile& file, uint64_t max_record_bytes);

  // The next record; its payload view is valid until the next call.
  Result Next(DecodedRecord* record, uint64_t* offset);

  // File offset just past the last intact record (or past the header): where to cut the
  // segment after kTorn or kCorrupt.
  uint64_t good_end() const { return good_end_; }
  const Status& status() const { return status_; }

 private:
  // Makes at least `need` bytes available from pos_ unless the file ends first.
  bool Fill(uint64_t need);
  uint64_t available() const { return buf_.size() - pos_; }

  const RandomAccessFile& file_;
  uint64_t max_record_bytes_;
  std::string buf_;
  uint64_t buf_start_ = 0;  // file offset of buf_[0]
  size_t pos_ = 0;          // index in buf_ of the next unread byte
  uint64_t good_end_ = 0;
  bool header_checked_ = false;
  Status status_;
};

}  // namespace tracewire::store::wal
