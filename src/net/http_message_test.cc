#include "net/http_message.h"

#include <gtest/gtest.h>

namespace tracewire::net {
namespace {

TEST(EqualsIgnoreCaseTest, IgnoresAsciiCaseOnly) {
  EXPECT_TRUE(EqualsIgnoreCase("Content-Length", "content-LENGTH"));
  EXPECT_FALSE(EqualsIgnoreCase("abc", "abd"));
  EXPECT_FALSE(EqualsIgnoreCase("abc", "abcd"));
  EXPECT_FALSE(EqualsIgnoreCase("\xc4", "\xe4"));  // not ASCII letters
  EXPECT_FALSE(EqualsIgnoreCase("@", "`"));
}

TEST(HttpHeadersTest, GetFindsTheFirstValueCaseInsensitively) {
  HttpHeaders h;
  h.Add("X-A", "1");
  h.Add("x-a", "2");
  EXPECT_EQ(h.Get("X-a"), "1");
  EXPECT_FALSE(h.Get("x-b").has_value());
}

TEST(HttpHeadersTest, GetCombinedJoinsRepeatsWithCommaSpace) {
  HttpHeaders h;
  h.Add("Accept", "a");
  h.Add("Other", "z");
  h.Add("accept", "b");
  EXPECT_EQ(h.GetCombined("ACCEPT"), "a, b");
  EXPECT_FALSE(h.GetCombined("missing").has_value());
}

TEST(HttpHeadersTest, SetReplacesAllRepeatsKeepingTheFirstPosition) {
  HttpHeaders h;
  h.Add("A", "1");
  h.Add("B", "2");
  h.Add("a", "3");
  h.Set("a", "9");
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h.fields()[0].first, "A");
  EXPECT_EQ(h.fields()[0].second, "9");
  EXPECT_EQ(h.fields()[1].first, "B");
}

TEST(HttpHeadersTest, SetAppendsWhenAbsent) {
  HttpHeaders h;
  h.Set("X", "1");
  EXPECT_EQ(h.Get("x"), "1");
}

TEST(HttpHeadersTest, RemoveDropsEveryRepeat) {
  HttpHeaders h;
  h.Add("A", "1");
  h.Add("B", "2");
  h.Add("a", "3");
  h.Remove("A");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h.fields()[0].first, "B");
}

}  // namespace
}  // namespace tracewire::net
