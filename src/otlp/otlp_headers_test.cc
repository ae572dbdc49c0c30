#include "otlp/otlp_headers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tracewire::otlp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

TEST(OtlpHeadersTest, ParsesCommaSeparatedPairsTrimmingWhitespace) {
  auto h = ParseOtlpHeaders(" x-sls-token = abc , Authorization=Bearer%20t0k ");
  ASSERT_TRUE(h.ok());
  EXPECT_THAT(*h, ElementsAre(Pair("x-sls-token", "abc"), Pair("Authorization", "Bearer t0k")));
}

TEST(OtlpHeadersTest, PercentDecodesValuesIncludingCommasAndEquals) {
  auto h = ParseOtlpHeaders("k=a%2Cb%3Dc%25");
  ASSERT_TRUE(h.ok());
  EXPECT_THAT(*h, ElementsAre(Pair("k", "a,b=c%")));
}

TEST(OtlpHeadersTest, KeepsEqualsSignsInsideTheValue) {
  auto h = ParseOtlpHeaders("auth=base64==");
  ASSERT_TRUE(h.ok());
  EXPECT_THAT(*h, ElementsAre(Pair("auth", "base64==")));
}

TEST(OtlpHeadersTest, EmptyTextAndEmptyMembersAreAllowed) {
  auto empty = ParseOtlpHeaders("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  auto h = ParseOtlpHeaders(",a=1,, ,b=");
  ASSERT_TRUE(h.ok());
  EXPECT_THAT(*h, ElementsAre(Pair("a", "1"), Pair("b", "")));
}

TEST(OtlpHeadersTest, AMemberWithoutEqualsIsRejectedWithoutQuotingIt) {
  auto h = ParseOtlpHeaders("a=1,secret-token-value");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(h.status().message(), HasSubstr("member 2"));
  EXPECT_THAT(h.status().message(), Not(HasSubstr("secret")));
}

TEST(OtlpHeadersTest, RejectsEmptyOrNonTokenKeys) {
  EXPECT_FALSE(ParseOtlpHeaders("=v").ok());
  EXPECT_FALSE(ParseOtlpHeaders("bad key=v").ok());
  EXPECT_FALSE(ParseOtlpHeaders("k:x=v").ok());
}

TEST(OtlpHeadersTest, RejectsBadPercentEscapes) {
  EXPECT_FALSE(ParseOtlpHeaders("k=%").ok());
  EXPECT_FALSE(ParseOtlpHeaders("k=%4").ok());
  EXPECT_FALSE(ParseOtlpHeaders("k=%zz").ok());
}

TEST(OtlpHeadersTest, RejectsDecodedLineBreaksThatWouldInjectHeaders) {
  EXPECT_FALSE(ParseOtlpHeaders("k=a%0D%0AX-Evil: 1").ok());
  EXPECT_FALSE(ParseOtlpHeaders("k=a%00").ok());
}

}  // namespace
}  // namespace tracewire::otlp
