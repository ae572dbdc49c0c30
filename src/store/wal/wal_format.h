// Byte layout of the write-ahead log (also in src/store/README.md, "io and wal").
//
// A log is a directory of segment files named by their number, zero-padded to 20 digits:
//   00000000000000000001.wal, 00000000000000000002.wal, ...   (numbers start at 1)
// A segment is a header followed by records, everything little-endian:
//   header  = magic u32 (0x4C575754, the bytes "TWWL") | format version u32 (1)      8 bytes
//   record  = crc u32 | length u32 | type u8 | payload (length bytes)         9 + length bytes
// crc is the CRC-32C of type and payload, masked (crc32c::Mask, LevelDB's). type is 1..255 (0
// never appears, so zeroed space is never a record). A record is intact when its 9 header bytes
// and its payload are all in the file, length ≤ the reader's max_record_bytes and the crc
// matches; reading a segment stops at the first record that is not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tracewire::store::wal {

constexpr uint32_t kSegmentMagic = 0x4C575754u;  // "TWWL" in file order
constexpr uint32_t kFormatVersion = 1;
constexpr size_t kSegmentHeaderSize = 8;
constexpr size_t kRecordHeaderSize = 9;
constexpr std::string_view kSegmentSuffix = ".wal";
constexpr size_t kSegmentNumberDigits = 20;

// "00000000000000000042.wal" for 42.
std::string SegmentFileName(uint64_t number);
// The number of a segment file name; nullopt for any other name.
std::optional<uint64_t> ParseSegmentFileName(std::string_view name);

// Writes the 8 header bytes to out.
void EncodeSegmentHeader(char* out);
enum class HeaderCheck {
  kOk,
  kIncomplete,  // shorter than a header, but a prefix of a valid one (a crash at creation)
  kBad,         // wrong magic or version
};
HeaderCheck CheckSegmentHeader(std::string_view bytes);

// Writes the 9 record header bytes for (type, payload) to out.
// REQUIRES: payload.size() ≤ UINT32_MAX. HOT PATH: no allocation.
void EncodeRecordHeader(uint8_t type, std::string_view payload, char* out);

struct DecodedRecord {
  uint8_t type = 0;
  std::string_view payload;  // points into the decoded buffer
};
enum class RecordCheck {
  kOk,
  kIncomplete,  // the buffer ends inside this record (more bytes may complete it)
  kTooLong,     // length over max_record_bytes: corrupt
  kBadCrc,      // crc mismatch or type 0: corrupt
};
// Decodes the record at the start of `bytes`. kOk fills *out; on kIncomplete *needed (when
// given) is the total bytes the record needs (≥ kRecordHeaderSize).
RecordCheck DecodeRecord(std::string_view bytes, uint64_t max_record_bytes, DecodedRecord* out,
                         uint64_t* needed = nullptr);

// Little-endian fixed-width coding.
inline void EncodeFixed32(char* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xffu);
}
inline uint32_t DecodeFixed32(const char* in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  return v;
}

}  // namespace tracewire::store::wal
