// FaultFileSystem::Node, shared by fault_file_system.cc (the FileSystem calls) and
// fault_file_system_faults.cc (the injected faults). Internal to FaultFileSystem.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "store/io/fault_file_system.h"

namespace tracewire::store {

struct FaultFileSystem::Node {
  explicit Node(bool dir) : is_dir(dir) {}
  bool is_dir;
  // File: the current bytes and the bytes as of the last Sync. While synced_is_prefix, synced
  // equals the first synced.size() bytes of data, so a Sync only appends the new tail.
  std::string data;
  std::string synced;
  bool synced_is_prefix = true;
  // Directory: the current entries and the entries as of the last SyncDir.
  std::map<std::string, std::shared_ptr<Node>> children;
  std::map<std::string, std::shared_ptr<Node>> synced_children;
};

}  // namespace tracewire::store
