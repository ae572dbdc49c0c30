#include "collector/processor/memory_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <vector>

#include "collector/testing/fake_components.h"

namespace tracewire::collector {
namespace {

using testing::MakeSpans;
using testing::RecordingConsumer;

constexpr uint64_t kMiB = 1u << 20;

struct Fixture {
  std::atomic<uint64_t> in_use{0};
  RecordingConsumer next{"next"};
  std::unique_ptr<MemoryLimiter> limiter;

  explicit Fixture(uint64_t limit_mib, uint64_t spike_mib = 0) {
    MemoryLimiterConfig c;
    c.check_interval = std::chrono::hours(1);  // tests sample by hand
    c.limit_mib = limit_mib;
    c.spike_limit_mib = spike_mib;
    c.read_in_use_bytes = [this] { return in_use.load(); };
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

TEST(MemoryLimiterTest, RefusesWhileMemoryInUseIsOverTheSoftLimitAndRecovers) {
  Fixture f(10, 2);  // soft limit 8 MiB
  f.next.AnswerWith(OkStatus());
  f.in_use = 9 * kMiB;
  f.limiter->CheckMemory();
  Status s = Send(*f.limiter, MakeSpans(3));
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(s.message().find("memory_limiter"), std::string::npos);
  EXPECT_TRUE(f.next.span_batches().empty());
  EXPECT_EQ(f.limiter->stats().refused_batches, 1u);

  f.in_use = 1 * kMiB;
  f.limiter->CheckMemory();
  EXPECT_TRUE(Send(*f.limiter, MakeSpans(3)).ok());
  EXPECT_EQ(f.next.span_count(), 3u);
  EXPECT_EQ(f.limiter->stats().bytes_in_flight, 0u);
}

TEST(MemoryLimiterTest, CountsBytesInFlightUntilDone) {
  Fixture f(1);  // soft limit 0.8 MiB
  f.in_use = 0;
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
  c.read_in_use_bytes = [] { return uint64_t{0}; };
  RecordingConsumer next("next");
  StatusOr<std::unique_ptr<MemoryLimiter>> l = NewMemoryLimiter("m", c, &next, nullptr);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ((*l)->stats().soft_limit_bytes, 1000 * kMiB / 100 * 40);
}

TEST(MemoryLimiterTest, ReleasedBytesCountAtOnceBeforeTheNextSample) {
  Fixture f(10, 2);  // soft limit 8 MiB
  f.in_use = 1 * kMiB;
  f.limiter->CheckMemory();
  Status first(StatusCode::kUnknown, "");
  f.limiter->ConsumeTraces(BigBatch(5 * kMiB), [&first](Status s) { first = s; });
  // The sample sees the held batch in the heap as well as in flight: counted once.
  f.in_use = 6 * kMiB;
  f.limiter->CheckMemory();
  EXPECT_EQ(Send(*f.limiter, BigBatch(3 * kMiB)).code(), StatusCode::kResourceExhausted);
  f.next.ReleaseOne(OkStatus());
  EXPECT_TRUE(first.ok());
  // No new sample yet: the release alone makes room.
  f.next.AnswerWith(OkStatus());
  EXPECT_TRUE(Send(*f.limiter, BigBatch(3 * kMiB)).ok());
}

TEST(MemoryLimiterTest, ReadsThisProcess) {
  EXPECT_GT(HeapInUseBytes(), 0u);
  EXPECT_GT(ProcessRssBytes(), 0u);
  EXPECT_GT(TotalMemoryBytes(), 0u);
}

// Holds each batch (and its answer) until Release(), then lets go of both.
class HoldingConsumer final : public TracesConsumer {
 public:
  void ConsumeTraces(std::shared_ptr<model::SpanBatch> batch, ConsumeDone done) override {
    held_.emplace_back(std::move(batch), std::move(done));
  }
  void Release() {
    for (auto& [batch, done] : held_) {
      batch.reset();
      done(OkStatus());
    }
    held_.clear();
  }

 private:
  std::vector<std::pair<std::shared_ptr<model::SpanBatch>, ConsumeDone>> held_;
};

// A large block of heap, escaped so the compiler cannot elide the allocation.
std::unique_ptr<char[]> HoldHeap(size_t bytes) {
  std::unique_ptr<char[]> block(new char[bytes]);
  std::memset(block.get(), 'h', bytes);
  char* p = block.get();
  asm volatile("" : : "r"(p) : "memory");
  return block;
}

// Offers a batch; the answer lands in the result later (kUnknown until then), since
// HoldingConsumer answers only on Release().
std::shared_ptr<Status> Offer(MemoryLimiter& l, std::shared_ptr<model::SpanBatch> batch) {
  auto result = std::make_shared<Status>(StatusCode::kUnknown, "not answered yet");
  l.ConsumeTraces(std::move(batch), [result](Status s) { *result = std::move(s); });
  return result;
}

constexpr size_t kHeld = 64 * kMiB;

TEST(MemoryLimiterTest, TheRealMeasureFollowsTheHeapNotTheRss) {
  const uint64_t before = HeapInUseBytes();
  auto block = HoldHeap(kHeld);
  const uint64_t held = HeapInUseBytes();
  EXPECT_GE(held, before + kHeld - kMiB) << "before " << before << ", held " << held;
  block.reset();
  const uint64_t after = HeapInUseBytes();
  EXPECT_LE(after + kHeld - kMiB, held) << "held " << held << ", after " << after;
}

TEST(MemoryLimiterTest, TheRealMeasureRefusesWhileHeldAndAdmitsAfterRelease) {
  MemoryLimiterConfig c;
  c.check_interval = std::chrono::hours(1);  // sampled by hand
  // Soft limit: the heap now + 24 MiB; a 64 MiB block takes it over.
  c.limit_mib = HeapInUseBytes() / kMiB + 32;
  c.spike_limit_mib = 8;
  HoldingConsumer next;
  StatusOr<std::unique_ptr<MemoryLimiter>> l = NewMemoryLimiter("m", c, &next, nullptr);
  ASSERT_TRUE(l.ok());
  MemoryLimiter& limiter = **l;
  ASSERT_TRUE(limiter.Start().ok());
  auto small = Offer(limiter, MakeSpans(2));
  next.Release();
  EXPECT_TRUE(small->ok()) << small->ToString();

  {
    auto block = HoldHeap(kHeld);
    limiter.CheckMemory();
    EXPECT_GT(limiter.stats().last_in_use_bytes, limiter.stats().soft_limit_bytes);
    EXPECT_EQ(Offer(limiter, MakeSpans(2))->code(), StatusCode::kResourceExhausted);
  }
  limiter.CheckMemory();
  EXPECT_LT(limiter.stats().last_in_use_bytes, limiter.stats().soft_limit_bytes);
  EXPECT_GT(limiter.stats().last_rss_bytes, 0u);
  small = Offer(limiter, MakeSpans(2));
  next.Release();
  EXPECT_TRUE(small->ok()) << small->ToString();

  // The same through the pipeline: a large batch held downstream, released, then room again.
  auto first = Offer(limiter, BigBatch(kHeld));
  limiter.CheckMemory();
  EXPECT_EQ(Offer(limiter, BigBatch(16 * kMiB))->code(), StatusCode::kResourceExhausted);
  next.Release();
  EXPECT_TRUE(first->ok()) << first->ToString();
  limiter.CheckMemory();
  EXPECT_EQ(limiter.stats().bytes_in_flight, 0u);
  small = Offer(limiter, MakeSpans(2));
  next.Release();
  EXPECT_TRUE(small->ok()) << small->ToString();
  EXPECT_EQ(limiter.stats().refused_batches, 2u);
  EXPECT_TRUE(limiter.Shutdown().ok());
}

}  // namespace
}  // namespace tracewire::collector
