// FileSystem::Default(): POSIX calls, errno mapped by ErrnoToStatus (store/io/posix_error.h).
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <vector>

#include "store/io/file_system.h"
#include "store/io/posix_error.h"

namespace tracewire::store {
namespace {

// At most this many iovecs per pwritev (POSIX guarantees IOV_MAX ≥ 16; Linux has 1024).
constexpr size_t kMaxIov = std::min<size_t>(IOV_MAX, 1024);

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd, uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }
  PosixWritableFile(const PosixWritableFile&) = delete;
  PosixWritableFile& operator=(const PosixWritableFile&) = delete;

  Status Append(std::string_view data) override { return AppendV(&data, 1); }

  // Writes at size_ with pwritev, resuming after short writes. After an error, size() counts
  // the bytes that did reach the file.
  Status AppendV(const std::string_view* pieces, size_t count) override {
    if (fd_ < 0) return FailedPreconditionError("write to closed file " + path_);
    iovec iov[kMaxIov];
    size_t next = 0;  // first piece not yet (fully) queued into iov
    size_t skip = 0;  // bytes of pieces[next] already written
    while (next < count) {
      size_t n = 0;
      size_t bytes = 0;
      for (size_t i = next; i < count && n < kMaxIov; ++i) {
        const size_t off = i == next ? skip : 0;
        if (pieces[i].size() == off) continue;
        iov[n].iov_base = const_cast<char*>(pieces[i].data() + off);
        iov[n].iov_len = pieces[i].size() - off;
        bytes += iov[n].iov_len;
        ++n;
      }
      if (n == 0) break;
      const ssize_t w = ::pwritev(fd_, iov, static_cast<int>(n), static_cast<off_t>(size_));
      if (w < 0) {
        if (errno == EINTR) continue;
        return ErrnoToStatus(errno, "write", path_);
      }
      if (w == 0 && bytes > 0) return ErrnoToStatus(ENOSPC, "write", path_);
      size_ += static_cast<uint64_t>(w);
      // Advance (next, skip) past the w bytes written.
      auto left = static_cast<size_t>(w);
      while (next < count) {
        const size_t rest = pieces[next].size() - skip;
        if (left < rest) {
          skip += left;
          break;
        }
        left -= rest;
        ++next;
        skip = 0;
      }
    }
    return OkStatus();
  }

  Status Sync() override {
    if (fd_ < 0) return FailedPreconditionError("sync of closed file " + path_);
    while (::fdatasync(fd_) != 0) {
      if (errno != EINTR) return ErrnoToStatus(errno, "fdatasync", path_);
    }
    return OkStatus();
  }

  Status Close() override {
    if (fd_ < 0) return OkStatus();
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0 && errno != EINTR) return ErrnoToStatus(errno, "close", path_);
    return OkStatus();
  }

  uint64_t size() const override { return size_; }

 private:
  std::string path_;
  int fd_;
  uint64_t size_;
};

// Reads up to n bytes at offset (fewer only at the end of the file); *got says how many.
Status PreadFull(int fd, const std::string& path, uint64_t offset, size_t n, char* scratch,
                 size_t* got) {
  *got = 0;
  while (*got < n) {
    const ssize_t r = ::pread(fd, scratch + *got, n - *got, static_cast<off_t>(offset + *got));
    if (r < 0) {
      if (errno == EINTR) continue;
      return ErrnoToStatus(errno, "read", path);
    }
    if (r == 0) break;  // end of file
    *got += static_cast<size_t>(r);
  }
  return OkStatus();
}

class PosixRandomAccessFile final : public RandomAccessFile {
 public:
  PosixRandomAccessFile(std::string path, int fd, uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {}
  ~PosixRandomAccessFile() override { ::close(fd_); }
  PosixRandomAccessFile(const PosixRandomAccessFile&) = delete;
  PosixRandomAccessFile& operator=(const PosixRandomAccessFile&) = delete;

  StatusOr<std::string_view> Read(uint64_t offset, size_t n, char* scratch) const override {
    size_t got = 0;
    TW_RETURN_IF_ERROR(PreadFull(fd_, path_, offset, n, scratch, &got));
    return std::string_view(scratch, got);
  }

  uint64_t size() const override { return size_; }

 private:
  std::string path_;
  int fd_;
  uint64_t size_;
};

Status SizeOfFd(int fd, const std::string& path, uint64_t* size) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return ErrnoToStatus(errno, "fstat", path);
  *size = static_cast<uint64_t>(st.st_size);
  return OkStatus();
}

// The sorted names in a directory, without "." and "..".
Status ListNames(const std::string& path, std::vector<std::string>* names) {
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) return ErrnoToStatus(errno, "opendir", path);
  errno = 0;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") names->emplace_back(name);
  }
  const int err = errno;
  ::closedir(dir);
  if (err != 0) return ErrnoToStatus(err, "readdir", path);
  std::sort(names->begin(), names->end());
  return OkStatus();
}

class PosixFileSystem final : public FileSystem {
 public:
  StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path,
                                                          bool truncate) override {
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (truncate ? O_TRUNC : 0);
    const int fd = ::open(path.c_str(), flags, 0644);
    if (fd < 0) return ErrnoToStatus(errno, "open", path);
    uint64_t size = 0;
    Status sized = SizeOfFd(fd, path, &size);
    if (!sized.ok()) {
      ::close(fd);
      return sized;
    }
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd, size));
  }

  StatusOr<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(
      const std::string& path) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoToStatus(errno, "open", path);
    uint64_t size = 0;
    Status sized = SizeOfFd(fd, path, &size);
    if (!sized.ok()) {
      ::close(fd);
      return sized;
    }
    return std::unique_ptr<RandomAccessFile>(new PosixRandomAccessFile(path, fd, size));
  }

  StatusOr<std::string> ReadFile(const std::string& path, uint64_t max_bytes) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoToStatus(errno, "open", path);
    uint64_t size = 0;
    Status sized = SizeOfFd(fd, path, &size);
    if (!sized.ok()) {
      ::close(fd);
      return sized;
    }
    if (size > max_bytes) {
      ::close(fd);
      return OutOfRangeError("file " + path + " has " + std::to_string(size) +
                             " bytes, over the limit of " + std::to_string(max_bytes));
    }
    std::string out(size, '\0');
    size_t got = 0;
    Status read = PreadFull(fd, path, 0, out.size(), out.data(), &got);
    ::close(fd);
    TW_RETURN_IF_ERROR(read);
    out.resize(got);
    return out;
  }

  Status CreateDirs(const std::string& path) override {
    if (path.empty()) return InvalidArgumentError("CreateDirs of an empty path");
    for (size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
      const std::string prefix = path.substr(0, end);
      if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
        return ErrnoToStatus(errno, "mkdir", prefix);
      }
      if (end == std::string::npos) break;
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return ErrnoToStatus(errno, "stat", path);
    if (!S_ISDIR(st.st_mode)) return ErrnoToStatus(ENOTDIR, "mkdir", path);
    return OkStatus();
  }

  StatusOr<std::vector<std::string>> ListDir(const std::string& path) override {
    std::vector<std::string> names;
    TW_RETURN_IF_ERROR(ListNames(path, &names));
    return names;
  }

  bool Exists(const std::string& path) override {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
  }

  StatusOr<uint64_t> FileSize(const std::string& path) override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return ErrnoToStatus(errno, "stat", path);
    return static_cast<uint64_t>(st.st_size);
  }

  Status Truncate(const std::string& path, uint64_t size) override {
    if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0) {
      return ErrnoToStatus(errno, "truncate", path);
    }
    return OkStatus();
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return ErrnoToStatus(errno, "rename", from);
    return OkStatus();
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return ErrnoToStatus(errno, "unlink", path);
    return OkStatus();
  }

  Status RemoveDirRecursive(const std::string& path) override {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return ErrnoToStatus(errno, "lstat", path);
    if (!S_ISDIR(st.st_mode)) return RemoveFile(path);
    std::vector<std::string> names;
    TW_RETURN_IF_ERROR(ListNames(path, &names));
    for (const std::string& name : names) {
      std::string child = path;
      child.append("/").append(name);
      TW_RETURN_IF_ERROR(RemoveDirRecursive(child));
    }
    if (::rmdir(path.c_str()) != 0) return ErrnoToStatus(errno, "rmdir", path);
    return OkStatus();
  }

  Status SyncDir(const std::string& path) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return ErrnoToStatus(errno, "open", path);
    int err = 0;
    while (::fsync(fd) != 0) {
      if (errno != EINTR) {
        err = errno;
        break;
      }
    }
    ::close(fd);
    if (err != 0) return ErrnoToStatus(err, "fsync", path);
    return OkStatus();
  }
};

}  // namespace

FileSystem* FileSystem::Default() {
  static PosixFileSystem* const fs = new PosixFileSystem();  // never destroyed
  return fs;
}

}  // namespace tracewire::store
