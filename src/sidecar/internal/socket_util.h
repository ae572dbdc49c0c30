// Small pieces every connection class shares: the peer's address, reads that wait for
// readiness and land in one per-thread buffer, and an ordered write queue.
#pragma once

#include <algorithm>
#include <array>
#include <asio/error.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace tracewire::sidecar::internal {

// The connected peer of `socket` ("" and 0 when it has none).
inline void PeerOf(const asio::ip::tcp::socket& socket, std::string* address, uint16_t* port) {
  asio::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  if (ec) return;
  *address = peer.address().to_string();
  *port = peer.port();
}

// The loop thread's read buffer: every read lands here and only the bytes that arrived are
// appended to the connection's own buffer (no zero-filled tail per read). Only used between a
// readiness wake-up and the handler it runs, so the connections of one thread can share it.
inline std::array<char, 16384>& ReadScratch() {
  thread_local std::array<char, 16384> scratch;
  return scratch;
}

// One non-blocking read of up to `chunk` bytes appended to *buf. false when nothing was there
// (would block); true with *ec clear when bytes were appended, or with the error / EOF in *ec.
inline bool ReadNow(asio::ip::tcp::socket& socket, std::string* buf, size_t chunk,
                    asio::error_code* ec) {
  if (!socket.non_blocking()) {  // state kept by asio: no syscall once set
    socket.non_blocking(true, *ec);
    if (*ec) return true;
  }
  std::array<char, 16384>& scratch = ReadScratch();
  const size_t n =
      socket.read_some(asio::buffer(scratch.data(), std::min(chunk, scratch.size())), *ec);
  if (*ec == asio::error::would_block || *ec == asio::error::try_again) {
    ec->clear();
    return false;
  }
  if (!*ec) buf->append(scratch.data(), n);
  return true;
}

// Waits until the socket is readable, then appends what arrived (up to `chunk` bytes) to *buf
// and calls done(ec). Waiting first spares the failed recv (EAGAIN) that a speculative read
// costs when nothing has arrived yet, which is the usual case for requests and responses.
// `done` must keep the socket's and *buf's owner alive; the socket must stay the same one.
template <typename Done>
void ReadAppend(asio::ip::tcp::socket& socket, std::string* buf, size_t chunk, Done done) {
  socket.async_wait(asio::socket_base::wait_read, [&socket, buf, chunk, done = std::move(done)](
                                                      const asio::error_code& ec) mutable {
    if (ec) return done(ec);
    asio::error_code read_ec;
    if (ReadNow(socket, buf, chunk, &read_ec)) return done(read_ec);
    ReadAppend(socket, buf, chunk, std::move(done));  // woken for nothing
  });
}

// Bytes for one socket, written in order with one async_write at a time; what is appended
// during a write goes out with the next one. Loop-thread only.
class WriteQueue {
 public:
  void Append(std::string_view bytes) { queued_.append(bytes); }

  // Nothing written or waiting to be.
  bool idle() const { return !active_ && queued_.empty(); }

  // Starts writing unless a write is running or nothing waits. `self` keeps the owner (and so
  // this queue and `socket`) alive; `on_error` runs on the owner when a write fails, `on_idle`
  // (when given) once everything queued is written.
  template <typename Owner>
  void Flush(asio::ip::tcp::socket& socket, std::shared_ptr<Owner> self, void (Owner::*on_error)(),
             void (Owner::*on_idle)() = nullptr) {
    if (active_ || queued_.empty()) return;
    writing_.swap(queued_);
    queued_.clear();
    active_ = true;
    asio::async_write(socket, asio::buffer(writing_),
                      [this, &socket, self, on_error, on_idle](const asio::error_code& ec, size_t) {
                        active_ = false;
                        writing_.clear();
                        if (ec) return ((*self).*on_error)();
                        if (queued_.empty()) {
                          if (on_idle != nullptr) ((*self).*on_idle)();
                          return;
                        }
                        Flush(socket, self, on_error, on_idle);
                      });
  }

 private:
  std::string queued_;
  std::string writing_;
  bool active_ = false;
};

}  // namespace tracewire::sidecar::internal
