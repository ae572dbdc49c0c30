#include "trace/sdk/batch_span_processor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "trace/sdk/in_memory_span_exporter.h"
#include "trace/sdk/tracer.h"

namespace tracewire::trace {
namespace {

using std::chrono::milliseconds;

// An exporter that blocks every Export until released, to fill the queue.
class GateExporter final : public SpanExporter {
 public:
  Status Export(std::span<const SpanData* const> batch) override {
    std::unique_lock lock(mu_);
    ++calls_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
    exported_ += batch.size();
    return OkStatus();
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void WaitForCall() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return calls_ > 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  int calls_ = 0;
  size_t exported_ = 0;
};

class FailingExporter final : public SpanExporter {
 public:
  Status Export(std::span<const SpanData* const>) override { return UnavailableError("down"); }
};

struct Fixture {
  explicit Fixture(BatchSpanProcessorOptions o = {}) {
    auto exporter = std::make_unique<InMemorySpanExporter>();
    store = exporter->store();
    auto bsp = BatchSpanProcessor::Create(std::move(exporter), o);
    EXPECT_TRUE(bsp.ok());
    processor = bsp->get();
    TracerProviderOptions po;
    po.sampler = MakeAlwaysOnSampler();
    po.processor = std::move(*bsp);
    provider = std::make_unique<TracerProvider>(std::move(po));
    tracer = &provider->GetTracer("bsp-test");
  }
  std::shared_ptr<InMemorySpanStore> store;
  BatchSpanProcessor* processor;
  std::unique_ptr<TracerProvider> provider;
  Tracer* tracer;
};

TEST(BatchSpanProcessorTest, ForceFlushExportsEveryEndedSpan) {
  Fixture f;
  for (int i = 0; i < 10; ++i) f.tracer->StartSpan("op" + std::to_string(i)).End();
  ASSERT_TRUE(f.provider->ForceFlush().ok());
  auto spans = f.store->GetSpans();
  ASSERT_EQ(spans.size(), 10u);
  EXPECT_EQ(spans[3].name, "op3");
  EXPECT_EQ(f.processor->stats().queued, 10u);
  EXPECT_EQ(f.processor->stats().exported, 10u);
}

TEST(BatchSpanProcessorTest, FullBatchIsExportedWithoutWaitingForTheDelay) {
  Fixture f(
      {.max_queue_size = 64, .schedule_delay = milliseconds(60000), .max_export_batch_size = 8});
  for (int i = 0; i < 8; ++i) f.tracer->StartSpan("op").End();
  for (int i = 0; i < 500 && f.store->size() < 8; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(f.store->size(), 8u);
}

TEST(BatchSpanProcessorTest, ScheduleDelayExportsAPartialBatch) {
  Fixture f(
      {.max_queue_size = 64, .schedule_delay = milliseconds(20), .max_export_batch_size = 32});
  f.tracer->StartSpan("lonely").End();
  for (int i = 0; i < 500 && f.store->size() < 1; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(f.store->size(), 1u);
}

TEST(BatchSpanProcessorTest, FullQueueDropsAndCountsWithoutBlocking) {
  auto gate_owned = std::make_unique<GateExporter>();
  GateExporter* gate = gate_owned.get();
  auto bsp = BatchSpanProcessor::Create(
      std::move(gate_owned),
      {.max_queue_size = 4, .schedule_delay = milliseconds(5), .max_export_batch_size = 1});
  ASSERT_TRUE(bsp.ok());
  BatchSpanProcessor* processor = bsp->get();
  TracerProviderOptions po;
  po.sampler = MakeAlwaysOnSampler();
  po.processor = std::move(*bsp);
  TracerProvider provider(std::move(po));
  Tracer& tracer = provider.GetTracer("t");

  tracer.StartSpan("first").End();
  gate->WaitForCall();  // the worker holds span 1 inside Export
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) tracer.StartSpan("more").End();
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1000));
  const BatchSpanProcessorStats s = processor->stats();
  EXPECT_EQ(s.queued, 5u) << "1 exporting + 4 queued";
  EXPECT_EQ(s.dropped, 96u);
  gate->Open();
  ASSERT_TRUE(provider.Shutdown().ok());
  EXPECT_EQ(processor->stats().exported, 5u);
}

TEST(BatchSpanProcessorTest, ShutdownFlushesAndIsIdempotent) {
  Fixture f({.max_queue_size = 2048,
             .schedule_delay = milliseconds(60000),
             .max_export_batch_size = 512});
  for (int i = 0; i < 100; ++i) f.tracer->StartSpan("op").End();
  EXPECT_TRUE(f.processor->Shutdown(milliseconds(5000)).ok());
  EXPECT_EQ(f.store->size(), 100u);
  EXPECT_TRUE(f.processor->Shutdown(milliseconds(5000)).ok());
}

TEST(BatchSpanProcessorTest, SpansEndedAfterShutdownAreDropped) {
  Fixture f;
  ASSERT_TRUE(f.provider->Shutdown().ok());
  f.tracer->StartSpan("late").End();
  EXPECT_TRUE(f.processor->ForceFlush(milliseconds(100)).ok());
  EXPECT_EQ(f.store->size(), 0u);
}

TEST(BatchSpanProcessorTest, UnsampledRecordedSpansAreNotExported) {
  Fixture f;
  auto data = f.processor->AcquireSpanData();
  data->flags = TraceFlags(0);
  f.processor->OnEnd(std::move(data));
  ASSERT_TRUE(f.processor->ForceFlush(milliseconds(5000)).ok());
  EXPECT_EQ(f.store->size(), 0u);
  EXPECT_EQ(f.processor->stats().queued, 0u);
}

TEST(BatchSpanProcessorTest, FailedExportsAreCounted) {
  auto bsp = BatchSpanProcessor::Create(std::make_unique<FailingExporter>());
  ASSERT_TRUE(bsp.ok());
  auto data = (*bsp)->AcquireSpanData();
  data->flags = TraceFlags(1);
  (*bsp)->OnEnd(std::move(data));
  ASSERT_TRUE((*bsp)->ForceFlush(milliseconds(5000)).ok());
  EXPECT_EQ((*bsp)->stats().export_failed, 1u);
  EXPECT_EQ((*bsp)->stats().exported, 0u);
}

TEST(BatchSpanProcessorTest, SpansFromManyThreadsAreAllExported) {
  Fixture f;
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&f, t] {
      for (int i = 0; i < 1000; ++i) {
        Span s = f.tracer->StartSpan("op");
        s.SetAttribute("thread", t);
        s.SetAttribute("i", i);
        // Slow down enough that the 2048-span per-thread queue never fills.
        if (i % 256 == 0) std::this_thread::sleep_for(milliseconds(1));
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(f.provider->ForceFlush().ok());
  const auto s = f.processor->stats();
  EXPECT_EQ(s.queued + s.dropped, 4000u);
  EXPECT_EQ(f.store->size(), s.queued);
  std::set<SpanId> ids;
  for (const SpanData& d : f.store->GetSpans()) ids.insert(d.span_id);
  EXPECT_EQ(ids.size(), s.queued);
}

TEST(BatchSpanProcessorTest, DroppingUnderPressureFromManyThreadsLosesNoCount) {
  Fixture f({.max_queue_size = 8, .schedule_delay = milliseconds(1), .max_export_batch_size = 4});
  std::vector<std::thread> threads;
  threads.reserve(3);
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&f] {
      for (int i = 0; i < 20000; ++i) {
        Span s = f.tracer->StartSpan("op");
        s.SetAttribute("i", i);
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(f.provider->ForceFlush().ok());
  const auto s = f.processor->stats();
  EXPECT_EQ(s.queued + s.dropped, 60000u);
  EXPECT_EQ(s.exported, s.queued);
  EXPECT_EQ(f.store->size(), s.queued);
}

TEST(BatchSpanProcessorTest, ExportedSpanDataIsReusedByTheSameThread) {
  Fixture f;
  std::set<const SpanData*> first;
  for (int i = 0; i < 16; ++i) {
    auto d = f.processor->AcquireSpanData();
    d->flags = TraceFlags(1);
    first.insert(d.get());
    f.processor->OnEnd(std::move(d));
  }
  ASSERT_TRUE(f.processor->ForceFlush(milliseconds(5000)).ok());
  int reused = 0;
  for (int i = 0; i < 16; ++i) {
    auto d = f.processor->AcquireSpanData();
    reused += first.count(d.get()) != 0;
    d->flags = TraceFlags(1);
    f.processor->OnEnd(std::move(d));
  }
  EXPECT_EQ(reused, 16);
}

TEST(BatchSpanProcessorTest, CreateRejectsInconsistentOptions) {
  auto make = [](BatchSpanProcessorOptions o) {
    return BatchSpanProcessor::Create(std::make_unique<InMemorySpanExporter>(), o).status();
  };
  EXPECT_EQ(make({.max_queue_size = 0}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(make({.max_queue_size = 8, .max_export_batch_size = 0}).code(),
            StatusCode::kInvalidArgument);
  const Status big = make({.max_queue_size = 8, .max_export_batch_size = 9});
  EXPECT_NE(big.message().find("OTEL_BSP_MAX_EXPORT_BATCH_SIZE"), std::string::npos);
  EXPECT_EQ(make({.schedule_delay = milliseconds(-1)}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(BatchSpanProcessor::Create(nullptr).status().code(), StatusCode::kInvalidArgument);
}

TEST(BatchSpanProcessorTest, DefaultOptionsAreTheOtelDefaults) {
  const BatchSpanProcessorOptions o;
  EXPECT_EQ(o.max_queue_size, 2048u);
  EXPECT_EQ(o.schedule_delay, milliseconds(5000));
  EXPECT_EQ(o.max_export_batch_size, 512u);
  EXPECT_EQ(o.export_timeout, milliseconds(30000));
}

}  // namespace
}  // namespace tracewire::trace
