// The fault-injection half of FaultFileSystem: space limit, failing syncs, freeze, crash,
// corruption, durable files.
#include "store/io/fault_file_system.h"
#include "store/io/fault_file_system_node.h"

namespace tracewire::store {
namespace {

using Node = FaultFileSystem::Node;

void RestoreAfterCrash(Node& node) {
  if (!node.is_dir) {
    node.data = node.synced;
    node.synced_is_prefix = true;
    return;
  }
  node.children = node.synced_children;
  for (auto& [name, child] : node.children) RestoreAfterCrash(*child);
}

}  // namespace

void FaultFileSystem::SetSpaceLeft(uint64_t bytes, bool short_writes) {
  std::lock_guard lock(mu_);
  space_left_ = bytes;
  short_writes_ = short_writes;
}

void FaultFileSystem::ClearSpaceLimit() {
  std::lock_guard lock(mu_);
  space_left_.reset();
}

void FaultFileSystem::FailNextSyncs(int count) {
  std::lock_guard lock(mu_);
  failing_syncs_ = count;
}

void FaultFileSystem::Freeze() {
  std::lock_guard lock(mu_);
  frozen_ = true;
}

void FaultFileSystem::Thaw() {
  std::lock_guard lock(mu_);
  frozen_ = false;
}

void FaultFileSystem::Crash() {
  std::lock_guard lock(mu_);
  RestoreAfterCrash(*root_);
  ++generation_;
  ++stats_.crashes;
}

Status FaultFileSystem::CorruptByte(const std::string& path, uint64_t offset, uint8_t mask) {
  std::lock_guard lock(mu_);
  std::shared_ptr<Node> found;
  TW_RETURN_IF_ERROR(LookupLocked(path, &found));
  Node& node = *found;
  if (node.is_dir) return InternalError("corrupt: is a directory " + path);
  if (offset >= node.data.size()) return OutOfRangeError("corrupt: offset past the end " + path);
  node.data[offset] = static_cast<char>(node.data[offset] ^ mask);
  if (offset < node.synced.size())
    node.synced[offset] = static_cast<char>(node.synced[offset] ^ mask);
  return OkStatus();
}

Status FaultFileSystem::SetFileContents(const std::string& path, std::string_view data) {
  std::lock_guard lock(mu_);
  const size_t slash = path.find_last_of('/');
  if (slash != std::string::npos) TW_RETURN_IF_ERROR(CreateDirsLocked(path.substr(0, slash)));
  std::shared_ptr<Node> dir;
  std::string name;
  TW_RETURN_IF_ERROR(ParentLocked(path, &dir, &name));
  auto node = std::make_shared<Node>(false);
  node->data.assign(data);
  node->synced.assign(data);
  dir->children[name] = node;
  dir->synced_children[name] = node;
  return OkStatus();
}

FaultFileSystemStats FaultFileSystem::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace tracewire::store
