#include "trace/baggage.h"

#include <gtest/gtest.h>

#include <string>

namespace tracewire::trace {
namespace {

TEST(BaggageTest, ParsesKeysValuesAndProperties) {
  Baggage b = Baggage::FromHeader(
      "key1=value1;property1;property2, key2 = value2, "
      "key3=value3; propertyKey=propertyValue");
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b.entries()[0], (Baggage::Entry{"key1", "value1", "property1;property2"}));
  EXPECT_EQ(b.entries()[1], (Baggage::Entry{"key2", "value2", ""}));
  EXPECT_EQ(b.entries()[2], (Baggage::Entry{"key3", "value3", "propertyKey=propertyValue"}));
}

TEST(BaggageTest, OwsAroundEverythingIsTrimmed) {
  Baggage b = Baggage::FromHeader("k \t = \t v \t ; \t p \t = \t pv \t , \t k2=v2");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b.entries()[0], (Baggage::Entry{"k", "v", "p=pv"}));
}

TEST(BaggageTest, ValuesArePercentDecoded) {
  Baggage b = Baggage::FromHeader("serverNode=DF%2028,x=%E2%9C%93");
  EXPECT_EQ(b.Get("serverNode"), "DF 28");
  EXPECT_EQ(b.Get("x"), "\xE2\x9C\x93");
}

TEST(BaggageTest, ValuesMayContainEqualSigns) {
  EXPECT_EQ(Baggage::FromHeader("k=a=b==").Get("k"), "a=b==");
}

TEST(BaggageTest, InvalidUtf8AfterDecodingBecomesReplacementCharacter) {
  EXPECT_EQ(PercentDecodeBaggageValue("a%FFb"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(PercentDecodeBaggageValue("%E2%9C"), "\xEF\xBF\xBD");  // truncated sequence
  EXPECT_EQ(PercentDecodeBaggageValue("%ED%A0%80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(BaggageTest, StrayPercentSignsStayLiteral) {
  EXPECT_EQ(PercentDecodeBaggageValue("100%"), "100%");
  EXPECT_EQ(PercentDecodeBaggageValue("%zz"), "%zz");
}

TEST(BaggageTest, EncodingEscapesEverythingOutsideBaggageOctets) {
  EXPECT_EQ(PercentEncodeBaggageValue("a b,c;d\\e\"f%g=h"), "a%20b%2Cc%3Bd%5Ce%22f%25g=h");
  EXPECT_EQ(PercentEncodeBaggageValue("\xE2\x9C\x93"), "%E2%9C%93");
}

TEST(BaggageTest, InvalidMembersAreDroppedOneByOne) {
  Baggage b = Baggage::FromHeader("good=1,no-equals,bad key=2,k=bad value,k2=\"q\",ok=2;;,last=3");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b.Get("good"), "1");
  EXPECT_EQ(b.Get("last"), "3");
}

TEST(BaggageTest, EmptyValueIsAllowed) {
  Baggage b = Baggage::FromHeader("k=");
  EXPECT_EQ(b.Get("k"), "");
  EXPECT_EQ(b.ToHeader(), "k=");
}

TEST(BaggageTest, ADuplicateKeyReplacesTheEarlierValueInPlace) {
  Baggage b = Baggage::FromHeader("a=1,b=2,a=3");
  EXPECT_EQ(b.ToHeader(), "a=3,b=2");
}

TEST(BaggageTest, OnlyTheFirstSixtyFourEntriesAreKept) {
  std::string h;
  for (int i = 0; i < 70; ++i) h += "k" + std::to_string(i) + "=v,";
  Baggage b = Baggage::FromHeader(h);
  EXPECT_EQ(b.size(), Baggage::kMaxEntries);
  EXPECT_TRUE(b.Get("k63").has_value());
  EXPECT_FALSE(b.Get("k64").has_value());
}

TEST(BaggageTest, HeaderNeverExceedsTheSizeLimitAndHoldsOnlyWholeEntries) {
  Baggage b;
  for (int i = 0; i < 10; ++i) b = b.Set("k" + std::to_string(i), std::string(1000, 'v'));
  b = b.Set("small", "s");
  const std::string h = b.ToHeader();
  EXPECT_LE(h.size(), Baggage::kMaxHeaderSize);
  Baggage back = Baggage::FromHeader(h);
  EXPECT_EQ(back.size(), 9u);  // 8 big entries fit, plus the small one after them
  EXPECT_EQ(back.Get("small"), "s");
  for (const auto& e : back.entries()) EXPECT_TRUE(e.value == "s" || e.value.size() == 1000);
}

TEST(BaggageTest, ToHeaderRoundTripsValuesAndMetadata) {
  Baggage b = Baggage().Set("user", "alice smith,\"x\"").Set("n", "1", "p;q=r");
  EXPECT_EQ(b.ToHeader(), "user=alice%20smith%2C%22x%22,n=1;p;q=r");
  EXPECT_EQ(Baggage::FromHeader(b.ToHeader()), b);
}

TEST(BaggageTest, EntriesWithInvalidKeysAreNotWritten) {
  EXPECT_EQ(Baggage().Set("bad key", "1").Set("ok", "2").ToHeader(), "ok=2");
}

TEST(BaggageTest, SetKeepsPositionAndDeleteRemoves) {
  Baggage b = Baggage().Set("a", "1").Set("b", "2").Set("a", "3");
  EXPECT_EQ(b.ToHeader(), "a=3,b=2");
  EXPECT_EQ(b.Delete("a").ToHeader(), "b=2");
  EXPECT_TRUE(b.Delete("a").Delete("b").empty());
}

}  // namespace
}  // namespace tracewire::trace
