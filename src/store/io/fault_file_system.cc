#include "store/io/fault_file_system.h"

#include <algorithm>
#include <map>
#include <utility>

#include "store/io/fault_file_system_node.h"

namespace tracewire::store {

namespace {

using Node = FaultFileSystem::Node;

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(start, end - start);
    if (!part.empty() && part != ".") parts.emplace_back(part);
    start = end + 1;
  }
  return parts;
}

Status Unavailable(std::string_view what, const std::string& path) {
  return UnavailableError(std::string(what) + " " + path);
}

Status FrozenError() { return UnavailableError("file system frozen (the process is dead)"); }

void MakeDurable(Node& node) {
  if (node.synced_is_prefix && node.synced.size() <= node.data.size()) {
    node.synced.append(node.data, node.synced.size());
  } else {
    node.synced = node.data;
  }
  node.synced_is_prefix = true;
}

}  // namespace

// A writable file: appends at its own offset (like pwrite at size()).
class FaultFileSystem::File final : public WritableFile {
 public:
  File(FaultFileSystem* fs, std::shared_ptr<Node> node, std::string path, uint64_t generation)
      : fs_(fs),
        node_(std::move(node)),
        path_(std::move(path)),
        generation_(generation),
        size_(node_->data.size()) {}

  Status Append(std::string_view data) override { return AppendV(&data, 1); }
  Status AppendV(const std::string_view* pieces, size_t count) override {
    std::lock_guard lock(fs_->mu_);
    TW_RETURN_IF_ERROR(CheckLocked("write"));
    uint64_t wrote = 0;
    Status s = fs_->WriteLocked(*node_, size_, pieces, count, &wrote);
    size_ += wrote;
    return s;
  }
  Status Sync() override {
    std::lock_guard lock(fs_->mu_);
    TW_RETURN_IF_ERROR(CheckLocked("sync"));
    if (fs_->failing_syncs_ > 0) {
      --fs_->failing_syncs_;
      ++fs_->stats_.failed_syncs;
      return Unavailable("fdatasync (injected I/O error)", path_);
    }
    MakeDurable(*node_);
    ++fs_->stats_.syncs;
    return OkStatus();
  }
  Status Close() override {
    closed_ = true;
    return OkStatus();
  }
  uint64_t size() const override { return size_; }

 private:
  Status CheckLocked(std::string_view what) const {
    if (closed_) return FailedPreconditionError(std::string(what) + " of closed file " + path_);
    if (fs_->frozen_) return FrozenError();
    if (generation_ != fs_->generation_) return Unavailable(what, path_ + " (crashed)");
    return OkStatus();
  }

  FaultFileSystem* fs_;
  std::shared_ptr<Node> node_;
  std::string path_;
  uint64_t generation_;
  uint64_t size_;
  bool closed_ = false;
};

class FaultFileSystem::ReadFileImpl final : public RandomAccessFile {
 public:
  ReadFileImpl(FaultFileSystem* fs, std::shared_ptr<Node> node, std::string path,
               uint64_t generation)
      : fs_(fs),
        node_(std::move(node)),
        path_(std::move(path)),
        generation_(generation),
        size_(node_->data.size()) {}

  StatusOr<std::string_view> Read(uint64_t offset, size_t n, char* scratch) const override {
    std::lock_guard lock(fs_->mu_);
    if (fs_->frozen_) return FrozenError();
    if (generation_ != fs_->generation_) return Unavailable("read", path_ + " (crashed)");
    const std::string& data = node_->data;
    if (offset >= data.size()) return std::string_view(scratch, size_t{0});
    const size_t got = std::min<uint64_t>(n, data.size() - offset);
    std::copy_n(data.data() + offset, got, scratch);
    return std::string_view(scratch, got);
  }
  uint64_t size() const override { return size_; }

 private:
  FaultFileSystem* fs_;
  std::shared_ptr<Node> node_;
  std::string path_;
  uint64_t generation_;
  uint64_t size_;  // at open, like fstat
};

FaultFileSystem::FaultFileSystem() : root_(std::make_shared<Node>(true)) {}
FaultFileSystem::~FaultFileSystem() = default;

Status FaultFileSystem::LookupLocked(const std::string& path, std::shared_ptr<Node>* out) const {
  std::shared_ptr<Node> node = root_;
  for (const std::string& part : SplitPath(path)) {
    if (!node->is_dir) return InternalError("not a directory on the way to " + path);
    auto it = node->children.find(part);
    if (it == node->children.end()) return NotFoundError("no such file or directory " + path);
    node = it->second;
  }
  *out = std::move(node);
  return OkStatus();
}

Status FaultFileSystem::ParentLocked(const std::string& path, std::shared_ptr<Node>* dir,
                                     std::string* name) {
  std::vector<std::string> parts = SplitPath(path);
  if (parts.empty()) return InvalidArgumentError("path names the root: '" + path + "'");
  *name = std::move(parts.back());
  parts.pop_back();
  std::shared_ptr<Node> node = root_;
  for (const std::string& part : parts) {
    auto it = node->children.find(part);
    if (it == node->children.end()) return NotFoundError("no such directory for " + path);
    node = it->second;
    if (!node->is_dir) return InternalError("not a directory on the way to " + path);
  }
  *dir = std::move(node);
  return OkStatus();
}

Status FaultFileSystem::WriteLocked(Node& node, uint64_t offset, const std::string_view* pieces,
                                    size_t count, uint64_t* wrote) {
  uint64_t total = 0;
  for (size_t i = 0; i < count; ++i) total += pieces[i].size();
  uint64_t allowed = total;
  if (space_left_ && total > *space_left_) allowed = short_writes_ ? *space_left_ : 0;
  if (node.data.size() < offset) node.data.resize(offset, '\0');
  if (offset < node.synced.size()) node.synced_is_prefix = false;
  uint64_t left = allowed;
  uint64_t at = offset;
  for (size_t i = 0; i < count && left > 0; ++i) {
    const size_t n = std::min<uint64_t>(left, pieces[i].size());
    const size_t overlap = std::min<uint64_t>(n, node.data.size() - at);
    node.data.replace(at, overlap, pieces[i].data(), n);
    at += n;
    left -= n;
  }
  *wrote = allowed;
  stats_.bytes_written += allowed;
  if (space_left_) *space_left_ -= allowed;
  if (allowed < total) {
    ++stats_.failed_writes;
    return UnavailableError("write: no space left on device (injected)");
  }
  return OkStatus();
}

StatusOr<std::unique_ptr<WritableFile>> FaultFileSystem::NewWritableFile(const std::string& path,
                                                                         bool truncate) {
  std::lock_guard lock(mu_);
  if (frozen_) return FrozenError();
  std::shared_ptr<Node> dir;
  std::string name;
  TW_RETURN_IF_ERROR(ParentLocked(path, &dir, &name));
  std::shared_ptr<Node>& slot = dir->children[name];
  if (slot == nullptr) slot = std::make_shared<Node>(false);
  if (slot->is_dir) return InternalError("open: is a directory " + path);
  if (truncate) {
    slot->data.clear();
    if (!slot->synced.empty()) slot->synced_is_prefix = false;
  }
  return std::unique_ptr<WritableFile>(new File(this, slot, path, generation_));
}

StatusOr<std::unique_ptr<RandomAccessFile>> FaultFileSystem::NewRandomAccessFile(
    const std::string& path) {
  std::lock_guard lock(mu_);
  if (frozen_) return FrozenError();
  std::shared_ptr<Node> node;
  TW_RETURN_IF_ERROR(LookupLocked(path, &node));
  if (node->is_dir) return InternalError("open: is a directory " + path);
  return std::unique_ptr<RandomAccessFile>(new ReadFileImpl(this, node, path, generation_));
}

StatusOr<std::string> FaultFileSystem::ReadFile(const std::string& path, uint64_t max_bytes) {
  std::lock_guard lock(mu_);
  if (frozen_) return FrozenError();
  std::shared_ptr<Node> node;
  TW_RETURN_IF_ERROR(LookupLocked(path, &node));
  if (node->is_dir) return InternalError("read: is a directory " + path);
  if (node->data.size() > max_bytes) {
    return OutOfRangeError("file " + path + " is over the limit of " + std::to_string(max_bytes) +
                           " bytes");
  }
  return node->data;
}

Status FaultFileSystem::CreateDirsLocked(const std::string& path) {
  std::shared_ptr<Node> node = root_;
  for (const std::string& part : SplitPath(path)) {
    std::shared_ptr<Node>& slot = node->children[part];
    if (slot == nullptr) {
      slot = std::make_shared<Node>(true);
      node->synced_children[part] = slot;  // mkdir -p counts as durable (see the header)
    }
    if (!slot->is_dir) return InternalError("mkdir: not a directory " + path);
    node = slot;
  }
  return OkStatus();
}

Status FaultFileSystem::CreateDirs(const std::string& path) {
  std::lock_guard lock(mu_);
  if (frozen_) return FrozenError();
  return CreateDirsLocked(path);
}

StatusOr<std::vector<std::string>> FaultFileSystem::ListDir(const std::string& path) {
  std::lock_guard lock(mu_);
  if (frozen_) return FrozenError();
  std::shared_ptr<Node> node;
  TW_RETURN_IF_ERROR(LookupLocked(path, &node));
  if (!node->is_dir) return InternalError("opendir: not a directory " + path);
  std::vector<std::string> names;
  names.reserve(node->children.size());
  for (const auto& [name, child] : node->children) names.push_back(name);
  return names;
}

bool FaultFileSystem::Exists(const std::string& path) {
  std::lock_guard lock(mu_);
  if (frozen_) return false;
  std::shared_ptr<Node> node;
  return LookupLocked(path, &node).ok();
}

StatusOr<uint64_t> FaultFileSystem::FileSize(const std::string& path) {
  std::lock_guard lock(mu_);
  if (frozen_) return FrozenError();
  std::shared_ptr<Node> node;
  TW_RETURN_IF_ERROR(LookupLocked(path, &node));
  return static_cast<uint64_t>(node->data.size());
}

Status FaultFileSystem::Truncate(const std::string& path, uint64_t size) {
  std::lock_guard lock(mu_);
  if (frozen_) return FrozenError();
  std::shared_ptr<Node> found;
  TW_RETURN_IF_ERROR(LookupLocked(path, &found));
  Node& node = *found;
  if (node.is_dir) return InternalError("truncate: is a directory " + path);
  node.data.resize(size, '\0');
  if (size < node.synced.size()) node.synced_is_prefix = false;
  return OkStatus();
}

Status FaultFileSystem::Rename(const std::string& from, const std::string& to) {
  std::lock_guard lock(mu_);
  if (frozen_) return FrozenError();
  std::shared_ptr<Node> from_dir;
  std::shared_ptr<Node> to_dir;
  std::string from_name;
  std::string to_name;
  TW_RETURN_IF_ERROR(ParentLocked(from, &from_dir, &from_name));
  TW_RETURN_IF_ERROR(ParentLocked(to, &to_dir, &to_name));
  auto it = from_dir->children.find(from_name);
  if (it == from_dir->children.end()) return NotFoundError("rename: no such entry " + from);
  std::shared_ptr<Node> node = it->second;
  if (node->is_dir) {  // not into itself: no ancestor of `to` may be the moved directory
    std::shared_ptr<Node> walk = root_;
    for (const std::string& part : SplitPath(to)) {
      if (walk == node) return InvalidArgumentError("rename of " + from + " into itself");
      auto next = walk->children.find(part);
      if (next == walk->children.end()) break;
      walk = next->second;
    }
  }
  auto target = to_dir->children.find(to_name);
  if (target != to_dir->children.end()) {
    if (target->second == node) return OkStatus();
    if (target->second->is_dir != node->is_dir) {
      return InternalError("rename " + from + " over " + to + ": file and directory");
    }
    if (node->is_dir && !target->second->children.empty()) {
      return InternalError("rename over a non-empty directory " + to);
    }
  }
  from_dir->children.erase(it);
  to_dir->children[to_name] = std::move(node);
  return OkStatus();
}

Status FaultFileSystem::RemoveFile(const std::string& path) {
  std::lock_guard lock(mu_);
  if (frozen_) return FrozenError();
  std::shared_ptr<Node> dir;
  std::string name;
  TW_RETURN_IF_ERROR(ParentLocked(path, &dir, &name));
  auto it = dir->children.find(name);
  if (it == dir->children.end()) return NotFoundError("unlink: no such file " + path);
  if (it->second->is_dir) return InternalError("unlink: is a directory " + path);
  dir->children.erase(it);
  return OkStatus();
}

Status FaultFileSystem::RemoveDirRecursive(const std::string& path) {
  std::lock_guard lock(mu_);
  if (frozen_) return FrozenError();
  std::shared_ptr<Node> dir;
  std::string name;
  TW_RETURN_IF_ERROR(ParentLocked(path, &dir, &name));
  if (dir->children.erase(name) == 0) return NotFoundError("remove: no such entry " + path);
  return OkStatus();
}

Status FaultFileSystem::SyncDir(const std::string& path) {
  std::lock_guard lock(mu_);
  if (frozen_) return FrozenError();
  std::shared_ptr<Node> node;
  TW_RETURN_IF_ERROR(LookupLocked(path, &node));
  if (!node->is_dir) return InternalError("fsync dir: not a directory " + path);
  if (failing_syncs_ > 0) {
    --failing_syncs_;
    ++stats_.failed_syncs;
    return Unavailable("fsync (injected I/O error)", path);
  }
  node->synced_children = node->children;
  ++stats_.dir_syncs;
  return OkStatus();
}

}  // namespace tracewire::store
