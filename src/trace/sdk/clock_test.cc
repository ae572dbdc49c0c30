#include "trace/sdk/clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <thread>

namespace tracewire::trace {
namespace {

int64_t Diff(uint64_t a, uint64_t b) { return static_cast<int64_t>(a - b); }

TEST(ClockTest, FastClockTracksTheSystemClock) {
  (void)FastNowUnixNano();  // calibrate
  for (int i = 0; i < 5; ++i) {
    const uint64_t sys = SystemNowUnixNano();
    const uint64_t fast = FastNowUnixNano();
    EXPECT_LT(std::abs(Diff(fast, sys)), 2'000'000) << "within 2 ms";
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

TEST(ClockTest, FastClockMeasuresElapsedTime) {
  const uint64_t a = FastNowUnixNano();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const uint64_t b = FastNowUnixNano();
  EXPECT_GE(Diff(b, a), 45'000'000);
  EXPECT_LT(Diff(b, a), 5'000'000'000);
}

TEST(ClockTest, FastClockDoesNotGoBackwardsOnOneThread) {
  uint64_t prev = FastNowUnixNano();
  for (int i = 0; i < 100000; ++i) {
    const uint64_t now = FastNowUnixNano();
    ASSERT_GE(now + 1000, prev) << "allowing 1 µs of re-anchoring jitter";
    prev = now;
  }
}

}  // namespace
}  // namespace tracewire::trace
