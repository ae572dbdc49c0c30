#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <string>
#include <vector>

#include "store/io/file_system.h"
#include "store/io/posix_error.h"

namespace tracewire::store {
namespace {

class PosixFileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "tw_io_test_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { ASSERT_TRUE(fs_->RemoveDirRecursive(dir_).ok()); }

  FileSystem* fs_ = FileSystem::Default();
  std::string dir_;
};

TEST(ErrnoToStatusTest, FullOrFailingDiskIsUnavailable) {
  for (int err : {ENOSPC, EDQUOT, EFBIG, EIO}) {
    EXPECT_EQ(ErrnoToStatus(err, "write", "/x").code(), StatusCode::kUnavailable) << err;
  }
  EXPECT_EQ(ErrnoToStatus(ENOENT, "open", "/x").code(), StatusCode::kNotFound);
  const Status other = ErrnoToStatus(EACCES, "open", "/some/path");
  EXPECT_EQ(other.code(), StatusCode::kInternal);
  EXPECT_NE(other.message().find("/some/path"), std::string::npos);
  EXPECT_NE(other.message().find("open"), std::string::npos);
}

TEST_F(PosixFileSystemTest, AppendsAndReadsBack) {
  const std::string path = dir_ + "/f";
  auto file = fs_->NewWritableFile(path, true);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_TRUE((*file)->Append("hello ").ok());
  // More pieces than one pwritev takes, some empty.
  std::vector<std::string> storage;
  std::string expected = "hello ";
  for (int i = 0; i < 3000; ++i) storage.push_back(i % 7 == 0 ? "" : std::to_string(i));
  std::vector<std::string_view> pieces(storage.begin(), storage.end());
  for (const auto& s : storage) expected += s;
  ASSERT_TRUE((*file)->AppendV(pieces.data(), pieces.size()).ok());
  ASSERT_TRUE((*file)->Sync().ok());
  EXPECT_EQ((*file)->size(), expected.size());
  ASSERT_TRUE((*file)->Close().ok());
  EXPECT_TRUE((*file)->Close().ok());  // idempotent

  auto whole = fs_->ReadFile(path, 1 << 20);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(*whole, expected);
  EXPECT_EQ(fs_->ReadFile(path, 3).status().code(), StatusCode::kOutOfRange);

  auto reader = fs_->NewRandomAccessFile(path);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->size(), expected.size());
  char scratch[16];
  auto got = (*reader)->Read(2, 4, scratch);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "llo ");
  got = (*reader)->Read(expected.size() - 2, 16, scratch);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, expected.substr(expected.size() - 2));

  // Reopening without truncation continues at the end.
  auto again = fs_->NewWritableFile(path, false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->size(), expected.size());
  auto fresh = fs_->NewWritableFile(path, true);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ((*fresh)->size(), 0u);
}

TEST_F(PosixFileSystemTest, ManagesDirectoriesAndNames) {
  ASSERT_TRUE(fs_->CreateDirs(dir_ + "/a/b/c").ok());
  ASSERT_TRUE(fs_->CreateDirs(dir_ + "/a/b/c").ok());  // already there
  for (const char* name : {"/a/z", "/a/m", "/a/b/c/f"}) {
    auto f = fs_->NewWritableFile(dir_ + name, true);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Append("12345").ok());
  }
  auto names = fs_->ListDir(dir_ + "/a");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"b", "m", "z"}));
  EXPECT_TRUE(fs_->Exists(dir_ + "/a/m"));
  EXPECT_EQ(*fs_->FileSize(dir_ + "/a/m"), 5u);
  ASSERT_TRUE(fs_->Truncate(dir_ + "/a/m", 2).ok());
  EXPECT_EQ(*fs_->FileSize(dir_ + "/a/m"), 2u);
  ASSERT_TRUE(fs_->Rename(dir_ + "/a/m", dir_ + "/a/z").ok());  // replaces z
  EXPECT_FALSE(fs_->Exists(dir_ + "/a/m"));
  EXPECT_EQ(*fs_->FileSize(dir_ + "/a/z"), 2u);
  ASSERT_TRUE(fs_->Rename(dir_ + "/a/b", dir_ + "/a/d").ok());  // a directory
  EXPECT_TRUE(fs_->Exists(dir_ + "/a/d/c/f"));
  ASSERT_TRUE(fs_->SyncDir(dir_ + "/a").ok());
  ASSERT_TRUE(fs_->RemoveFile(dir_ + "/a/z").ok());
  ASSERT_TRUE(fs_->RemoveDirRecursive(dir_ + "/a/d").ok());
  EXPECT_EQ(*fs_->ListDir(dir_ + "/a"), std::vector<std::string>{});

  EXPECT_EQ(fs_->RemoveFile(dir_ + "/nope").code(), StatusCode::kNotFound);
  EXPECT_EQ(fs_->FileSize(dir_ + "/nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fs_->NewRandomAccessFile(dir_ + "/nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fs_->NewWritableFile(dir_ + "/no/dir", true).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fs_->SyncDir(dir_ + "/nope").code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tracewire::store
