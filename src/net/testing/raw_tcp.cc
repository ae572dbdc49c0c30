#include "net/testing/raw_tcp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <utility>

namespace tracewire::net::testing {
namespace {

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// One recv with a timeout: >0 bytes, 0 on close, -1 on timeout or error.
ssize_t RecvSome(int fd, char* buf, size_t n, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return -1;
  return ::recv(fd, buf, n, 0);
}

}  // namespace

std::unique_ptr<RawConnection> RawConnection::Connect(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return nullptr;
  sockaddr_in addr = Loopback(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return nullptr;
  }
  return std::make_unique<RawConnection>(fd);
}

RawConnection::~RawConnection() { ::close(fd_); }

bool RawConnection::Send(std::string_view bytes) { return SendAll(fd_, bytes); }

std::string RawConnection::ReadUntil(std::string_view needle, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  while (buffered_.find(needle) == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    ssize_t n = RecvSome(fd_, buf, sizeof(buf), left);
    if (n <= 0) break;
    buffered_.append(buf, static_cast<size_t>(n));
  }
  return std::exchange(buffered_, std::string());
}

std::string RawConnection::ReadUntilClose(bool* closed, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  *closed = false;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    ssize_t n = RecvSome(fd_, buf, sizeof(buf), left);
    if (n == 0 || (n < 0 && errno == ECONNRESET)) {
      *closed = true;
      break;
    }
    if (n < 0) break;
    buffered_.append(buf, static_cast<size_t>(n));
  }
  return std::exchange(buffered_, std::string());
}

bool SendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string ReadOneRequest(int fd) {
  std::string in;
  char buf[4096];
  while (true) {
    size_t end = in.find("\r\n\r\n");
    if (end != std::string::npos) {
      size_t length = 0;
      size_t cl = in.find("Content-Length: ");
      if (cl != std::string::npos && cl < end)
        length = std::strtoul(in.c_str() + cl + 16, nullptr, 10);
      if (in.size() >= end + 4 + length) return in;
    }
    ssize_t n = RecvSome(fd, buf, sizeof(buf), std::chrono::seconds(5));
    if (n <= 0) return "";
    in.append(buf, static_cast<size_t>(n));
  }
}

ScriptedServer::ScriptedServer(std::function<void(int fd, int index)> script) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr = Loopback(0);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(listen_fd_, 16) != 0) {
    std::abort();  // loopback port 0 always binds; anything else is a broken test host
  }
  socklen_t len = sizeof(addr);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this, script = std::move(script)] {
    while (!stop_.load()) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      int index = accepted_.fetch_add(1);
      script(fd, index);
      ::close(fd);
    }
  });
}

ScriptedServer::~ScriptedServer() {
  stop_.store(true);
  thread_.join();
  ::close(listen_fd_);
}

uint16_t UnusedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr = Loopback(0);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) std::abort();
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace tracewire::net::testing
