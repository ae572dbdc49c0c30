#include "store/wal/crc32c.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace tracewire::store::crc32c {
namespace {

// RFC 3720 (iSCSI), appendix B.4 "CRC Examples", plus the common check value of "123456789".
struct Vector {
  std::string data;
  uint32_t crc;
};

std::vector<Vector> Rfc3720Vectors() {
  std::vector<Vector> v;
  v.push_back({std::string(32, '\0'), 0x8a9136aau});
  v.push_back({std::string(32, '\xff'), 0x62a8ab43u});
  std::string up(32, '\0');
  std::string down(32, '\0');
  for (int i = 0; i < 32; ++i) {
    up[i] = static_cast<char>(i);
    down[i] = static_cast<char>(31 - i);
  }
  v.push_back({up, 0x46dd794eu});
  v.push_back({down, 0x113fdb5cu});
  const unsigned char read_pdu[48] = {
      0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
      0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  };
  v.push_back(
      {std::string(reinterpret_cast<const char*>(read_pdu), sizeof(read_pdu)), 0xd9963a56u});
  v.push_back({"123456789", 0xe3069283u});
  return v;
}

TEST(Crc32cTest, MatchesRfc3720Vectors) {
  for (const Vector& v : Rfc3720Vectors()) {
    EXPECT_EQ(Value(v.data), v.crc);
    EXPECT_EQ(ExtendPortable(0, v.data.data(), v.data.size()), v.crc);
    if (HardwareAvailable()) EXPECT_EQ(ExtendHardware(0, v.data.data(), v.data.size()), v.crc);
  }
}

TEST(Crc32cTest, HardwareAndTableAgreeOnEveryLengthAndAlignment) {
  if (!HardwareAvailable()) GTEST_SKIP() << "no SSE4.2";
  std::string data(300, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 131 + 7);
  for (size_t start = 0; start < 9; ++start) {
    for (size_t n = 0; start + n <= data.size(); n += 13) {
      EXPECT_EQ(ExtendHardware(0x1234u, data.data() + start, n),
                ExtendPortable(0x1234u, data.data() + start, n));
    }
  }
}

TEST(Crc32cTest, ExtendContinuesAValue) {
  const std::string a = "hello ";
  const std::string b = "world";
  EXPECT_EQ(Extend(Value(a), b.data(), b.size()), Value(a + b));
}

TEST(Crc32cTest, MaskChangesTheValueAndUnmasks) {
  const uint32_t crc = Value("foo");
  EXPECT_NE(Mask(crc), crc);
  EXPECT_NE(Mask(Mask(crc)), crc);
  EXPECT_EQ(Unmask(Mask(crc)), crc);
  EXPECT_EQ(Unmask(Unmask(Mask(Mask(crc)))), crc);
}

}  // namespace
}  // namespace tracewire::store::crc32c
