#include "base/text.h"

#include <gtest/gtest.h>

namespace tracewire {
namespace {

TEST(TextTest, TrimOwsRemovesOnlySpacesAndTabsAtTheEnds) {
  EXPECT_EQ(TrimOws(" \t a b \t"), "a b");
  EXPECT_EQ(TrimOws("\r\n"), "\r\n");
  EXPECT_EQ(TrimOws(""), "");
}

TEST(TextTest, PercentDecodeAcceptsEitherCase) {
  std::string out;
  ASSERT_TRUE(PercentDecode("a%2Cb%2cc%25", &out));
  EXPECT_EQ(out, "a,b,c%");
}

TEST(TextTest, PercentDecodeRejectsShortOrNonHexEscapes) {
  std::string out;
  EXPECT_FALSE(PercentDecode("abc%4", &out));
  EXPECT_FALSE(PercentDecode("abc%", &out));
  EXPECT_FALSE(PercentDecode("%zz", &out));
  ASSERT_TRUE(PercentDecode("%41", &out));
  EXPECT_EQ(out, "A");
}

}  // namespace
}  // namespace tracewire
