#include "collector/processor/batch_processor.h"

#include <gtest/gtest.h>

#include <thread>

#include "collector/testing/fake_components.h"

namespace tracewire::collector {
namespace {

using testing::MakeSpans;
using testing::RecordingConsumer;

struct Dones {
  std::mutex mutex;
  std::vector<Status> results;
  ConsumeDone Callback() {
    return [this](Status s) {
      std::lock_guard lock(mutex);
      results.push_back(std::move(s));
    };
  }
  size_t count() {
    std::lock_guard lock(mutex);
    return results.size();
  }
};

BatchProcessorConfig Config(uint64_t size, uint64_t max, std::chrono::milliseconds timeout) {
  BatchProcessorConfig c;
  c.send_batch_size = size;
  c.send_batch_max_size = max;
  c.timeout = timeout;
  return c;
}

TEST(BatchProcessorTest, MergesBatchesUntilSendBatchSizeAndAcksAfterDownstream) {
  RecordingConsumer next("next");
  auto p = NewBatchProcessor("batch", Config(10, 0, std::chrono::seconds(10)), &next, nullptr);
  ASSERT_TRUE(p->Start().ok());
  Dones dones;
  for (int i = 0; i < 3; ++i)
    p->ConsumeTraces(MakeSpans(4, static_cast<uint8_t>(i + 1)), dones.Callback());
  ASSERT_EQ(next.span_batches().size(), 1u);
  auto merged = next.span_batches()[0];
  ASSERT_EQ(merged->spans.size(), 12u);
  EXPECT_EQ(merged->resources.size(), 3u);
  EXPECT_EQ(merged->spans[11].resource_index, 2u);
  EXPECT_EQ(merged->spans[11].name, "span-3");  // views survive Absorb
  EXPECT_EQ(dones.count(), 0u);                 // not before the exporter answered
  next.ReleaseOne(OkStatus());
  ASSERT_EQ(dones.count(), 3u);
  for (const Status& s : dones.results) EXPECT_TRUE(s.ok());
  ASSERT_TRUE(p->Shutdown().ok());
}

TEST(BatchProcessorTest, FlushesOnTimeout) {
  RecordingConsumer next("next");
  next.AnswerWith(OkStatus());
  auto p =
      NewBatchProcessor("batch", Config(100, 0, std::chrono::milliseconds(30)), &next, nullptr);
  ASSERT_TRUE(p->Start().ok());
  Dones dones;
  p->ConsumeTraces(MakeSpans(2), dones.Callback());
  EXPECT_EQ(next.span_batches().size(), 0u);
  ASSERT_TRUE(next.WaitForBatches(1));
  EXPECT_EQ(next.span_count(), 2u);
  for (int i = 0; i < 200 && dones.count() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(dones.count(), 1u);
  // A second round after the first flush arms the timer again.
  p->ConsumeTraces(MakeSpans(3), dones.Callback());
  ASSERT_TRUE(next.WaitForBatches(2));
  EXPECT_EQ(next.span_count(), 5u);
  ASSERT_TRUE(p->Shutdown().ok());
}

TEST(BatchProcessorTest, SplitsOverMaxSizeAndAnswersOnceForAllParts) {
  RecordingConsumer next("next");
  auto p = NewBatchProcessor("batch", Config(5, 5, std::chrono::seconds(10)), &next, nullptr);
  ASSERT_TRUE(p->Start().ok());
  Dones dones;
  p->ConsumeTraces(MakeSpans(12), dones.Callback());
  ASSERT_EQ(next.span_batches().size(), 2u);
  EXPECT_EQ(next.span_batches()[0]->spans.size(), 5u);
  EXPECT_EQ(next.span_batches()[1]->spans[0].name, "span-5");
  ASSERT_TRUE(p->Shutdown().ok());  // flushes the last 2
  ASSERT_EQ(next.span_batches().size(), 3u);
  EXPECT_EQ(next.span_batches()[2]->spans.size(), 2u);
  next.ReleaseOne(OkStatus());
  next.ReleaseOne(OkStatus());
  EXPECT_EQ(dones.count(), 0u);
  next.ReleaseOne(OkStatus());
  ASSERT_EQ(dones.count(), 1u);
  EXPECT_TRUE(dones.results[0].ok());
}

TEST(BatchProcessorTest, AMergedBatchOverMaxIsSentBeforeAbsorbingMore) {
  RecordingConsumer next("next");
  next.AnswerWith(OkStatus());
  auto p = NewBatchProcessor("batch", Config(8, 8, std::chrono::seconds(10)), &next, nullptr);
  Dones dones;
  p->ConsumeTraces(MakeSpans(5), dones.Callback());
  p->ConsumeTraces(MakeSpans(5), dones.Callback());
  ASSERT_EQ(next.span_batches().size(), 1u);
  EXPECT_EQ(next.span_batches()[0]->spans.size(), 5u);
  ASSERT_TRUE(p->Shutdown().ok());
  EXPECT_EQ(next.span_count(), 10u);
  EXPECT_EQ(dones.count(), 2u);
}

TEST(BatchProcessorTest, DownstreamErrorsReachEveryMergedBatch) {
  RecordingConsumer next("next");
  auto p = NewBatchProcessor("batch", Config(4, 0, std::chrono::seconds(10)), &next, nullptr);
  Dones dones;
  p->ConsumeTraces(MakeSpans(2), dones.Callback());
  p->ConsumeTraces(MakeSpans(2), dones.Callback());
  next.ReleaseOne(UnavailableError("disk full"));
  ASSERT_EQ(dones.count(), 2u);
  EXPECT_EQ(dones.results[0].code(), StatusCode::kUnavailable);
  EXPECT_EQ(dones.results[1].code(), StatusCode::kUnavailable);
  ASSERT_TRUE(p->Shutdown().ok());
}

TEST(BatchProcessorTest, LogsAreBatchedToo) {
  RecordingConsumer next("next");
  next.AnswerWith(OkStatus());
  auto p = NewBatchProcessor("batch", Config(3, 0, std::chrono::seconds(10)), nullptr, &next);
  Dones dones;
  p->ConsumeLogs(testing::MakeLogs(2), dones.Callback());
  p->ConsumeLogs(testing::MakeLogs(2), dones.Callback());
  ASSERT_EQ(next.log_batches().size(), 1u);
  EXPECT_EQ(next.log_batches()[0]->records.size(), 4u);
  p->ConsumeTraces(MakeSpans(1), dones.Callback());  // not in a traces pipeline
  ASSERT_EQ(dones.count(), 3u);
  EXPECT_EQ(dones.results[2].code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(p->Shutdown().ok());
}

TEST(BatchProcessorTest, ZeroTimeoutSendsEachBatchAtOnce) {
  RecordingConsumer next("next");
  next.AnswerWith(OkStatus());
  auto p = NewBatchProcessor("batch", Config(100, 0, std::chrono::milliseconds(0)), &next, nullptr);
  Dones dones;
  p->ConsumeTraces(MakeSpans(1), dones.Callback());
  EXPECT_EQ(next.span_batches().size(), 1u);
  EXPECT_EQ(dones.count(), 1u);
  ASSERT_TRUE(p->Shutdown().ok());
}

}  // namespace
}  // namespace tracewire::collector
