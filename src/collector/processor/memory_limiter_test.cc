#include "collector/processor/memory_limiter.h"

#include <gtest/gtest.h>

#include <atomic>

#include "collector/testing/fake_components.h"

namespace tracewire::collector {
namespace {

using testing::MakeSpans;
using testing::RecordingConsumer;

constexpr uint64_t kMiB = 1u << 20;

struct Fixture {
  std::atomic<uint64_t> rss{0};
  RecordingConsumer next{"next"};
  std::unique_ptr<MemoryLimiter> limiter;

  explicit Fixture(uint64_t limit_mib, uint64_t spike_mib = 0) {
    MemoryLimiterConfig c;
    c.check_interval = std::chrono::hours(1);  // tests sample by hand
    c.limit_mib = limit_mib;
    c.spike_limit_mib = spike_mib;
    c.read_rss_bytes = [this] { return rss.load(); };
    StatusOr<std::unique_ptr<MemoryLimiter>> l =
        NewMemoryLimiter("memory_limiter", c, &next, nullptr);
    EXPECT_TRUE(l.ok());
    limiter = std::move(*l);
    EXPECT_TRUE(limiter->Start().ok());
  }
};

Status Send(MemoryLimiter& l, std::shared_ptr<model::SpanBatch> batch) {
  Status result(StatusCode::kUnknown, "not answered yet");
  l.ConsumeTraces(std::move(batch), [&result](Status s) { result = std::move(s); });
  return result;
}

std::shared_ptr<model::SpanBatch> BigBatch(size_t bytes) {
  auto b = MakeSpans(1);
  (void)b->storage.AdoptBuffer(std::string(bytes, 'x'));
  return b;
}

TEST(MemoryLimiterTest, RefusesWhileRssIsOverTheSoftLimitAndRecovers) {
  Fixture f(10, 2);  // soft limit 8 MiB
  f.next.AnswerWith(OkStatus());
  f.rss = 9 * kMiB;
  f.limiter->CheckMemory();
  Status s = Send(*f.limiter, MakeSpans(3));
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(s.message().find("memory_limiter"), std::string::npos);
  EXPECT_TRUE(f.next.span_batches().empty());
  EXPECT_EQ(f.limiter->stats().refused_batches, 1u);

  f.rss = 1 * kMiB;
  f.limiter->CheckMemory();
  EXPECT_TRUE(Send(*f.limiter, MakeSpans(3)).ok());
  EXPECT_EQ(f.next.span_count(), 3u);
  EXPECT_EQ(f.limiter->stats().bytes_in_flight, 0u);
}

TEST(MemoryLimiterTest, CountsBytesInFlightUntilDone) {
  Fixture f(1);  // soft limit 0.8 MiB
  f.rss = 0;
  f.limiter->CheckMemory();
  Status first(StatusCode::kUnknown, "");
  f.limiter->ConsumeTraces(BigBatch(500 * 1024), [&first](Status s) { first = s; });
  EXPECT_GT(f.limiter->stats().bytes_in_flight, 500u * 1024);
  // The first batch is held downstream: a second one would go over the limit.
  EXPECT_EQ(Send(*f.limiter, BigBatch(500 * 1024)).code(), StatusCode::kResourceExhausted);
  f.next.ReleaseOne(OkStatus());
  EXPECT_TRUE(first.ok());
  EXPECT_EQ(f.limiter->stats().bytes_in_flight, 0u);
  // Room again.
  f.next.AnswerWith(OkStatus());
  EXPECT_TRUE(Send(*f.limiter, BigBatch(500 * 1024)).ok());
}

TEST(MemoryLimiterTest, PercentagesUseTheTotalMemory) {
  MemoryLimiterConfig c;
  c.check_interval = std::chrono::seconds(1);
  c.limit_percentage = 50;
  c.spike_limit_percentage = 10;
  c.read_total_memory_bytes = [] { return uint64_t{1000} * kMiB; };
  c.read_rss_bytes = [] { return uint64_t{0}; };
  RecordingConsumer next("next");
  StatusOr<std::unique_ptr<MemoryLimiter>> l = NewMemoryLimiter("m", c, &next, nullptr);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ((*l)->stats().soft_limit_bytes, 1000 * kMiB / 100 * 40);
}

TEST(MemoryLimiterTest, ReadsThisProcess) {
  EXPECT_GT(ProcessRssBytes(), 0u);
  EXPECT_GT(TotalMemoryBytes(), 0u);
}

}  // namespace
}  // namespace tracewire::collector
