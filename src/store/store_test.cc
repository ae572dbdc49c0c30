#include "store/store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "store/format/row_format.h"
#include "store/testing/batch_builder.h"

namespace tracewire::store {
namespace {

using testing::BatchBuilder;
using testing::MakeLogs;
using testing::TraceIdOf;

constexpr uint64_t kSec = 1000000000ull;
constexpr uint64_t kT0 = 1700000000ull * kSec;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tw_store_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  StoreOptions Options() {
    StoreOptions o;
    o.data_dir = dir_.string();
    o.group_commit_window = std::chrono::microseconds(0);
    o.now_ns = [this] { return now_.load(); };
    return o;
  }
  void Open(StoreOptions o) {
    auto s = Store::Open(std::move(o));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void Open() { Open(Options()); }

  Status Append(std::shared_ptr<const model::SpanBatch> b) {
    std::promise<Status> p;
    store_->AppendSpans(std::move(b), [&](Status s) { p.set_value(std::move(s)); });
    return p.get_future().get();
  }
  Status AppendLogs(std::shared_ptr<const model::LogBatch> b) {
    std::promise<Status> p;
    store_->AppendLogs(std::move(b), [&](Status s) { p.set_value(std::move(s)); });
    return p.get_future().get();
  }

  // Trace 1: gateway GET /order (root, 100 ms) → orders Charge (client child, error, 40 ms)
  // → db query; trace 2: orders only.
  std::shared_ptr<const model::SpanBatch> SampleBatch() {
    BatchBuilder b;
    const uint32_t gw = b.Resource("gateway", {b.Kv("host.name", "h1")});
    const uint32_t orders = b.Resource("orders");
    b.Span(gw, TraceIdOf(0, 1), 1, 0, "GET /order", kT0, 100'000'000,
           {b.KvInt("http.response.status_code", 200), b.Kv("user", "alice")});
    auto& charge = b.Span(orders, TraceIdOf(0, 1), 2, 1, "Charge", kT0 + 10'000'000, 40'000'000,
                          {b.Kv("rpc.method", "Charge"), b.Kv("user", "bob")});
    charge.status_code = model::StatusCode::kError;
    b.Span(orders, TraceIdOf(0, 1), 3, 2, "db.query", kT0 + 20'000'000, 5'000'000);
    b.Span(orders, TraceIdOf(0, 2), 10, 0, "Refund", kT0 + kSec, 7'000'000,
           {b.Kv("rpc.method", "Refund")});
    return b.Finish();
  }

  // The checks every placement (head, blocks, recovered) must pass.
  void ExpectSampleQueries() {
    auto t = store_->GetTrace(TraceIdOf(0, 1));
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    ASSERT_EQ((*t)->spans.size(), 3u);
    EXPECT_EQ((*t)->spans[0].name, "GET /order");
    EXPECT_EQ((*t)->spans[1].name, "Charge");
    EXPECT_EQ((*t)->spans[1].parent_span_id, testing::SpanIdOf(1));
    EXPECT_EQ((*t)->resources[(*t)->spans[1].resource_index].service_name, "orders");
    EXPECT_EQ((*t)->spans[1].status_code, model::StatusCode::kError);
    const model::AnyValue* code =
        model::FindAttribute((*t)->spans[0].attributes, "http.response.status_code");
    ASSERT_NE(code, nullptr);
    EXPECT_EQ(code->int_value(), 200);
    EXPECT_EQ(store_->GetTrace(TraceIdOf(0, 99)).status().code(), StatusCode::kNotFound);

    TraceQuery q;
    q.service = "orders";
    auto found = store_->FindTraces(q);
    ASSERT_TRUE(found.ok());
    ASSERT_EQ(found->size(), 2u);
    EXPECT_EQ((*found)[0].trace_id, TraceIdOf(0, 2));  // newest first
    const TraceSummary& s = (*found)[1];
    EXPECT_EQ(s.root_service, "gateway");
    EXPECT_EQ(s.root_operation, "GET /order");
    EXPECT_EQ(s.span_count, 3u);
    EXPECT_EQ(s.error_count, 1u);
    EXPECT_EQ(s.start_ns, kT0);
    EXPECT_EQ(s.duration_ns, 100'000'000u);
    ASSERT_EQ(s.services.size(), 2u);
    EXPECT_EQ(s.services[1].service, "orders");
    EXPECT_EQ(s.services[1].span_count, 2u);

    q = {};
    q.errors_only = true;
    EXPECT_EQ(store_->FindTraces(q)->size(), 1u);
    q = {};
    q.attributes = {{"http.response.status_code", "200"}};
    EXPECT_EQ(store_->FindTraces(q)->size(), 1u);
    q.attributes = {{"host.name", "h1"}};  // resource attribute, not indexed
    EXPECT_EQ(store_->FindTraces(q)->size(), 1u);
    q = {};
    q.min_duration_ns = 50'000'000;
    EXPECT_EQ(store_->FindTraces(q)->size(), 1u);

    auto services = store_->Services();
    EXPECT_EQ(*services, (std::vector<std::string>{"gateway", "orders"}));
    auto ops = store_->Operations("orders");
    ASSERT_EQ(ops->size(), 3u);
    EXPECT_EQ((*ops)[0].name, "Charge");
    EXPECT_EQ((*ops)[2].name, "db.query");

    auto deps = store_->Dependencies(0, UINT64_MAX);
    ASSERT_EQ(deps->size(), 1u);
    EXPECT_EQ((*deps)[0].parent, "gateway");
    EXPECT_EQ((*deps)[0].child, "orders");
    EXPECT_EQ((*deps)[0].call_count, 1u);
    EXPECT_EQ((*deps)[0].error_count, 1u);
    EXPECT_NEAR(static_cast<double>((*deps)[0].duration_p50_ns), 40e6, 40e6 * 0.02);
    EXPECT_TRUE(store_->Dependencies(kT0 + 11'000'000, UINT64_MAX)->empty());

    auto logs = store_->GetLogs(TraceIdOf(0, 1), std::nullopt);
    ASSERT_TRUE(logs.ok());
    ASSERT_EQ((*logs)->records.size(), 2u);
    EXPECT_EQ((*logs)->records[0].body.string_value(), "first");
    auto span_logs = store_->GetLogs(TraceIdOf(0, 1), testing::SpanIdOf(2));
    ASSERT_EQ((*span_logs)->records.size(), 1u);
    EXPECT_EQ((*span_logs)->records[0].body.string_value(), "second");
    EXPECT_TRUE((*store_->GetLogs(TraceIdOf(0, 2), std::nullopt))->records.empty());
  }

  void AppendSample() {
    ASSERT_TRUE(Append(SampleBatch()).ok());
    ASSERT_TRUE(AppendLogs(MakeLogs("orders", {{TraceIdOf(0, 1), 2, kT0 + 2, "second"},
                                               {TraceIdOf(0, 1), 1, kT0 + 1, "first"}}))
                    .ok());
  }

  std::filesystem::path dir_;
  std::atomic<uint64_t> now_{kT0 + 2 * kSec};
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, QueriesSeeAppendedSpansInTheHead) {
  Open();
  AppendSample();
  EXPECT_EQ(store_->Stats().head_spans, 4u);
  ExpectSampleQueries();
}

TEST_F(StoreTest, QueriesSeeSpansAfterFlushIntoABlock) {
  Open();
  AppendSample();
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ(store_->Stats().blocks, 1u);
  EXPECT_EQ(store_->Stats().head_spans, 0u);
  ExpectSampleQueries();
}

TEST_F(StoreTest, ReopenRecoversBlocksAfterClose) {
  Open();
  AppendSample();
  ASSERT_TRUE(store_->Close().ok());
  EXPECT_EQ(store_->Stats().blocks, 1u);
  Open();
  EXPECT_EQ(store_->Stats().blocks, 1u);
  ExpectSampleQueries();
}

TEST_F(StoreTest, RecoveryReplaysTheWalIntoTheHead) {
  Open();
  AppendSample();
  // A copy of the directory taken while the store runs is what a crash leaves behind.
  const auto copy = dir_.string() + "_crash";
  std::filesystem::remove_all(copy);
  std::filesystem::copy(dir_, copy, std::filesystem::copy_options::recursive);
  ASSERT_TRUE(store_->Close().ok());
  store_.reset();
  std::filesystem::remove_all(dir_);
  std::filesystem::rename(copy, dir_);
  Open();
  EXPECT_EQ(store_->Stats().head_spans, 4u);
  EXPECT_EQ(store_->Stats().blocks, 0u);
  ExpectSampleQueries();
}

TEST_F(StoreTest, SpansSplitAcrossHeadAndBlocksMergeIntoOneTrace) {
  Open();
  AppendSample();
  ASSERT_TRUE(store_->Flush().ok());
  BatchBuilder b;
  const uint32_t r = b.Resource("payments");
  b.Span(r, TraceIdOf(0, 1), 4, 2, "Pay", kT0 + 30'000'000, 1'000'000);
  ASSERT_TRUE(Append(b.Finish()).ok());
  auto t = store_->GetTrace(TraceIdOf(0, 1));
  ASSERT_EQ((*t)->spans.size(), 4u);
  TraceQuery q;
  q.service = "payments";
  auto found = store_->FindTraces(q);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].span_count, 4u);
  EXPECT_EQ((*found)[0].root_service, "gateway");
}

TEST_F(StoreTest, OneSpanMustSatisfyEveryCondition) {
  Open();
  AppendSample();
  for (int placement = 0; placement < 2; ++placement) {
    TraceQuery q;
    q.service = "gateway";
    q.attributes = {{"user", "bob"}};  // bob is on the orders span
    EXPECT_TRUE(store_->FindTraces(q)->empty());
    q.attributes = {{"user", "alice"}};
    EXPECT_EQ(store_->FindTraces(q)->size(), 1u);
    q = {};
    q.service = "gateway";
    q.errors_only = true;  // the error is on the orders span
    EXPECT_TRUE(store_->FindTraces(q)->empty());
    q = {};
    q.operation = "Charge";
    q.attributes = {{"rpc.method", "Refund"}};
    EXPECT_TRUE(store_->FindTraces(q)->empty());
    q = {};
    q.start_ns = kT0 + 500'000'000;  // only trace 2 starts a span after this
    EXPECT_EQ(store_->FindTraces(q)->size(), 1u);
    q = {};
    q.service = "orders";
    q.errors_only = true;
    ASSERT_EQ(store_->FindTraces(q)->size(), 1u);
    EXPECT_EQ((*store_->FindTraces(q))[0].trace_id, TraceIdOf(0, 1));
    // Service + minimum duration (settled from a block's index): the 100 ms span is gateway's.
    q = {};
    q.service = "orders";
    q.min_duration_ns = 50'000'000;
    EXPECT_TRUE(store_->FindTraces(q)->empty());
    q.min_duration_ns = 30'000'000;  // Charge: 40 ms
    ASSERT_EQ(store_->FindTraces(q)->size(), 1u);
    EXPECT_EQ((*store_->FindTraces(q))[0].trace_id, TraceIdOf(0, 1));
    q.min_duration_ns = 7'000'000;  // Refund (7 ms) too
    EXPECT_EQ(store_->FindTraces(q)->size(), 2u);
    q.service = "gateway";
    q.min_duration_ns = 50'000'000;
    EXPECT_EQ(store_->FindTraces(q)->size(), 1u);
    ASSERT_TRUE(store_->Flush().ok());
  }
}

TEST_F(StoreTest, FindTracesIsNewestFirstWithLimitAndTiesByTraceId) {
  Open();
  BatchBuilder b;
  const uint32_t r = b.Resource("svc");
  for (uint64_t i = 1; i <= 6; ++i) {
    // Traces 5 and 6 share a start time.
    const uint64_t start = kT0 + std::min<uint64_t>(i, 5) * kSec;
    b.Span(r, TraceIdOf(0, 7 - i), i, 0, "op", start, 1000);
  }
  ASSERT_TRUE(Append(b.Finish()).ok());
  for (int placement = 0; placement < 2; ++placement) {
    TraceQuery q;
    q.service = "svc";
    q.limit = 3;
    auto found = store_->FindTraces(q);
    ASSERT_EQ(found->size(), 3u);
    EXPECT_EQ((*found)[0].trace_id, TraceIdOf(0, 1));  // start 5, smaller id
    EXPECT_EQ((*found)[1].trace_id, TraceIdOf(0, 2));
    EXPECT_EQ((*found)[2].trace_id, TraceIdOf(0, 3));
    ASSERT_TRUE(store_->Flush().ok());
  }
}

TEST_F(StoreTest, CompactionMergesSmallRecentBlocks) {
  Open();
  for (uint64_t i = 0; i < 4; ++i) {
    BatchBuilder b;
    const uint32_t r = b.Resource("svc");
    b.Span(r, TraceIdOf(1, i), 1, 0, "op", kT0 + i, 10);
    ASSERT_TRUE(Append(b.Finish()).ok());
    ASSERT_TRUE(store_->Flush().ok());
  }
  const StoreStats s = store_->Stats();
  EXPECT_GE(s.compactions, 1u);
  EXPECT_EQ(s.blocks, 1u);
  TraceQuery q;
  q.service = "svc";
  EXPECT_EQ(store_->FindTraces(q)->size(), 4u);
  ASSERT_TRUE(store_->Close().ok());
  Open();
  EXPECT_EQ(store_->Stats().blocks, 1u);
  EXPECT_EQ(store_->FindTraces(q)->size(), 4u);
}

TEST_F(StoreTest, RetentionDropsBlocksByAgeThenBySize) {
  StoreOptions o = Options();
  o.compaction_window = std::chrono::seconds(0);
  o.retention_max_age = std::chrono::seconds(3600);
  Open(o);
  for (uint64_t i = 0; i < 3; ++i) {
    // A block's age counts from when it was stored: each one arrives 1000 s after the last.
    now_ = kT0 + i * 1000 * kSec + 1;
    BatchBuilder b;
    const uint32_t r = b.Resource("svc");
    b.Span(r, TraceIdOf(2, i), 1, 0, "op", kT0 + i * 1000 * kSec, 10);
    ASSERT_TRUE(Append(b.Finish()).ok());
    ASSERT_TRUE(store_->Flush().ok());
  }
  EXPECT_EQ(store_->Stats().blocks, 3u);
  now_ = kT0 + 3600 * kSec + 500 * kSec;  // the first block is now over an hour old
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ(store_->Stats().blocks, 2u);
  EXPECT_EQ(store_->GetTrace(TraceIdOf(2, 0)).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->GetTrace(TraceIdOf(2, 1)).ok());
  ASSERT_TRUE(store_->Close().ok());

  o.retention_max_bytes = 1;  // keeps nothing
  Open(o);
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ(store_->Stats().blocks, 0u);
  EXPECT_EQ(store_->Stats().blocks_dropped_by_retention, 2u);
}

// Spans whose timestamps are older than the retention age when they arrive (a replay, a skewed
// client clock) are acknowledged, so they stay readable until the age has passed since storing.
TEST_F(StoreTest, RetentionCountsAgeFromArrivalForOldSpans) {
  StoreOptions o = Options();
  o.retention_max_age = std::chrono::seconds(72 * 3600);
  now_ = kT0 + 1000 * 24 * 3600 * kSec;  // the spans below are ~3 years old on arrival
  Open(o);
  BatchBuilder b;
  const uint32_t r = b.Resource("svc");
  b.Span(r, TraceIdOf(3, 1), 1, 0, "op", kT0, 10);
  ASSERT_TRUE(Append(b.Finish()).ok());
  ASSERT_TRUE(store_->Flush().ok());  // cut into a block, then retention and compaction run
  EXPECT_EQ(store_->Stats().blocks, 1u);
  ASSERT_TRUE(store_->GetTrace(TraceIdOf(3, 1)).ok());
  ASSERT_TRUE(store_->Close().ok());
  Open(o);  // the block's store time is durable
  ASSERT_TRUE(store_->Flush().ok());
  ASSERT_TRUE(store_->GetTrace(TraceIdOf(3, 1)).ok());
  now_ = now_ + 73 * 3600 * kSec;
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ(store_->GetTrace(TraceIdOf(3, 1)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Stats().blocks_dropped_by_retention, 1u);
}

TEST_F(StoreTest, CorruptBlockIsIgnoredAndCounted) {
  Open();
  AppendSample();
  ASSERT_TRUE(store_->Close().ok());
  store_.reset();
  for (const auto& e : std::filesystem::directory_iterator(dir_ / "blocks")) {
    std::filesystem::resize_file(e.path() / "index.tw", 20);
  }
  Open();
  EXPECT_EQ(store_->Stats().blocks, 0u);
  EXPECT_EQ(store_->Stats().blocks_ignored_on_recovery, 1u);
  EXPECT_EQ(store_->GetTrace(TraceIdOf(0, 1)).status().code(), StatusCode::kNotFound);
  AppendSample();  // the store still works
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_TRUE(store_->GetTrace(TraceIdOf(0, 1)).ok());
}

TEST_F(StoreTest, AppendAfterCloseFailsWithFailedPrecondition) {
  Open();
  ASSERT_TRUE(store_->Close().ok());
  EXPECT_EQ(Append(SampleBatch()).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(store_->Close().ok());
}

TEST_F(StoreTest, HeadIsCutWhenItReachesMaxBytes) {
  StoreOptions o = Options();
  o.head_max_bytes = 64 * 1024;
  Open(o);
  for (uint64_t i = 0; i < 50; ++i) {
    BatchBuilder b;
    const uint32_t r = b.Resource("svc");
    for (uint64_t k = 0; k < 20; ++k) b.Span(r, TraceIdOf(3, i), k + 1, k, "op", kT0 + k, 10);
    ASSERT_TRUE(Append(b.Finish()).ok());
  }
  // The cut runs on the background thread: allow a loaded machine 10 s.
  for (int i = 0; i < 500 && store_->Stats().blocks == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(store_->Stats().blocks, 1u);
  TraceQuery q;
  q.limit = 100;
  EXPECT_EQ(store_->FindTraces(q)->size(), 50u);
}

TEST_F(StoreTest, ConcurrentAppendsAndQueries) {
  StoreOptions o = Options();
  o.head_max_bytes = 256 * 1024;
  Open(o);
  std::atomic<bool> stop{false};
  std::atomic<int> acked{0};
  std::vector<std::thread> writers;
  for (uint64_t w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      for (uint64_t i = 0; i < 40; ++i) {
        BatchBuilder b;
        const uint32_t r = b.Resource("svc" + std::to_string(w));
        for (uint64_t k = 0; k < 10; ++k) {
          b.Span(r, TraceIdOf(10 + w, i), k + 1, k, "op" + std::to_string(k), kT0 + i * 100 + k, 50,
                 {b.Kv("rpc.method", "m")});
        }
        if (Append(b.Finish()).ok()) ++acked;
      }
    });
  }
  std::thread reader([&] {
    while (!stop) {
      TraceQuery q;
      q.attributes = {{"rpc.method", "m"}};
      (void)store_->FindTraces(q);
      (void)store_->GetTrace(TraceIdOf(10, 3));
      (void)store_->Dependencies(0, UINT64_MAX);
      (void)store_->Services();
    }
  });
  std::thread flusher([&] {
    for (int i = 0; i < 5; ++i) (void)store_->Flush();
  });
  for (auto& t : writers) t.join();
  flusher.join();
  stop = true;
  reader.join();
  EXPECT_EQ(acked.load(), 120);
  for (uint64_t w = 0; w < 3; ++w) {
    for (uint64_t i = 0; i < 40; ++i) {
      auto t = store_->GetTrace(TraceIdOf(10 + w, i));
      ASSERT_TRUE(t.ok());
      EXPECT_EQ((*t)->spans.size(), 10u);
    }
  }
}

// Writes seed inputs of the store fuzz targets into $TW_FUZZ_SEED_DIR (run by hand with
// --gtest_also_run_disabled_tests).
TEST_F(StoreTest, DISABLED_WriteFuzzSeeds) {
  const char* out = std::getenv("TW_FUZZ_SEED_DIR");
  ASSERT_NE(out, nullptr);
  Open();
  AppendSample();
  ASSERT_TRUE(store_->Flush().ok());
  for (const auto& e : std::filesystem::directory_iterator(dir_ / "blocks")) {
    std::string seed;
    for (const char* f : {"index.tw", "spans.tw", "logs.tw"}) {
      std::ifstream in(e.path() / f, std::ios::binary);
      seed += std::string(std::istreambuf_iterator<char>(in), {});
      if (std::string(f) != "logs.tw") seed += "\n--\n";
    }
    std::ofstream(std::string(out) + "/store_block_reader_fuzz/block1", std::ios::binary) << seed;
    // The span page alone (the sample is one page): the fuzzer also decodes its input as a page.
    std::ifstream in(e.path() / "spans.tw", std::ios::binary);
    std::ofstream(std::string(out) + "/store_block_reader_fuzz/page1", std::ios::binary)
        << std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::string payload(8, '\1');
  format::EncodeSpans(*SampleBatch(), &payload);
  std::ofstream(std::string(out) + "/store_wal_payload_fuzz/spans1", std::ios::binary) << payload;
  payload.assign(8, '\2');
  format::EncodeLogs(*MakeLogs("svc", {{TraceIdOf(0, 1), 2, kT0, "hello"}}), &payload);
  std::ofstream(std::string(out) + "/store_wal_payload_fuzz/logs1", std::ios::binary) << payload;
}

}  // namespace
}  // namespace tracewire::store
