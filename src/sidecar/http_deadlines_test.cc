#include "sidecar/internal/http_deadlines.h"

#include <gtest/gtest.h>

#include <chrono>

namespace tracewire::sidecar::internal {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

struct CountingWaiter final : HttpDeadlines::Waiter {
  void DeadlinePassed() override { ++fired; }
  int fired = 0;
};

// Runs `io` for `d` (the deadlines' timer keeps it busy while any waiter is linked).
void RunFor(asio::io_context& io, milliseconds d) {
  io.restart();
  io.run_for(d);
}

TEST(HttpDeadlinesTest, FiresOncePastTheDeadlineAndNeverWhenCleared) {
  asio::io_context io;
  HttpDeadlines deadlines(io);
  CountingWaiter due, cleared, later;
  deadlines.Set(&due, Clock::now() + milliseconds(5));
  deadlines.Set(&cleared, Clock::now() + milliseconds(5));
  deadlines.Set(&later, Clock::now() + milliseconds(5));
  deadlines.Set(&later, Clock::now() + std::chrono::hours(1));  // re-set: the later one holds
  deadlines.Clear(&cleared);
  deadlines.Clear(&cleared);  // twice: a no-op
  RunFor(io, milliseconds(100));
  EXPECT_EQ(due.fired, 1);
  EXPECT_EQ(cleared.fired, 0);
  EXPECT_EQ(later.fired, 0);
  deadlines.Clear(&later);
  RunFor(io, milliseconds(50));  // nothing linked: the timer is not re-armed
  EXPECT_EQ(due.fired, 1);
}

TEST(HttpDeadlinesTest, NothingFiresAfterShutdown) {
  asio::io_context io;
  HttpDeadlines deadlines(io);
  CountingWaiter w;
  deadlines.Set(&w, Clock::now());
  deadlines.Shutdown();
  RunFor(io, milliseconds(50));
  EXPECT_EQ(w.fired, 0);
  deadlines.Clear(&w);
}

}  // namespace
}  // namespace tracewire::sidecar::internal
