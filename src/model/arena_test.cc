#include "model/arena.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace tracewire::model {
namespace {

TEST(ArenaTest, AllocationsAreAlignedAndDistinct) {
  Arena arena(256);
  auto* a = static_cast<char*>(arena.Allocate(3, 1));
  auto* b = static_cast<uint64_t*>(arena.Allocate(sizeof(uint64_t), alignof(uint64_t)));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b) % alignof(uint64_t), 0u);
  EXPECT_NE(static_cast<void*>(a), static_cast<void*>(b));
}

TEST(ArenaTest, LargeRequestsGetTheirOwnChunkAndKeepTheCurrentOne) {
  Arena arena(256);
  auto small1 = arena.AllocateArray<uint32_t>(4);
  auto big = arena.AllocateArray<char>(4096);
  auto small2 = arena.AllocateArray<uint32_t>(4);
  EXPECT_EQ(big.size(), 4096u);
  // small2 follows small1 in the same chunk.
  EXPECT_EQ(reinterpret_cast<char*>(small2.data()) - reinterpret_cast<char*>(small1.data()), 16);
  EXPECT_GE(arena.bytes_reserved(), 256u + 4096u);
}

TEST(ArenaTest, CopiedStringsSurviveAbsorb) {
  auto from = std::make_unique<Arena>(128);
  std::string_view s = from->CopyString("hello, arena");
  Arena to(128);
  to.CopyString("x");
  to.Absorb(std::move(*from));
  from.reset();
  EXPECT_EQ(s, "hello, arena");
  EXPECT_EQ(to.CopyString("more"), "more");
}

TEST(ArenaTest, EmptyArrayNeedsNoMemory) {
  Arena arena;
  EXPECT_TRUE(arena.AllocateArray<int>(0).empty());
  EXPECT_EQ(arena.bytes_reserved(), 0u);
}

}  // namespace
}  // namespace tracewire::model
