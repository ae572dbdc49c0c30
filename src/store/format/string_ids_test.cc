#include "store/format/string_ids.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tracewire::store::format {
namespace {

TEST(StringIdsTest, InternGivesDenseIdsInFirstSeenOrderAndFindsThemAgain) {
  StringIds ids;
  bool inserted = false;
  EXPECT_EQ(ids.Intern("b", &inserted), 0u);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(ids.Intern("a"), 1u);
  EXPECT_EQ(ids.Intern("", &inserted), 2u);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(ids.Intern("b", &inserted), 0u);
  EXPECT_FALSE(inserted);
  EXPECT_EQ(ids.Find("a"), 1u);
  EXPECT_EQ(ids.Find(""), 2u);
  EXPECT_EQ(ids.Find("c"), StringIds::kAbsent);
  EXPECT_EQ(ids.key(0), "b");
  EXPECT_EQ(ids.size(), 3u);
}

TEST(StringIdsTest, CopiedKeysStayValidThroughGrowthAndBigKeys) {
  StringIds ids;
  std::vector<std::string_view> views;
  for (int i = 0; i < 20000; ++i) {
    std::string key = "key-" + std::to_string(i);
    if (i % 1000 == 0) key.append(40000, 'x');  // bigger than a chunk's share
    views.push_back(ids.key(ids.Intern(key)));
  }
  ASSERT_EQ(ids.size(), 20000u);
  for (int i = 0; i < 20000; ++i) {
    std::string key = "key-" + std::to_string(i);
    if (i % 1000 == 0) key.append(40000, 'x');
    EXPECT_EQ(views[static_cast<size_t>(i)], key);
    EXPECT_EQ(ids.Find(key), static_cast<uint32_t>(i));
  }
}

TEST(StringIdsTest, ViewIdsKeepTheCallersViews) {
  const std::string a = "alpha";
  StringViewIds ids;
  EXPECT_EQ(ids.Intern(a), 0u);
  EXPECT_EQ(ids.key(0).data(), a.data());
  EXPECT_EQ(ids.Intern(std::string("alpha")), 0u);
  ids.Clear();
  EXPECT_EQ(ids.Find("alpha"), StringViewIds::kAbsent);
  EXPECT_EQ(ids.Intern("beta"), 0u);
}

}  // namespace
}  // namespace tracewire::store::format
