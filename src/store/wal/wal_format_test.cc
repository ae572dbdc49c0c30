#include "store/wal/wal_format.h"

#include <gtest/gtest.h>

#include <string>

#include "store/wal/crc32c.h"

namespace tracewire::store::wal {
namespace {

std::string Record(uint8_t type, std::string_view payload) {
  std::string out(kRecordHeaderSize, '\0');
  EncodeRecordHeader(type, payload, out.data());
  out.append(payload);
  return out;
}

TEST(WalFormatTest, SegmentNamesAreTwentyDigits) {
  EXPECT_EQ(SegmentFileName(42), "00000000000000000042.wal");
  EXPECT_EQ(ParseSegmentFileName("00000000000000000042.wal"), 42u);
  EXPECT_EQ(ParseSegmentFileName(SegmentFileName(UINT64_MAX)), UINT64_MAX);
  EXPECT_EQ(ParseSegmentFileName("99999999999999999999.wal"), std::nullopt);  // > 2^64 - 1
  EXPECT_EQ(ParseSegmentFileName("0000000000000000042.wal"), std::nullopt);
  EXPECT_EQ(ParseSegmentFileName("0000000000000000004x.wal"), std::nullopt);
  EXPECT_EQ(ParseSegmentFileName("00000000000000000042.tmp"), std::nullopt);
}

TEST(WalFormatTest, HeaderIsMagicThenVersion) {
  char header[kSegmentHeaderSize];
  EncodeSegmentHeader(header);
  EXPECT_EQ(std::string(header, sizeof(header)), std::string("TWWL\x01\0\0\0", 8));
  EXPECT_EQ(CheckSegmentHeader(std::string_view(header, 8)), HeaderCheck::kOk);
  EXPECT_EQ(CheckSegmentHeader(std::string_view(header, 3)), HeaderCheck::kIncomplete);
  EXPECT_EQ(CheckSegmentHeader(""), HeaderCheck::kIncomplete);
  header[4] = 2;  // a future version
  EXPECT_EQ(CheckSegmentHeader(std::string_view(header, 8)), HeaderCheck::kBad);
}

TEST(WalFormatTest, RecordLayoutIsCrcLengthTypePayload) {
  const std::string r = Record(7, "abc");
  ASSERT_EQ(r.size(), kRecordHeaderSize + 3);
  EXPECT_EQ(DecodeFixed32(r.data() + 4), 3u);
  EXPECT_EQ(r[8], 7);
  EXPECT_EQ(crc32c::Unmask(DecodeFixed32(r.data())), crc32c::Value("\x07"
                                                                   "abc"));
  DecodedRecord out;
  ASSERT_EQ(DecodeRecord(r, 100, &out), RecordCheck::kOk);
  EXPECT_EQ(out.type, 7);
  EXPECT_EQ(out.payload, "abc");
}

TEST(WalFormatTest, DecodeTellsIncompleteFromCorrupt) {
  const std::string r = Record(1, "payload");
  DecodedRecord out;
  uint64_t needed = 0;
  for (size_t n = 0; n < r.size(); ++n) {
    EXPECT_EQ(DecodeRecord(std::string_view(r).substr(0, n), 100, &out, &needed),
              RecordCheck::kIncomplete);
    EXPECT_EQ(needed, n < kRecordHeaderSize ? kRecordHeaderSize : r.size());
  }
  EXPECT_EQ(DecodeRecord(r, 6, &out), RecordCheck::kTooLong);
  for (size_t i = 0; i < r.size(); ++i) {
    if (i >= 4 && i < 8) continue;  // the length: changes what is read, tested above
    std::string bad = r;
    bad[i] = static_cast<char>(bad[i] ^ 0x10);
    EXPECT_EQ(DecodeRecord(bad, 100, &out), RecordCheck::kBadCrc) << i;
  }
  const std::string zeros(kRecordHeaderSize, '\0');
  EXPECT_EQ(DecodeRecord(zeros, 100, &out), RecordCheck::kBadCrc);
}

}  // namespace
}  // namespace tracewire::store::wal
