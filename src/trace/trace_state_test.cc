#include "trace/trace_state.h"

#include <gtest/gtest.h>

#include <string>

namespace tracewire::trace {
namespace {

std::string Repeat(char c, size_t n) { return std::string(n, c); }

TEST(TraceStateTest, ParsesMembersInOrder) {
  auto ts = TraceState::FromHeader("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  ASSERT_TRUE(ts.has_value());
  ASSERT_EQ(ts->size(), 2u);
  EXPECT_EQ(ts->members()[0].first, "rojo");
  EXPECT_EQ(ts->members()[1].second, "t61rcWkgMzE");
  EXPECT_EQ(ts->ToHeader(), "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
}

TEST(TraceStateTest, EmptyHeaderIsAValidEmptyList) {
  auto ts = TraceState::FromHeader("");
  ASSERT_TRUE(ts.has_value());
  EXPECT_TRUE(ts->empty());
  EXPECT_EQ(ts->ToHeader(), "");
}

TEST(TraceStateTest, EmptyAndWhitespaceMembersAreSkipped) {
  auto ts = TraceState::FromHeader(" ,\t, a=1 ,, \t b=2\t,");
  ASSERT_TRUE(ts.has_value());
  EXPECT_EQ(ts->ToHeader(), "a=1,b=2");
}

TEST(TraceStateTest, LeadingSpacesOfAValueArePreserved) {
  auto ts = TraceState::FromHeader("a=  x");
  ASSERT_TRUE(ts.has_value());
  EXPECT_EQ(ts->Get("a"), "  x");
}

TEST(TraceStateTest, DuplicateKeysInvalidateTheWholeHeader) {
  EXPECT_FALSE(TraceState::FromHeader("a=1,b=2,a=3").has_value());
}

TEST(TraceStateTest, ThirtyTwoMembersAreAcceptedButThirtyThreeAreNot) {
  std::string h;
  for (int i = 0; i < 32; ++i) h += "k" + std::to_string(i) + "=v,";
  EXPECT_TRUE(TraceState::FromHeader(h).has_value());
  h += "k32=v";
  EXPECT_FALSE(TraceState::FromHeader(h).has_value());
}

TEST(TraceStateTest, SimpleKeyGrammar) {
  EXPECT_TRUE(TraceState::IsValidKey("a"));
  EXPECT_TRUE(TraceState::IsValidKey("a0_-*/"));
  EXPECT_TRUE(TraceState::IsValidKey("a" + Repeat('b', 255)));
  EXPECT_FALSE(TraceState::IsValidKey("a" + Repeat('b', 256)));
  EXPECT_FALSE(TraceState::IsValidKey(""));
  EXPECT_FALSE(TraceState::IsValidKey("0abc"));  // a simple key starts with a letter
  EXPECT_FALSE(TraceState::IsValidKey("Abc"));
  EXPECT_FALSE(TraceState::IsValidKey("a.b"));
}

TEST(TraceStateTest, MultiTenantKeyGrammar) {
  EXPECT_TRUE(TraceState::IsValidKey("0tenant@system"));
  EXPECT_TRUE(TraceState::IsValidKey(Repeat('t', 241) + "@" + Repeat('s', 14)));
  EXPECT_FALSE(TraceState::IsValidKey(Repeat('t', 242) + "@s"));
  EXPECT_FALSE(TraceState::IsValidKey("t@" + Repeat('s', 15)));
  EXPECT_FALSE(TraceState::IsValidKey("t@0system"));
  EXPECT_FALSE(TraceState::IsValidKey("@system"));
  EXPECT_FALSE(TraceState::IsValidKey("tenant@"));
  EXPECT_FALSE(TraceState::IsValidKey("a@b@c"));
}

TEST(TraceStateTest, ValueGrammar) {
  EXPECT_TRUE(TraceState::IsValidValue(" !~"));
  EXPECT_TRUE(TraceState::IsValidValue(Repeat('v', 256)));
  EXPECT_FALSE(TraceState::IsValidValue(Repeat('v', 257)));
  EXPECT_FALSE(TraceState::IsValidValue(""));
  EXPECT_FALSE(TraceState::IsValidValue("a,b"));
  EXPECT_FALSE(TraceState::IsValidValue("a=b"));
  EXPECT_FALSE(TraceState::IsValidValue("a\tb"));
  EXPECT_FALSE(TraceState::IsValidValue("ab "));
  EXPECT_FALSE(TraceState::IsValidValue("\x7f"));
}

TEST(TraceStateTest, SetMovesTheKeyToTheFront) {
  auto ts = TraceState::FromHeader("a=1,b=2,c=3")->Set("b", "9");
  EXPECT_EQ(ts.ToHeader(), "b=9,a=1,c=3");
}

TEST(TraceStateTest, SetAddsANewKeyAtTheFront) {
  EXPECT_EQ(TraceState::FromHeader("a=1")->Set("z", "2").ToHeader(), "z=2,a=1");
}

TEST(TraceStateTest, SetOnAFullListDropsTheLastMember) {
  TraceState ts;
  for (int i = 0; i < 32; ++i) ts = ts.Set("k" + std::to_string(i), "v");
  ts = ts.Set("new", "v");
  EXPECT_EQ(ts.size(), 32u);
  EXPECT_EQ(ts.members()[0].first, "new");
  EXPECT_FALSE(ts.Get("k0").has_value());  // k0 was the last (oldest) member
  EXPECT_TRUE(ts.Get("k1").has_value());
}

TEST(TraceStateTest, SetWithAnInvalidKeyOrValueChangesNothing) {
  auto ts = *TraceState::FromHeader("a=1");
  EXPECT_EQ(ts.Set("Bad", "1"), ts);
  EXPECT_EQ(ts.Set("ok", "bad,value"), ts);
}

TEST(TraceStateTest, DeleteRemovesOnlyThatKey) {
  auto ts = TraceState::FromHeader("a=1,b=2")->Delete("a");
  EXPECT_EQ(ts.ToHeader(), "b=2");
  EXPECT_TRUE(ts.Delete("b").empty());
}

TEST(TraceStateTest, TruncationDropsLongMembersFirst) {
  // 3 long members (200 bytes each) and small ones: 3*200 + small > 512.
  TraceState ts;
  ts = ts.Set("small2", "x").Set("long2", Repeat('l', 194)).Set("long1", Repeat('l', 194));
  ts = ts.Set("small1", "y").Set("long0", Repeat('l', 194));
  // Order: long0, small1, long1, long2, small2 (620 bytes). Dropping long2, the last long
  // member, is enough; small2 at the very end survives.
  EXPECT_EQ(ts.ToHeader(),
            "long0=" + Repeat('l', 194) + ",small1=y,long1=" + Repeat('l', 194) + ",small2=x");
}

TEST(TraceStateTest, TruncationThenDropsFromTheEnd) {
  TraceState ts;
  for (int i = 0; i < 8; ++i) ts = ts.Set("k" + std::to_string(i), Repeat('v', 100));
  const std::string h = ts.ToHeader();
  EXPECT_LE(h.size(), TraceState::kMaxHeaderSize);
  // 104 bytes per member plus commas: four fit in 512. The front members are kept.
  EXPECT_EQ(*TraceState::FromHeader(h), ts.Delete("k0").Delete("k1").Delete("k2").Delete("k3"));
}

TEST(TraceStateTest, CopiesShareStorage) {
  auto ts = *TraceState::FromHeader("a=1");
  TraceState copy = ts;
  EXPECT_EQ(&copy.members(), &ts.members());
}

}  // namespace
}  // namespace tracewire::trace
