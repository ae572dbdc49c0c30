// FaultFileSystem: an in-memory FileSystem for tests that fails like a real disk.
//
// - Full disk: SetSpaceLeft(n) lets n more bytes be appended (over all files); the append that
//   crosses the limit fails with UNAVAILABLE (as on ENOSPC), after writing the part that fits
//   when short writes are on (a real short write). Truncating does not give space back.
// - Failing syncs: FailNextSyncs(k) makes the next k Sync/SyncDir calls fail with UNAVAILABLE
//   (as on EIO) without making anything durable.
// - Power loss: Crash() puts every file back to its content at its last Sync, and every
//   directory back to its entries at its last SyncDir: files created or renamed since then
//   vanish (or keep their old name), removed ones come back. Directories made by CreateDirs are
//   durable at once (the model covers file data and the entries of a directory). File objects
//   opened before the crash fail every call with UNAVAILABLE afterwards.
// - A dead process: between Freeze() and Thaw() every FileSystem and file call fails with
//   UNAVAILABLE (Exists says false), so code still running cannot touch the disk image:
//   Freeze(); Crash(); destroy the old objects; Thaw(); reopen and recover.
// - Bit rot: CorruptByte() flips bits in a file, durable content included.
//
// Paths are '/'-separated; "a/b" and "/a/b" name the same entry (all paths start at one root).
// Thread-safety: every method may be called from any thread (one lock inside).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/io/file_system.h"

namespace tracewire::store {

struct FaultFileSystemStats {
  uint64_t bytes_written = 0;  // bytes appended, short-write parts included
  uint64_t failed_writes = 0;  // appends refused for lack of space
  uint64_t syncs = 0;          // successful WritableFile::Sync calls
  uint64_t dir_syncs = 0;      // successful SyncDir calls
  uint64_t failed_syncs = 0;   // injected Sync/SyncDir failures
  uint64_t crashes = 0;
};

class FaultFileSystem final : public FileSystem {
 public:
  FaultFileSystem();
  ~FaultFileSystem() override;
  FaultFileSystem(const FaultFileSystem&) = delete;
  FaultFileSystem& operator=(const FaultFileSystem&) = delete;

  // --- FileSystem ---
  StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path,
                                                          bool truncate) override;
  StatusOr<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path) override;
  StatusOr<std::string> ReadFile(const std::string& path, uint64_t max_bytes) override;
  Status CreateDirs(const std::string& path) override;
  StatusOr<std::vector<std::string>> ListDir(const std::string& path) override;
  bool Exists(const std::string& path) override;
  StatusOr<uint64_t> FileSize(const std::string& path) override;
  Status Truncate(const std::string& path, uint64_t size) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status RemoveFile(const std::string& path) override;
  Status RemoveDirRecursive(const std::string& path) override;
  Status SyncDir(const std::string& path) override;

  // --- Faults ---
  // From now on at most `bytes` more bytes may be appended; see the file comment.
  void SetSpaceLeft(uint64_t bytes, bool short_writes = true);
  // No space limit any more (the default).
  void ClearSpaceLimit();
  // The next `count` Sync/SyncDir calls fail.
  void FailNextSyncs(int count);
  // Power loss; see the file comment.
  void Crash();
  // See "A dead process" in the file comment. Once Freeze() returns no call is in progress.
  void Freeze();
  void Thaw();
  // XORs `mask` into the byte at `offset`. OUT_OF_RANGE past the end, NOT_FOUND if no file.
  Status CorruptByte(const std::string& path, uint64_t offset, uint8_t mask = 0x01);
  // Creates or replaces the file (and its directories) holding `data`, already durable.
  Status SetFileContents(const std::string& path, std::string_view data);

  FaultFileSystemStats stats() const;

  struct Node;  // a file or a directory (defined in the .cc)

 private:
  class File;
  class ReadFileImpl;
  friend class File;
  friend class ReadFileImpl;

  Status LookupLocked(const std::string& path, std::shared_ptr<Node>* out) const;
  // The directory holding `path` and the last component of `path`.
  Status ParentLocked(const std::string& path, std::shared_ptr<Node>* dir, std::string* name);
  Status CreateDirsLocked(const std::string& path);
  // Appends at `offset` of node; applies the space limit. Returns the bytes written in *wrote.
  Status WriteLocked(Node& node, uint64_t offset, const std::string_view* pieces, size_t count,
                     uint64_t* wrote);

  mutable std::mutex mu_;
  std::shared_ptr<Node> root_;
  uint64_t generation_ = 0;  // bumped by Crash(); older file objects stop working
  std::optional<uint64_t> space_left_;
  bool short_writes_ = true;
  int failing_syncs_ = 0;
  bool frozen_ = false;
  FaultFileSystemStats stats_;
};

}  // namespace tracewire::store
