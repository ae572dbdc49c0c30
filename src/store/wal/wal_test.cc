#include "store/wal/wal.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <map>
#include <thread>

#include "store/io/fault_file_system.h"
#include "store/wal/wal_format.h"
#include "store/wal/wal_testing.h"

namespace tracewire::store {
namespace {

using testing::AppendAndWait;
using testing::OpenOrDie;
using testing::Payloads;
using testing::ReplayAll;

class WalTest : public ::testing::Test {
 protected:
  WalOptions Options() {
    WalOptions o;
    o.dir = "/data/wal";
    o.fs = &fs_;
    return o;
  }
  FaultFileSystem fs_;
};

TEST_F(WalTest, ReplaysEveryRecordAfterACleanClose) {
  std::vector<std::string> written;
  {
    auto wal = OpenOrDie(Options());
    EXPECT_TRUE(ReplayAll(*wal).empty());
    for (int i = 0; i < 100; ++i) {
      written.push_back(
          std::string(static_cast<size_t>(i * 37 % 500), static_cast<char>('a' + i % 26)));
      auto r = AppendAndWait(*wal, static_cast<uint8_t>(1 + i % 255), written.back());
      ASSERT_TRUE(r.status.ok()) << r.status.ToString();
      EXPECT_EQ(r.at.segment, 1u);
    }
    ASSERT_TRUE(wal->Close().ok());
    const WalStats stats = wal->Stats();
    EXPECT_EQ(stats.records_appended, 100u);
    EXPECT_EQ(stats.segments, 1u);
    EXPECT_EQ(stats.bytes_on_disk, *fs_.FileSize("/data/wal/" + wal::SegmentFileName(1)));
  }
  auto wal = OpenOrDie(Options());
  const auto records = ReplayAll(*wal);
  EXPECT_EQ(Payloads(records), written);
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].type, 1 + i % 255);
    if (i > 0) EXPECT_GT(records[i].at.offset, records[i - 1].at.offset);
  }
  EXPECT_EQ(wal->Stats().records_dropped_on_replay, 0u);
  // New records go into a fresh segment.
  EXPECT_EQ(AppendAndWait(*wal, 1, "next").at.segment, 2u);
}

TEST_F(WalTest, ManyThreadsKeepTheirOrderAndEveryDoneRunsOnce) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 300;
  auto wal = OpenOrDie(Options());
  std::vector<std::vector<int>> done_order(kThreads);  // written by the writer thread only
  std::atomic<int> dones{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        wal->Append(1, std::to_string(t) + ":" + std::to_string(i),
                    [&, t, i](Status s, WalPosition) {
                      EXPECT_TRUE(s.ok());
                      done_order[t].push_back(i);
                      dones.fetch_add(1);
                    });
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(wal->Close().ok());
  EXPECT_EQ(dones.load(), kThreads * kPerThread);
  std::vector<int> expected(kPerThread);
  for (int i = 0; i < kPerThread; ++i) expected[i] = i;
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(done_order[t], expected);

  auto again = OpenOrDie(Options());
  std::map<int, int> next;  // thread → next sequence number expected
  for (const auto& r : ReplayAll(*again)) {
    const size_t colon = r.payload.find(':');
    const int t = std::stoi(r.payload.substr(0, colon));
    EXPECT_EQ(std::stoi(r.payload.substr(colon + 1)), next[t]++);
  }
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(next[t], kPerThread);
}

TEST_F(WalTest, GroupCommitSharesSyncsBetweenThreads) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  auto wal = OpenOrDie(Options());
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) EXPECT_TRUE(AppendAndWait(*wal, 1, "x").status.ok());
    });
  }
  for (auto& th : threads) th.join();
  const WalStats stats = wal->Stats();
  EXPECT_EQ(stats.records_appended, uint64_t{kThreads * kPerThread});
  EXPECT_LT(stats.syncs, stats.records_appended / 2) << "appends were not grouped";
  EXPECT_GE(stats.syncs, 1u);
}

TEST_F(WalTest, IntervalPolicyAcknowledgesBeforeSyncAndSyncsLater) {
  WalOptions options = Options();
  options.sync = SyncPolicy::kInterval;
  options.sync_interval = std::chrono::hours(1);
  {
    auto wal = OpenOrDie(options);
    ASSERT_TRUE(AppendAndWait(*wal, 1, "not yet durable").status.ok());
    EXPECT_EQ(wal->Stats().syncs, 0u);
    fs_.Freeze();  // the process dies before the interval ends
  }
  fs_.Crash();
  fs_.Thaw();
  {
    auto wal = OpenOrDie(options);
    EXPECT_TRUE(ReplayAll(*wal).empty());
  }
  options.sync_interval = std::chrono::milliseconds(20);
  auto wal = OpenOrDie(options);
  ASSERT_TRUE(AppendAndWait(*wal, 1, "durable soon").status.ok());
  for (int i = 0; i < 200 && wal->Stats().syncs == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(wal->Stats().syncs, 1u);
  fs_.Freeze();
  fs_.Crash();
  fs_.Thaw();
  auto after = OpenOrDie(options);
  EXPECT_EQ(Payloads(ReplayAll(*after)), std::vector<std::string>{"durable soon"});
}

TEST_F(WalTest, NeverPolicyDoesNotSyncUntilClose) {
  WalOptions options = Options();
  options.sync = SyncPolicy::kNever;
  auto wal = OpenOrDie(options);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(AppendAndWait(*wal, 1, "r").status.ok());
  EXPECT_EQ(wal->Stats().syncs, 0u);
  ASSERT_TRUE(wal->Close().ok());
  EXPECT_EQ(wal->Stats().syncs, 1u);  // Close syncs once, whatever the policy
  fs_.Crash();
  auto again = OpenOrDie(options);
  EXPECT_EQ(ReplayAll(*again).size(), 10u);
}

TEST_F(WalTest, RotateStartsANewSegmentAndOldOnesCanBeRemoved) {
  auto wal = OpenOrDie(Options());
  ASSERT_TRUE(AppendAndWait(*wal, 1, "a").status.ok());
  auto second = wal->Rotate();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 2u);
  EXPECT_EQ(AppendAndWait(*wal, 1, "b").at.segment, 2u);
  auto third = wal->Rotate();
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(*third, 3u);
  EXPECT_EQ(*wal->Rotate(), 3u);  // nothing written since: the same number
  EXPECT_EQ(AppendAndWait(*wal, 1, "c").at.segment, 3u);
  EXPECT_EQ(wal->Stats().segments, 3u);

  ASSERT_TRUE(wal->RemoveSegmentsBefore(*second).ok());
  EXPECT_EQ(wal->Stats().segments, 2u);
  EXPECT_FALSE(fs_.Exists("/data/wal/" + wal::SegmentFileName(1)));
  ASSERT_TRUE(wal->RemoveSegmentsBefore(1000).ok());  // never the segment being written
  EXPECT_EQ(wal->Stats().segments, 1u);
  EXPECT_TRUE(AppendAndWait(*wal, 1, "d").status.ok());
  ASSERT_TRUE(wal->Close().ok());

  auto again = OpenOrDie(Options());
  EXPECT_EQ(Payloads(ReplayAll(*again)), (std::vector<std::string>{"c", "d"}));
}

TEST_F(WalTest, RollsSegmentsAtSegmentBytes) {
  WalOptions options = Options();
  options.segment_bytes = 1000;
  std::vector<std::string> written;
  {
    auto wal = OpenOrDie(options);
    for (int i = 0; i < 40; ++i) {
      written.push_back(std::string(100, static_cast<char>('A' + i % 26)));
      ASSERT_TRUE(AppendAndWait(*wal, 3, written.back()).status.ok());
    }
    EXPECT_GE(wal->Stats().segments, 4u);
  }
  auto wal = OpenOrDie(options);
  const auto records = ReplayAll(*wal);
  EXPECT_EQ(Payloads(records), written);
  EXPECT_GT(records.back().at.segment, 3u);
}

TEST_F(WalTest, CloseIsIdempotentAndLaterCallsFail) {
  auto wal = OpenOrDie(Options());
  ASSERT_TRUE(wal->Close().ok());
  ASSERT_TRUE(wal->Close().ok());
  auto r = AppendAndWait(*wal, 1, "late");
  EXPECT_EQ(r.status.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(wal->Rotate().status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(WalTest, RejectsBadRecordsAndBadOptions) {
  WalOptions options = Options();
  options.max_record_bytes = 16;
  auto wal = OpenOrDie(options);
  EXPECT_EQ(AppendAndWait(*wal, 0, "x").status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(AppendAndWait(*wal, 1, std::string(17, 'x')).status.code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(AppendAndWait(*wal, 1, std::string(16, 'x')).status.ok());

  for (auto bad :
       {+[](WalOptions& o) { o.dir.clear(); }, +[](WalOptions& o) { o.segment_bytes = 0; },
        +[](WalOptions& o) { o.max_record_bytes = 0; },
        +[](WalOptions& o) { o.max_record_bytes = uint64_t{1} << 33; },
        +[](WalOptions& o) {
          o.sync = SyncPolicy::kInterval;
          o.sync_interval = std::chrono::milliseconds(0);
        }}) {
    WalOptions o = Options();
    bad(o);
    EXPECT_EQ(Wal::Open(o).status().code(), StatusCode::kInvalidArgument);
  }
}

TEST_F(WalTest, ReplayStopsAtTheFirstCallbackError) {
  {
    auto wal = OpenOrDie(Options());
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(AppendAndWait(*wal, 1, "r").status.ok());
  }
  auto wal = OpenOrDie(Options());
  int calls = 0;
  const Status s = wal->Replay([&](uint8_t, std::string_view, WalPosition) {
    return ++calls == 2 ? InternalError("stop") : OkStatus();
  });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_EQ(calls, 2);
}

TEST(WalPosixTest, WorksOnTheRealFileSystem) {
  std::string dir = ::testing::TempDir() + "tw_wal_test_XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  WalOptions options;
  options.dir = dir + "/wal";
  options.segment_bytes = 4096;
  std::vector<std::string> written;
  {
    auto wal = OpenOrDie(options);
    EXPECT_TRUE(ReplayAll(*wal).empty());
    for (int i = 0; i < 50; ++i) {
      written.push_back(std::string(300, static_cast<char>('a' + i % 26)));
      ASSERT_TRUE(AppendAndWait(*wal, 9, written.back()).status.ok());
    }
    EXPECT_GE(wal->Stats().syncs, 1u);
    ASSERT_TRUE(wal->Close().ok());
  }
  {
    auto wal = OpenOrDie(options);
    EXPECT_EQ(Payloads(ReplayAll(*wal)), written);
    EXPECT_GT(wal->Stats().segments, 1u);
  }
  ASSERT_TRUE(FileSystem::Default()->RemoveDirRecursive(dir).ok());
}

}  // namespace
}  // namespace tracewire::store
