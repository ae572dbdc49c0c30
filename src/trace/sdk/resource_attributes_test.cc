#include "trace/sdk/resource_attributes.h"

#include <gtest/gtest.h>

namespace tracewire::trace {
namespace {

Attributes Parse(std::string_view s) {
  StatusOr<Attributes> r = ParseResourceAttributes(s);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Attributes();
}

TEST(ResourceAttributesTest, ParsesKeyValuePairsAsStrings) {
  EXPECT_EQ(Parse("service.name=checkout,deployment.environment=prod"),
            (Attributes{{"service.name", std::string("checkout")},
                        {"deployment.environment", std::string("prod")}}));
}

TEST(ResourceAttributesTest, TrimsSpacesAroundKeysAndValues) {
  EXPECT_EQ(Parse(" a = 1 ,\tb=2 "),
            (Attributes{{"a", std::string("1")}, {"b", std::string("2")}}));
}

TEST(ResourceAttributesTest, PercentDecodesKeysAndValues) {
  EXPECT_EQ(Parse("k%3Dx=a%2Cb%20c%e2%82%ac"),
            (Attributes{{"k=x", std::string("a,b c\xe2\x82\xac")}}));
}

TEST(ResourceAttributesTest, SkipsEmptyMembers) {
  EXPECT_EQ(Parse(",a=1,,b=2,"), (Attributes{{"a", std::string("1")}, {"b", std::string("2")}}));
  EXPECT_TRUE(Parse("").empty());
}

TEST(ResourceAttributesTest, LaterDuplicateKeyWins) {
  EXPECT_EQ(Parse("a=1,b=2,a=3"), (Attributes{{"a", std::string("3")}, {"b", std::string("2")}}));
}

TEST(ResourceAttributesTest, EmptyValueIsAllowed) {
  EXPECT_EQ(Parse("a="), (Attributes{{"a", std::string("")}}));
}

TEST(ResourceAttributesTest, RawEqualsSignAfterTheFirstBelongsToTheValue) {
  EXPECT_EQ(Parse("q=x=y"), (Attributes{{"q", std::string("x=y")}}));
}

TEST(ResourceAttributesTest, MemberWithoutEqualsIsAnError) {
  StatusOr<Attributes> r = ParseResourceAttributes("a=1,oops,b=2");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("member 2"), std::string::npos);
}

TEST(ResourceAttributesTest, EmptyKeyIsAnError) {
  EXPECT_FALSE(ParseResourceAttributes("=v").ok());
  EXPECT_FALSE(ParseResourceAttributes(" =v").ok());
}

TEST(ResourceAttributesTest, BadPercentEscapeIsAnError) {
  EXPECT_FALSE(ParseResourceAttributes("a=%zz").ok());
  EXPECT_FALSE(ParseResourceAttributes("a=%4").ok());
  EXPECT_FALSE(ParseResourceAttributes("a=50%").ok());
  EXPECT_FALSE(ParseResourceAttributes("%g1=v").ok());
}

}  // namespace
}  // namespace tracewire::trace
