#include "store/io/fault_file_system.h"

#include <gtest/gtest.h>

#include <string>

namespace tracewire::store {
namespace {

std::string Contents(FaultFileSystem& fs, const std::string& path) {
  auto s = fs.ReadFile(path, 1 << 20);
  return s.ok() ? *s : "<" + s.status().ToString() + ">";
}

std::unique_ptr<WritableFile> Open(FaultFileSystem& fs, const std::string& path,
                                   bool truncate = false) {
  auto f = fs.NewWritableFile(path, truncate);
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return f.ok() ? std::move(*f) : nullptr;
}

TEST(FaultFileSystemTest, WorksLikeAFileSystem) {
  FaultFileSystem fs;
  ASSERT_TRUE(fs.CreateDirs("/d/e").ok());
  auto f = Open(fs, "/d/e/f");
  ASSERT_TRUE(f->Append("abc").ok());
  std::string_view pieces[] = {"de", "", "f"};
  ASSERT_TRUE(f->AppendV(pieces, 3).ok());
  EXPECT_EQ(f->size(), 6u);
  EXPECT_EQ(Contents(fs, "d/e/f"), "abcdef");  // relative and absolute name the same file
  auto r = fs.NewRandomAccessFile("/d/e/f");
  ASSERT_TRUE(r.ok());
  char scratch[8];
  EXPECT_EQ(*(*r)->Read(4, 8, scratch), "ef");
  EXPECT_EQ(*(*r)->Read(9, 8, scratch), "");
  EXPECT_EQ(fs.ReadFile("/d/e/f", 5).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(*fs.ListDir("/d"), std::vector<std::string>{"e"});
  EXPECT_EQ(*fs.FileSize("/d/e/f"), 6u);
  ASSERT_TRUE(fs.Truncate("/d/e/f", 2).ok());
  EXPECT_EQ(Contents(fs, "/d/e/f"), "ab");
  ASSERT_TRUE(fs.Rename("/d/e", "/d/g").ok());
  EXPECT_EQ(Contents(fs, "/d/g/f"), "ab");
  EXPECT_FALSE(fs.Exists("/d/e"));
  EXPECT_EQ(fs.Rename("/d", "/d/g/x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(fs.RemoveFile("/d/g").code(), StatusCode::kInternal);
  EXPECT_EQ(fs.RemoveFile("/d/nope").code(), StatusCode::kNotFound);
  EXPECT_EQ(fs.NewWritableFile("/x/y", true).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(fs.RemoveDirRecursive("/d/g").ok());
  EXPECT_FALSE(fs.Exists("/d/g/f"));
}

TEST(FaultFileSystemTest, FullDiskWritesWhatFitsThenFails) {
  FaultFileSystem fs;
  auto f = Open(fs, "/f");
  fs.SetSpaceLeft(10);
  ASSERT_TRUE(f->Append("1234").ok());
  const Status s = f->Append("abcdefghij");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(Contents(fs, "/f"), "1234abcdef");
  EXPECT_EQ(f->size(), 10u);
  EXPECT_EQ(f->Append("x").code(), StatusCode::kUnavailable);
  fs.ClearSpaceLimit();
  ASSERT_TRUE(f->Append("x").ok());
  EXPECT_EQ(Contents(fs, "/f"), "1234abcdefx");
  EXPECT_EQ(fs.stats().failed_writes, 2u);
}

TEST(FaultFileSystemTest, FullDiskWithoutShortWritesWritesNothing) {
  FaultFileSystem fs;
  auto f = Open(fs, "/f");
  fs.SetSpaceLeft(3, /*short_writes=*/false);
  EXPECT_EQ(f->Append("abcd").code(), StatusCode::kUnavailable);
  EXPECT_EQ(Contents(fs, "/f"), "");
}

TEST(FaultFileSystemTest, CrashDropsBytesNotSynced) {
  FaultFileSystem fs;
  ASSERT_TRUE(fs.CreateDirs("/d").ok());
  auto f = Open(fs, "/d/f");
  ASSERT_TRUE(f->Append("abc").ok());
  ASSERT_TRUE(f->Sync().ok());
  ASSERT_TRUE(fs.SyncDir("/d").ok());
  ASSERT_TRUE(f->Append("def").ok());
  fs.Crash();
  EXPECT_EQ(Contents(fs, "/d/f"), "abc");
  // Objects from before the crash are dead.
  EXPECT_EQ(f->Append("x").code(), StatusCode::kUnavailable);
  EXPECT_EQ(f->Sync().code(), StatusCode::kUnavailable);
}

TEST(FaultFileSystemTest, CrashRestoresSyncedContentAfterTruncate) {
  FaultFileSystem fs;
  ASSERT_TRUE(fs.SetFileContents("/f", "abcdef").ok());
  ASSERT_TRUE(fs.Truncate("/f", 3).ok());
  auto f = Open(fs, "/f");
  ASSERT_TRUE(f->Append("XY").ok());
  fs.Crash();
  EXPECT_EQ(Contents(fs, "/f"), "abcdef");
  ASSERT_TRUE(fs.Truncate("/f", 3).ok());
  auto h = Open(fs, "/f");
  ASSERT_TRUE(h->Append("XY").ok());
  ASSERT_TRUE(h->Sync().ok());
  fs.Crash();
  EXPECT_EQ(Contents(fs, "/f"), "abcXY");
}

TEST(FaultFileSystemTest, CrashForgetsDirectoryEntriesNotSynced) {
  FaultFileSystem fs;
  ASSERT_TRUE(fs.CreateDirs("/d").ok());
  auto kept = Open(fs, "/d/kept");
  ASSERT_TRUE(kept->Sync().ok());
  ASSERT_TRUE(fs.SyncDir("/d").ok());
  auto lost = Open(fs, "/d/lost");
  ASSERT_TRUE(lost->Append("data").ok());
  ASSERT_TRUE(lost->Sync().ok());  // the data is durable, its name is not
  ASSERT_TRUE(fs.Rename("/d/kept", "/d/renamed").ok());
  fs.Crash();
  EXPECT_EQ(*fs.ListDir("/d"), std::vector<std::string>{"kept"});

  ASSERT_TRUE(fs.RemoveFile("/d/kept").ok());
  fs.Crash();  // the removal was not synced either
  EXPECT_TRUE(fs.Exists("/d/kept"));
  ASSERT_TRUE(fs.RemoveFile("/d/kept").ok());
  ASSERT_TRUE(fs.SyncDir("/d").ok());
  fs.Crash();
  EXPECT_FALSE(fs.Exists("/d/kept"));
  EXPECT_EQ(fs.stats().crashes, 3u);
}

TEST(FaultFileSystemTest, InjectedSyncFailuresMakeNothingDurable) {
  FaultFileSystem fs;
  auto f = Open(fs, "/f");
  ASSERT_TRUE(fs.SyncDir("/").ok());
  ASSERT_TRUE(f->Append("abc").ok());
  fs.FailNextSyncs(2);
  EXPECT_EQ(f->Sync().code(), StatusCode::kUnavailable);
  EXPECT_EQ(fs.SyncDir("/").code(), StatusCode::kUnavailable);
  fs.Crash();
  EXPECT_EQ(Contents(fs, "/f"), "");
  EXPECT_EQ(fs.stats().failed_syncs, 2u);
}

TEST(FaultFileSystemTest, FrozenFileSystemRefusesEveryCall) {
  FaultFileSystem fs;
  ASSERT_TRUE(fs.SetFileContents("/f", "abc").ok());
  auto f = Open(fs, "/f");
  fs.Freeze();
  EXPECT_EQ(f->Append("x").code(), StatusCode::kUnavailable);
  EXPECT_EQ(fs.Truncate("/f", 0).code(), StatusCode::kUnavailable);
  EXPECT_EQ(fs.NewWritableFile("/g", true).status().code(), StatusCode::kUnavailable);
  EXPECT_FALSE(fs.Exists("/f"));
  fs.Thaw();
  EXPECT_EQ(Contents(fs, "/f"), "abc");
}

TEST(FaultFileSystemTest, CorruptByteFlipsDurableBitsToo) {
  FaultFileSystem fs;
  ASSERT_TRUE(fs.SetFileContents("/a/b/f", "abc").ok());
  ASSERT_TRUE(fs.CorruptByte("/a/b/f", 1, 0x20).ok());
  EXPECT_EQ(Contents(fs, "/a/b/f"), "aBc");
  fs.Crash();
  EXPECT_EQ(Contents(fs, "/a/b/f"), "aBc");
  EXPECT_EQ(fs.CorruptByte("/a/b/f", 3).code(), StatusCode::kOutOfRange);
  EXPECT_EQ(fs.CorruptByte("/a/b/g", 0).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tracewire::store
