// Test-only raw TCP peers for driving the HTTP client and server byte by byte.
// Everything binds or connects to 127.0.0.1; every wait has a timeout so tests cannot hang.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

namespace tracewire::net::testing {

// A blocking client socket.
class RawConnection {
 public:
  // Connects to 127.0.0.1:`port`; nullptr on failure.
  static std::unique_ptr<RawConnection> Connect(uint16_t port);
  explicit RawConnection(int fd) : fd_(fd) {}
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool Send(std::string_view bytes);
  // Reads until `needle` has arrived (returns everything read so far, which may go past it),
  // the peer closes, or `timeout` passes.
  std::string ReadUntil(std::string_view needle,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Reads until the peer closes or `timeout` passes; `*closed` tells which.
  std::string ReadUntilClose(bool* closed,
                             std::chrono::milliseconds timeout = std::chrono::seconds(5));
  int fd() const { return fd_; }

 private:
  int fd_;
  std::string buffered_;
};

// Reads from `fd` until a full "\r\n\r\n"-terminated header section plus Content-Length body
// has arrived; returns it, or "" when the peer closed or 5 s passed first.
std::string ReadOneRequest(int fd);
bool SendAll(int fd, std::string_view bytes);

// A scripted server: accepts on an ephemeral port and calls `script(fd, index)` on its own
// thread for each connection in turn (index counts from 0); the fd is closed afterwards.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::function<void(int fd, int index)> script);
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  uint16_t port() const { return port_; }
  int accepted() const { return accepted_.load(); }

 private:
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<int> accepted_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// A port nothing listens on (bound, then released).
uint16_t UnusedPort();

}  // namespace tracewire::net::testing
