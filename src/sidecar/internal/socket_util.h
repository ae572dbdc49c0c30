// Small pieces every connection class shares: the peer's address, and an ordered write queue.
#pragma once

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

// Reads what arrives onto the end of *buf (up to `chunk` more bytes) and then calls done(ec);
// *buf then holds what it held plus what this read got. `done` must keep *buf's owner alive.
template <typename Done>
void ReadAppend(asio::ip::tcp::socket& socket, std::string* buf, size_t chunk, Done done) {
  const size_t old = buf->size();
  buf->resize(old + chunk);
  socket.async_read_some(
      asio::buffer(buf->data() + old, chunk),
      [buf, old, done = std::move(done)](const asio::error_code& ec, size_t n) mutable {
        buf->resize(old + n);
        done(ec);
      });
}

// Bytes for one socket, written in order with one async_write at a time; what is appended
// during a write goes out with the next one. Loop-thread only.
class WriteQueue {
 public:
  void Append(std::string_view bytes) { queued_.append(bytes); }

  // Starts writing unless a write is running or nothing waits. `self` keeps the owner (and so
  // this queue and `socket`) alive; `on_error` runs on the owner when a write fails.
  template <typename Owner>
  void Flush(asio::ip::tcp::socket& socket, std::shared_ptr<Owner> self,
             void (Owner::*on_error)()) {
    if (active_ || queued_.empty()) return;
    writing_.swap(queued_);
    queued_.clear();
    active_ = true;
    asio::async_write(socket, asio::buffer(writing_),
                      [this, &socket, self, on_error](const asio::error_code& ec, size_t) {
                        active_ = false;
                        writing_.clear();
                        if (ec) return ((*self).*on_error)();
                        Flush(socket, self, on_error);
                      });
  }

 private:
  std::string queued_;
  std::string writing_;
  bool active_ = false;
};

}  // namespace tracewire::sidecar::internal
