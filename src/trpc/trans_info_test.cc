#include "trpc/trans_info.h"

#include <gtest/gtest.h>

namespace tracewire::trpc {
namespace {

TEST(TransInfo, CopyKeepsTheLastValueOfARepeatedKey) {
  const TransInfoView view = {{"a", "1"}, {"b", "2"}, {"a", "3"}};
  const TransInfo info = ToTransInfo(view);
  EXPECT_EQ(info, (TransInfo{{"a", "3"}, {"b", "2"}}));
}

TEST(TransInfo, CopyKeepsBinaryValues) {
  const std::string value("\0\xff", 2);
  const TransInfo info = ToTransInfo({{"bin", value}});
  EXPECT_EQ(info.at("bin"), value);
}

TEST(TransInfo, ViewListsEntriesInKeyOrder) {
  const TransInfo info = {{"z", "1"}, {"a", "2"}};
  const TransInfoView view = ViewOf(info);
  ASSERT_EQ(view.size(), 2u);
  EXPECT_EQ(view[0], (TransInfoEntry{"a", "2"}));
  EXPECT_EQ(view[1], (TransInfoEntry{"z", "1"}));
  EXPECT_EQ(view[0].value.data(), info.at("a").data());  // views, not copies
}

TEST(TransInfo, FindReturnsTheLastEntryWithTheKey) {
  const TransInfoView view = {{"a", "1"}, {"a", "2"}};
  const std::string_view* found = FindTransInfo(view, "a");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(*found, "2");
}

TEST(TransInfo, FindReturnsNullForAMissingKey) {
  EXPECT_EQ(FindTransInfo({{"a", "1"}}, "b"), nullptr);
  EXPECT_EQ(FindTransInfo({}, "a"), nullptr);
}

}  // namespace
}  // namespace tracewire::trpc
