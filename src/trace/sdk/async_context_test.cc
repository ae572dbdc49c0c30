// The context must follow each asynchronous task across handlers and coroutine resumptions,
// whichever io_context thread runs them.
#include <gtest/gtest.h>

#include <asio.hpp>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "trace/sdk/asio_context.h"
#include "trace/sdk/context_scope.h"
#include "trace/sdk/context_task.h"
#include "trace/sdk/id_generator.h"

namespace tracewire::trace {
namespace {

constexpr int kTasks = 5000;
constexpr int kHops = 6;

Context NewTraceContext() {
  return Context().WithSpanContext(
      SpanContext(NewRandomTraceId(), NewRandomSpanId(), TraceFlags(1), false));
}

struct Tally {
  std::atomic<int> checks{0};
  std::atomic<int> mismatches{0};
  std::atomic<int> finished{0};

  void Check(const TraceId& want) {
    checks.fetch_add(1, std::memory_order_relaxed);
    if (CurrentContext().span_context().trace_id() != want) {
      mismatches.fetch_add(1, std::memory_order_relaxed);
    }
  }
};

void RunOnTwoThreads(asio::io_context& io) {
  std::thread other([&] { io.run(); });
  io.run();
  other.join();
}

TEST(AsioContextTest, BoundHandlerRunsWithTheCapturedContext) {
  asio::io_context io;
  const Context c = NewTraceContext();
  Context seen;
  {
    Scope scope(c);
    asio::post(io, BindContext([&] { seen = CurrentContext(); }));
  }
  io.run();
  EXPECT_EQ(seen, c);
  EXPECT_EQ(CurrentContext(), Context()) << "the runner's context is restored";
}

TEST(AsioContextTest, BoundHandlerKeepsItsStrand) {
  asio::io_context io;
  auto strand = asio::make_strand(io);
  bool in_strand = false;
  asio::post(io, BindContext(asio::bind_executor(
                     strand, [&] { in_strand = strand.running_in_this_thread(); })));
  io.run();
  EXPECT_TRUE(in_strand);
}

// A chain of kHops handlers alternating posts and timers; every step checks its trace.
void HandlerHop(asio::io_context& io, TraceId want, int hop, Tally& tally) {
  tally.Check(want);
  if (hop == kHops) {
    tally.finished.fetch_add(1);
    return;
  }
  if (hop % 2 == 0) {
    asio::post(io, BindContext([&io, want, hop, &tally] { HandlerHop(io, want, hop + 1, tally); }));
  } else {
    auto timer = std::make_shared<asio::steady_timer>(io, std::chrono::microseconds(hop * 50));
    timer->async_wait(BindContext([&io, want, hop, &tally, timer](asio::error_code) {
      HandlerHop(io, want, hop + 1, tally);
    }));
  }
}

TEST(AsioContextTest, ThousandsOfInterleavedHandlerChainsEachKeepTheirTrace) {
  asio::io_context io;
  Tally tally;
  for (int i = 0; i < kTasks; ++i) {
    const Context c = NewTraceContext();
    Scope scope(c);
    const TraceId want = c.span_context().trace_id();
    asio::post(io, BindContext([&io, want, &tally] { HandlerHop(io, want, 0, tally); }));
  }
  RunOnTwoThreads(io);
  EXPECT_EQ(tally.finished.load(), kTasks);
  EXPECT_EQ(tally.checks.load(), kTasks * (kHops + 1));
  EXPECT_EQ(tally.mismatches.load(), 0);
}

Task CoroutineHops(asio::io_context& io, TraceId want, Tally& tally) {
  tally.Check(want);
  for (int hop = 0; hop < kHops; ++hop) {
    if (hop % 2 == 0) {
      co_await PostTo(io.get_executor());
    } else {
      asio::steady_timer timer(io, std::chrono::microseconds(hop * 50));
      asio::error_code ec = co_await AsioOp<asio::error_code>(
          [&timer](auto handler) { timer.async_wait(std::move(handler)); });
      EXPECT_FALSE(ec);
    }
    tally.Check(want);
  }
  // A Scope opened inside the coroutine survives a suspension and is undone on exit.
  {
    const Context inner = NewTraceContext();
    Scope scope(inner);
    co_await PostTo(io.get_executor());
    tally.Check(inner.span_context().trace_id());
  }
  tally.Check(want);
  tally.finished.fetch_add(1);
}

TEST(ContextTaskTest, ThousandsOfInterleavedCoroutinesEachKeepTheirTrace) {
  asio::io_context io;
  Tally tally;
  auto work = asio::make_work_guard(io);
  std::thread other([&] { io.run(); });
  for (int i = 0; i < kTasks; ++i) {
    const Context c = NewTraceContext();
    Scope scope(c);
    CoroutineHops(io, c.span_context().trace_id(), tally);  // runs until its first co_await
    ASSERT_EQ(CurrentContext(), c) << "the creator's context is back after the first suspension";
  }
  work.reset();
  io.run();
  other.join();
  EXPECT_EQ(tally.finished.load(), kTasks);
  EXPECT_EQ(tally.checks.load(), kTasks * (kHops + 3));
  EXPECT_EQ(tally.mismatches.load(), 0);
  EXPECT_EQ(CurrentContext(), Context());
}

Task RecordContext(Context& out) {
  out = CurrentContext();
  co_return;
}

TEST(ContextTaskTest, TaskStartsWithItsCreatorsContext) {
  const Context c = NewTraceContext();
  Context seen;
  {
    Scope scope(c);
    RecordContext(seen);
  }
  EXPECT_EQ(seen, c);
}

}  // namespace
}  // namespace tracewire::trace
