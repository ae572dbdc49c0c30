#include "store/wal/wal_format.h"

#include <cstring>

#include "store/wal/crc32c.h"

namespace tracewire::store::wal {

std::string SegmentFileName(uint64_t number) {
  std::string digits = std::to_string(number);
  std::string name(kSegmentNumberDigits - digits.size(), '0');
  name += digits;
  name += kSegmentSuffix;
  return name;
}

std::optional<uint64_t> ParseSegmentFileName(std::string_view name) {
  if (name.size() != kSegmentNumberDigits + kSegmentSuffix.size()) return std::nullopt;
  if (name.substr(kSegmentNumberDigits) != kSegmentSuffix) return std::nullopt;
  uint64_t number = 0;
  for (size_t i = 0; i < kSegmentNumberDigits; ++i) {
    const char c = name[i];
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<uint64_t>(c - '0');
    if (number > (UINT64_MAX - digit) / 10) return std::nullopt;  // over 2^64 - 1
    number = number * 10 + digit;
  }
  return number;
}

void EncodeSegmentHeader(char* out) {
  EncodeFixed32(out, kSegmentMagic);
  EncodeFixed32(out + 4, kFormatVersion);
}

HeaderCheck CheckSegmentHeader(std::string_view bytes) {
  char expected[kSegmentHeaderSize];
  EncodeSegmentHeader(expected);
  const size_t n = bytes.size() < kSegmentHeaderSize ? bytes.size() : kSegmentHeaderSize;
  if (std::memcmp(bytes.data(), expected, n) != 0) return HeaderCheck::kBad;
  return n < kSegmentHeaderSize ? HeaderCheck::kIncomplete : HeaderCheck::kOk;
}

void EncodeRecordHeader(uint8_t type, std::string_view payload, char* out) {
  const auto type_byte = static_cast<char>(type);
  const uint32_t crc = crc32c::Extend(crc32c::Value(&type_byte, 1), payload.data(), payload.size());
  EncodeFixed32(out, crc32c::Mask(crc));
  EncodeFixed32(out + 4, static_cast<uint32_t>(payload.size()));
  out[8] = type_byte;
}

RecordCheck DecodeRecord(std::string_view bytes, uint64_t max_record_bytes, DecodedRecord* out,
                         uint64_t* needed) {
  if (bytes.size() < kRecordHeaderSize) {
    if (needed != nullptr) *needed = kRecordHeaderSize;
    return RecordCheck::kIncomplete;
  }
  const uint32_t length = DecodeFixed32(bytes.data() + 4);
  if (length > max_record_bytes) return RecordCheck::kTooLong;
  const uint64_t total = kRecordHeaderSize + static_cast<uint64_t>(length);
  if (bytes.size() < total) {
    if (needed != nullptr) *needed = total;
    return RecordCheck::kIncomplete;
  }
  const char type = bytes[8];
  const std::string_view payload = bytes.substr(kRecordHeaderSize, length);
  const uint32_t crc = crc32c::Extend(crc32c::Value(&type, 1), payload.data(), payload.size());
  if (type == 0 || crc32c::Unmask(DecodeFixed32(bytes.data())) != crc) return RecordCheck::kBadCrc;
  out->type = static_cast<uint8_t>(type);
  out->payload = payload;
  return RecordCheck::kOk;
}

}  // namespace tracewire::store::wal
