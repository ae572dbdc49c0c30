// The WAL under damaged files, a full disk, failing syncs and power loss (FaultFileSystem).
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "store/io/fault_file_system.h"
#include "store/wal/wal.h"
#include "store/wal/wal_format.h"
#include "store/wal/wal_testing.h"

namespace tracewire::store {
namespace {

using testing::AppendAndWait;
using testing::OpenOrDie;
using testing::Payloads;
using testing::ReplayAll;

constexpr char kDir[] = "/wal";

WalOptions Options(FileSystem* fs) {
  WalOptions o;
  o.dir = kDir;
  o.fs = fs;
  return o;
}

std::string SegmentPath(uint64_t n) { return std::string(kDir) + "/" + wal::SegmentFileName(n); }

// Writes `payloads` into segment 1 and returns the file's bytes and each record's offset.
std::string WriteSegment(const std::vector<std::string>& payloads, std::vector<uint64_t>* offsets) {
  FaultFileSystem fs;
  auto wal = OpenOrDie(Options(&fs));
  for (const auto& p : payloads) {
    auto r = AppendAndWait(*wal, 5, p);
    EXPECT_TRUE(r.status.ok());
    offsets->push_back(r.at.offset);
  }
  EXPECT_TRUE(wal->Close().ok());
  return *fs.ReadFile(SegmentPath(1), 1 << 20);
}

TEST(WalFaultTest, TornTailAtEveryByteOfTheLastRecordIsCutOff) {
  const std::vector<std::string> payloads = {"first", "second", "the last record"};
  std::vector<uint64_t> offsets;
  const std::string bytes = WriteSegment(payloads, &offsets);
  const std::vector<std::string> kept = {"first", "second"};
  for (uint64_t cut = offsets[2]; cut < bytes.size(); ++cut) {
    FaultFileSystem fs;
    ASSERT_TRUE(fs.SetFileContents(SegmentPath(1), bytes.substr(0, cut)).ok());
    {
      auto wal = OpenOrDie(Options(&fs));
      EXPECT_EQ(Payloads(ReplayAll(*wal)), kept) << cut;
      EXPECT_EQ(wal->Stats().records_dropped_on_replay, cut > offsets[2] ? 1u : 0u) << cut;
      EXPECT_EQ(*fs.FileSize(SegmentPath(1)), offsets[2]);  // the torn part is gone
      ASSERT_TRUE(AppendAndWait(*wal, 5, "after").status.ok());
    }
    auto wal = OpenOrDie(Options(&fs));
    EXPECT_EQ(Payloads(ReplayAll(*wal)), (std::vector<std::string>{"first", "second", "after"}));
    EXPECT_EQ(wal->Stats().records_dropped_on_replay, 0u);
  }
}

TEST(WalFaultTest, BitFlipEndsItsSegmentButLaterSegmentsAreRead) {
  FaultFileSystem fs;
  std::vector<WalPosition> at;
  {
    auto wal = OpenOrDie(Options(&fs));
    for (const char* p : {"a1", "a2-corrupt-me", "a3"}) at.push_back(AppendAndWait(*wal, 1, p).at);
    ASSERT_TRUE(wal->Rotate().ok());
    for (const char* p : {"b1", "b2"}) at.push_back(AppendAndWait(*wal, 1, p).at);
  }
  ASSERT_TRUE(fs.CorruptByte(SegmentPath(1), at[1].offset + wal::kRecordHeaderSize + 4).ok());
  auto wal = OpenOrDie(Options(&fs));
  EXPECT_EQ(Payloads(ReplayAll(*wal)), (std::vector<std::string>{"a1", "b1", "b2"}));
  EXPECT_EQ(wal->Stats().records_dropped_on_replay, 1u);
}

TEST(WalFaultTest, SegmentWithABadHeaderIsSkipped) {
  FaultFileSystem fs;
  {
    auto wal = OpenOrDie(Options(&fs));
    ASSERT_TRUE(AppendAndWait(*wal, 1, "lost").status.ok());
    ASSERT_TRUE(wal->Rotate().ok());
    ASSERT_TRUE(AppendAndWait(*wal, 1, "kept").status.ok());
  }
  ASSERT_TRUE(fs.CorruptByte(SegmentPath(1), 0).ok());
  ASSERT_TRUE(fs.SetFileContents(SegmentPath(3), "").ok());  // created, never written: not counted
  auto wal = OpenOrDie(Options(&fs));
  EXPECT_EQ(Payloads(ReplayAll(*wal)), std::vector<std::string>{"kept"});
  EXPECT_EQ(wal->Stats().records_dropped_on_replay, 1u);
  EXPECT_EQ(AppendAndWait(*wal, 1, "new").at.segment, 4u);
}

TEST(WalFaultTest, HugeLengthIsCorruptionNotAnAllocation) {
  std::vector<uint64_t> offsets;
  std::string bytes = WriteSegment({"ok", "victim"}, &offsets);
  for (const uint32_t length : {0xFFFFFFFFu, 0x03FFFFFFu}) {  // over the limit; past the end
    FaultFileSystem fs;
    std::string damaged = bytes;
    wal::EncodeFixed32(damaged.data() + offsets[1] + 4, length);
    ASSERT_TRUE(fs.SetFileContents(SegmentPath(1), damaged).ok());
    auto wal = OpenOrDie(Options(&fs));
    EXPECT_EQ(Payloads(ReplayAll(*wal)), std::vector<std::string>{"ok"});
    EXPECT_EQ(wal->Stats().records_dropped_on_replay, 1u);
  }
}

TEST(WalFaultTest, FullDiskMidRecordFailsItAndLaterAppendsSucceed) {
  FaultFileSystem fs;
  std::vector<std::string> acked;
  {
    auto wal = OpenOrDie(Options(&fs));
    for (int i = 0; i < 5; ++i) {
      acked.push_back("before-" + std::to_string(i));
      ASSERT_TRUE(AppendAndWait(*wal, 1, acked.back()).status.ok());
    }
    fs.SetSpaceLeft(20);  // the next record (9 + 100 bytes) is written in part
    auto r = AppendAndWait(*wal, 1, std::string(100, 'x'));
    EXPECT_EQ(r.status.code(), StatusCode::kUnavailable);
    EXPECT_EQ(AppendAndWait(*wal, 1, "still full").status.code(), StatusCode::kUnavailable);
    EXPECT_EQ(wal->Stats().write_errors, 2u);
    fs.ClearSpaceLimit();  // space comes back
    for (int i = 0; i < 5; ++i) {
      acked.push_back("after-" + std::to_string(i));
      ASSERT_TRUE(AppendAndWait(*wal, 1, acked.back()).status.ok());
    }
    EXPECT_EQ(wal->Stats().records_appended, 10u);
  }
  auto wal = OpenOrDie(Options(&fs));
  EXPECT_EQ(Payloads(ReplayAll(*wal)), acked);
  EXPECT_EQ(wal->Stats().records_dropped_on_replay, 0u);
}

TEST(WalFaultTest, FullDiskWhileStartingASegmentFailsOnlyThatBatch) {
  FaultFileSystem fs;
  WalOptions options = Options(&fs);
  options.segment_bytes = 64;
  auto wal = OpenOrDie(options);
  ASSERT_TRUE(AppendAndWait(*wal, 1, std::string(60, 'a')).status.ok());  // fills segment 1
  fs.SetSpaceLeft(4);  // not even the header of segment 2 fits
  EXPECT_EQ(AppendAndWait(*wal, 1, "b").status.code(), StatusCode::kUnavailable);
  fs.ClearSpaceLimit();
  EXPECT_EQ(AppendAndWait(*wal, 1, "c").at.segment, 2u);
  ASSERT_TRUE(wal->Close().ok());
  auto again = OpenOrDie(options);
  EXPECT_EQ(Payloads(ReplayAll(*again)), (std::vector<std::string>{std::string(60, 'a'), "c"}));
}

TEST(WalFaultTest, FailedSyncFailsTheBatchAndCutsItOff) {
  FaultFileSystem fs;
  {
    auto wal = OpenOrDie(Options(&fs));
    ASSERT_TRUE(AppendAndWait(*wal, 1, "one").status.ok());
    fs.FailNextSyncs(1);
    EXPECT_EQ(AppendAndWait(*wal, 1, "unsynced").status.code(), StatusCode::kUnavailable);
    ASSERT_TRUE(AppendAndWait(*wal, 1, "two").status.ok());
  }
  auto wal = OpenOrDie(Options(&fs));
  EXPECT_EQ(Payloads(ReplayAll(*wal)), (std::vector<std::string>{"one", "two"}));
}

TEST(WalFaultTest, PowerLossUnderAlwaysLosesNothingAcknowledged) {
  FaultFileSystem fs;
  WalOptions options = Options(&fs);
  options.segment_bytes = 4096;  // crash across segment rolls too
  std::mutex mu;
  std::set<std::string> acked;
  std::atomic<int> acked_count{0};
  std::atomic<bool> stop{false};
  auto wal = OpenOrDie(options);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; !stop.load(); ++i) {
        std::string payload = std::to_string(t) + "/" + std::to_string(i) + std::string(50, 'p');
        auto r = AppendAndWait(*wal, 2, payload);
        if (r.status.ok()) {
          std::lock_guard lock(mu);
          acked.insert(std::move(payload));
          acked_count.fetch_add(1);
        }
      }
    });
  }
  while (acked_count.load() < 300) std::this_thread::yield();
  fs.Freeze();  // the process dies here
  fs.Crash();
  stop = true;
  for (auto& th : threads) th.join();
  wal.reset();
  fs.Thaw();

  auto again = OpenOrDie(options);
  std::set<std::string> replayed;
  for (auto& r : ReplayAll(*again)) replayed.insert(r.payload);
  for (const auto& p : acked) EXPECT_EQ(replayed.count(p), 1u) << "lost acknowledged " << p;
}

}  // namespace
}  // namespace tracewire::store
