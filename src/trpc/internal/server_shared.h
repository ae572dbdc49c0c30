// Internal to the server: the state every loop and connection of one Server shares. Immutable
// after Start except the atomics; held by std::shared_ptr so late replies (after Shutdown) can
// still run the filters safely.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "trpc/server.h"

namespace tracewire::trpc::internal {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
// Looked up by string_view (the decoded func) without building a string.
using HandlerMap = std::unordered_map<std::string, Handler, StringHash, std::equal_to<>>;

struct ServerShared {
  ServerOptions options;
  HandlerMap handlers;

  std::atomic<bool> draining{false};  // Shutdown began: new requests get 22
  std::atomic<uint64_t> accepted{0};
  std::atomic<uint64_t> decode_errors{0};
  std::atomic<uint64_t> timeouts{0};

  // Open connections; Shutdown waits on `closed` for it to reach 0.
  std::mutex mu;
  std::condition_variable closed;
  size_t open_connections = 0;  // guarded by mu
};

}  // namespace tracewire::trpc::internal
