// The store on a fault-injecting file system: power loss, full disk, failing block writes.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "store/io/fault_file_system.h"
#include "store/store_impl.h"
#include "store/testing/batch_builder.h"

namespace tracewire::store {
namespace {

using testing::BatchBuilder;
using testing::TraceIdOf;

constexpr uint64_t kT0 = 1700000000ull * 1000000000ull;

class StoreFaultTest : public ::testing::Test {
 protected:
  StoreOptions Options() {
    StoreOptions o;
    o.data_dir = "/data";
    o.group_commit_window = std::chrono::microseconds(0);
    o.now_ns = [] { return kT0; };
    return o;
  }
  void Open() {
    auto s = OpenStoreOn(Options(), &fs_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  // Power loss: nothing unsynced survives, the old process is gone.
  void CrashAndReopen() {
    fs_.Freeze();
    fs_.Crash();
    store_.reset();
    fs_.Thaw();
    Open();
  }
  Status Append(uint64_t trace) {
    BatchBuilder b;
    const uint32_t r = b.Resource("svc");
    for (uint64_t k = 0; k < 5; ++k) {
      b.Span(r, TraceIdOf(7, trace), k + 1, k, "op", kT0 + trace * 10 + k, 5,
             {b.Kv("rpc.method", "m")});
    }
    std::promise<Status> p;
    store_->AppendSpans(b.Finish(), [&](Status s) { p.set_value(std::move(s)); });
    return p.get_future().get();
  }
  // Every trace in `acked` is there, whole and exactly once.
  void ExpectAll(const std::set<uint64_t>& acked) {
    for (uint64_t t : acked) {
      auto got = store_->GetTrace(TraceIdOf(7, t));
      ASSERT_TRUE(got.ok()) << "trace " << t << ": " << got.status().ToString();
      EXPECT_EQ((*got)->spans.size(), 5u) << "trace " << t;
    }
    TraceQuery q;
    q.service = "svc";
    q.limit = 100000;
    auto found = store_->FindTraces(q);
    ASSERT_TRUE(found.ok());
    for (const auto& s : *found) EXPECT_EQ(s.span_count, 5u);
  }

  FaultFileSystem fs_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreFaultTest, AcknowledgedSpansSurvivePowerLoss) {
  Open();
  std::set<uint64_t> acked;
  for (uint64_t t = 0; t < 20; ++t) {
    ASSERT_TRUE(Append(t).ok());
    acked.insert(t);
    if (t == 9) ASSERT_TRUE(store_->Flush().ok());
  }
  CrashAndReopen();
  ExpectAll(acked);
  EXPECT_EQ(store_->Stats().blocks, 1u);
}

TEST_F(StoreFaultTest, PowerLossDuringBlockWritesLosesNothingAcknowledged) {
  for (int fail_after = 0; fail_after < 6; ++fail_after) {
    fs_.ClearSpaceLimit();
    Open();
    std::set<uint64_t> acked;
    for (uint64_t t = 0; t < 10; ++t) {
      if (Append(100 * static_cast<uint64_t>(fail_after) + t).ok()) {
        acked.insert(100 * static_cast<uint64_t>(fail_after) + t);
      }
    }
    fs_.FailNextSyncs(fail_after);  // the block write (and the WAL) sees failing syncs
    (void)store_->Flush();
    fs_.FailNextSyncs(0);
    CrashAndReopen();
    ExpectAll(acked);
    ASSERT_TRUE(store_->Close().ok());
    store_.reset();
  }
}

TEST_F(StoreFaultTest, FullDiskRefusesAppendsThenRecovers) {
  Open();
  ASSERT_TRUE(Append(1).ok());
  fs_.SetSpaceLeft(10);
  EXPECT_EQ(Append(2).code(), StatusCode::kUnavailable);
  EXPECT_GE(store_->Stats().append_errors, 1u);
  EXPECT_EQ(store_->GetTrace(TraceIdOf(7, 2)).status().code(), StatusCode::kNotFound);
  fs_.ClearSpaceLimit();
  ASSERT_TRUE(Append(3).ok());
  CrashAndReopen();
  ExpectAll({1, 3});
  EXPECT_EQ(store_->GetTrace(TraceIdOf(7, 2)).status().code(), StatusCode::kNotFound);
}

// Two writers keep appending while the disk fills (real short writes): every append is
// answered quickly, those after the disk is full with UNAVAILABLE; what was acknowledged stays
// readable, also after a power loss on the still full disk.
TEST_F(StoreFaultTest, AppendsOnAFullDiskFailFastAndKeepWhatWasAcknowledged) {
  Open();
  fs_.SetSpaceLeft(200000, /*short_writes=*/true);
  std::mutex mu;
  std::set<uint64_t> acked;
  std::atomic<int> failed{0};
  std::atomic<int> slow{0};
  auto writer = [&](uint64_t base) {
    for (uint64_t t = base; t < base + 150; ++t) {
      BatchBuilder b;
      const uint32_t r = b.Resource("svc");
      const std::string big(2048, 'x');
      for (uint64_t k = 0; k < 5; ++k) {
        b.Span(r, TraceIdOf(7, t), k + 1, k, "op", kT0 + t * 10 + k, 5, {b.Kv("payload", big)});
      }
      auto p = std::make_shared<std::promise<Status>>();
      auto f = p->get_future();
      store_->AppendSpans(b.Finish(), [p](Status s) { p->set_value(std::move(s)); });
      if (f.wait_for(std::chrono::seconds(2)) != std::future_status::ready) {
        ++slow;
        return;
      }
      const Status s = f.get();
      if (s.ok()) {
        std::lock_guard lock(mu);
        acked.insert(t);
      } else {
        EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
        ++failed;
      }
    }
  };
  std::thread a(writer, 0);
  std::thread b(writer, 1000);
  a.join();
  b.join();
  ASSERT_EQ(slow.load(), 0) << "appends hung on the full disk";
  EXPECT_GT(failed.load(), 0) << "the disk never filled";
  ASSERT_FALSE(acked.empty());
  ExpectAll(acked);
  EXPECT_FALSE(store_->Flush().ok());  // no room for a block either
  ExpectAll(acked);
  CrashAndReopen();  // the disk is still full
  ExpectAll(acked);
}

TEST_F(StoreFaultTest, FailedBlockWriteKeepsSpansQueryableAndRetries) {
  Open();
  for (uint64_t t = 0; t < 5; ++t) ASSERT_TRUE(Append(t).ok());
  fs_.SetSpaceLeft(100);
  EXPECT_FALSE(store_->Flush().ok());
  ExpectAll({0, 1, 2, 3, 4});
  fs_.ClearSpaceLimit();
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ(store_->Stats().blocks, 1u);
  ExpectAll({0, 1, 2, 3, 4});
  CrashAndReopen();
  ExpectAll({0, 1, 2, 3, 4});
}

TEST_F(StoreFaultTest, BitRotInABlockPageGivesAnErrorNotACrash) {
  Open();
  for (uint64_t t = 0; t < 5; ++t) ASSERT_TRUE(Append(t).ok());
  ASSERT_TRUE(store_->Flush().ok());
  auto dirs = fs_.ListDir("/data/blocks");
  ASSERT_TRUE(dirs.ok());
  ASSERT_EQ(dirs->size(), 1u);
  ASSERT_TRUE(fs_.CorruptByte("/data/blocks/" + (*dirs)[0] + "/spans.tw", 30).ok());
  EXPECT_EQ(store_->GetTrace(TraceIdOf(7, 1)).status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace tracewire::store
