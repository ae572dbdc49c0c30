#include "base/hex.h"

#include <gtest/gtest.h>

namespace tracewire {
namespace {

TEST(HexTest, EncodesLowerCase) {
  const uint8_t bytes[] = {0x00, 0xab, 0xff, 0x10};
  EXPECT_EQ(EncodeHex(bytes, 4), "00abff10");
}

TEST(HexTest, DecodesRoundTrip) {
  uint8_t out[4];
  ASSERT_TRUE(DecodeHexTo("00abff10", out, 4));
  EXPECT_EQ(EncodeHex(out, 4), "00abff10");
}

TEST(HexTest, RejectsUpperCaseUnlessAllowed) {
  uint8_t out[2];
  EXPECT_FALSE(DecodeHexTo("AB01", out, 2));
  ASSERT_TRUE(DecodeHexTo("AB01", out, 2, /*allow_upper=*/true));
  EXPECT_EQ(out[0], 0xab);
  EXPECT_EQ(out[1], 0x01);
}

TEST(HexTest, RejectsWrongLengthAndNonDigits) {
  uint8_t out[2];
  EXPECT_FALSE(DecodeHexTo("abc", out, 2));
  EXPECT_FALSE(DecodeHexTo("abcde", out, 2));
  EXPECT_FALSE(DecodeHexTo("ab-1", out, 2));
  EXPECT_FALSE(DecodeHexTo("abcg", out, 2));
  EXPECT_FALSE(
      DecodeHexTo("ab\xff"
                  "1",
                  out, 2, true));
}

}  // namespace
}  // namespace tracewire
