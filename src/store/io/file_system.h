// The file interface the store writes and reads through (LevelDB's Env idea): a POSIX
// implementation for real use, and a fault-injecting in-memory one for tests
// (store/io/fault_file_system.h) that fails writes like a full disk, or drops what was not
// synced, as a crash would.
//
// Errors: UNAVAILABLE for ENOSPC/EDQUOT/EFBIG/EIO (the disk is full or failing), NOT_FOUND for a
// missing path, INTERNAL otherwise; messages name the path and the errno text.
// Thread-safety: a FileSystem may be used from any thread; one file object from one at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace tracewire::store {

class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  // Appends several pieces with one system call where possible.
  virtual Status AppendV(const std::string_view* pieces, size_t count);
  virtual Status Sync() = 0;  // fdatasync
  virtual Status Close() = 0;
  virtual uint64_t size() const = 0;  // bytes appended so far (plus the size it was opened at)
};

class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to n bytes at offset into scratch; returns a view of what was read (shorter at the
  // end of the file). The view may point into scratch or into a mapping owned by the file.
  virtual StatusOr<std::string_view> Read(uint64_t offset, size_t n, char* scratch) const = 0;
  virtual uint64_t size() const = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // The process-wide POSIX file system. Never null.
  static FileSystem* Default();

  // Opens for appending, creating the file if needed (truncating it when `truncate`).
  virtual StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path,
                                                                  bool truncate) = 0;
  virtual StatusOr<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(
      const std::string& path) = 0;
  // Reads a whole file of at most max_bytes (OUT_OF_RANGE when larger).
  virtual StatusOr<std::string> ReadFile(const std::string& path, uint64_t max_bytes) = 0;

  virtual Status CreateDirs(const std::string& path) = 0;  // mkdir -p
  // Names (not paths) of the entries of a directory, sorted.
  virtual StatusOr<std::vector<std::string>> ListDir(const std::string& path) = 0;
  virtual bool Exists(const std::string& path) = 0;
  virtual StatusOr<uint64_t> FileSize(const std::string& path) = 0;
  virtual Status Truncate(const std::string& path, uint64_t size) = 0;
  // Atomic replace (rename(2)); also for directories.
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  virtual Status RemoveDirRecursive(const std::string& path) = 0;
  // fsync of a directory, so creations and renames in it survive power loss.
  virtual Status SyncDir(const std::string& path) = 0;
};

}  // namespace tracewire::store
