#include "store/wal/segment_reader.h"

#include <algorithm>

namespace tracewire::store::wal {
namespace {
constexpr uint64_t kChunkBytes = 1 << 20;
}  // namespace

SegmentReader::SegmentReader(const RandomAccessFile& file, uint64_t max_record_bytes)
    : file_(file), max_record_bytes_(max_record_bytes) {}

bool SegmentReader::Fill(uint64_t need) {
  if (available() >= need) return true;
  // Drop what was consumed, then read what is missing (at least a chunk) up to the end.
  buf_.erase(0, pos_);
  buf_start_ += pos_;
  pos_ = 0;
  const uint64_t file_end = file_.size();
  const uint64_t read_from = buf_start_ + buf_.size();
  if (read_from >= file_end) return false;
  const uint64_t want = std::min(std::max(need - buf_.size(), kChunkBytes), file_end - read_from);
  const size_t old_size = buf_.size();
  buf_.resize(old_size + want);
  StatusOr<std::string_view> got = file_.Read(read_from, want, buf_.data() + old_size);
  if (!got.ok()) {
    status_ = got.status();
    buf_.resize(old_size);
    return false;
  }
  buf_.resize(old_size + got->size());
  return available() >= need;
}

SegmentReader::Result SegmentReader::Next(DecodedRecord* record, uint64_t* offset) {
  if (!status_.ok()) return Result::kError;
  if (!header_checked_) {
    Fill(kSegmentHeaderSize);
    if (!status_.ok()) return Result::kError;
    switch (CheckSegmentHeader(std::string_view{buf_}.substr(pos_))) {
      case HeaderCheck::kBad: return Result::kBadHeader;
      case HeaderCheck::kIncomplete: return Result::kEnd;
      case HeaderCheck::kOk: break;
    }
    header_checked_ = true;
    pos_ += kSegmentHeaderSize;
    good_end_ = kSegmentHeaderSize;
  }
  if (!Fill(kRecordHeaderSize)) {
    if (!status_.ok()) return Result::kError;
    return available() == 0 ? Result::kEnd : Result::kTorn;
  }
  uint64_t needed = 0;
  for (;;) {
    const std::string_view rest = std::string_view{buf_}.substr(pos_);
    switch (DecodeRecord(rest, max_record_bytes_, record, &needed)) {
      case RecordCheck::kOk:
        *offset = buf_start_ + pos_;
        pos_ += kRecordHeaderSize + record->payload.size();
        good_end_ = buf_start_ + pos_;
        return Result::kRecord;
      case RecordCheck::kTooLong:
      case RecordCheck::kBadCrc: return Result::kCorrupt;
      case RecordCheck::kIncomplete:
        // Known torn without reading (and allocating) when the file is too short.
        if (buf_start_ + pos_ + needed > file_.size()) return Result::kTorn;
        if (!Fill(needed)) return status_.ok() ? Result::kTorn : Result::kError;
        break;
    }
  }
}

}  // namespace tracewire::store::wal
