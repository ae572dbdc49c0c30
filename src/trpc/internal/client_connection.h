// Internal to the client: one pooled connection. Opens lazily (resolve, connect with a
// timeout), multiplexes calls by request id, times them out from a deadline heap, and on any
// connection failure fails every call it holds and goes back to idle (the next call reconnects).
// Thread-safety: every method runs on the connection's IoLoop thread; AsyncCall posts there.
#pragma once

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "trpc/internal/client_call_impl.h"
#include "trpc/internal/input_buffer.h"

namespace tracewire::trpc::internal {

class ClientConnection : public std::enable_shared_from_this<ClientConnection> {
 public:
  using Clock = std::chrono::steady_clock;

  ClientConnection(asio::io_context& io, ClientShared& shared);
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;

  asio::io_context& io() { return io_; }
  // Encodes and queues the call; connects first when idle.
  void Submit(std::shared_ptr<ClientCallImpl> call);
  // The client is going away: fail everything with 141 and accept nothing more.
  void Shutdown();

 private:
  enum class State { kIdle, kConnecting, kConnected };
  struct Deadline {
    Clock::time_point at;
    uint32_t request_id;
  };
  static bool Later(const Deadline& a, const Deadline& b) { return a.at > b.at; }

  void Connect();
  void OnConnected();
  // Closes the socket and fails every pending and queued call with `ret`.
  void Fail(int32_t ret, const std::string& message);
  void Read();
  void OnRead(uint64_t generation, const asio::error_code& ec, size_t n);
  // Returns false when the stream is broken (the connection has failed).
  bool ProcessInput();
  void Flush();
  void OnWrite(uint64_t generation, const asio::error_code& ec);
  void TrackDeadline(const ClientCallImpl& call);
  void ArmDeadlineTimer();
  void OnDeadlineTimer();

  asio::io_context& io_;
  ClientShared& shared_;
  State state_ = State::kIdle;
  uint64_t generation_ = 0;  // bumped per connection attempt; stale handlers compare it
  bool shut_down_ = false;
  asio::ip::tcp::resolver resolver_;
  std::unique_ptr<asio::ip::tcp::socket> socket_;  // null while idle
  asio::steady_timer connect_timer_;
  std::string peer_address_;
  uint16_t peer_port_ = 0;

  std::unordered_map<uint32_t, std::shared_ptr<ClientCallImpl>> pending_;  // awaiting a response
  std::vector<std::shared_ptr<ClientCallImpl>> oneway_queued_;             // oneway calls in out_
  std::vector<std::shared_ptr<ClientCallImpl>> oneway_writing_;            // oneway calls in wbuf_
  std::string out_;   // encoded requests waiting for the next write
  std::string wbuf_;  // the write in flight
  bool writing_ = false;
  bool reading_ = false;
  InputBuffer in_;
  size_t want_ = 0;

  std::vector<Deadline> deadlines_;  // min-heap by `at`; entries of finished calls go stale
  asio::steady_timer deadline_timer_;
  Clock::time_point deadline_armed_ = Clock::time_point::max();
};

}  // namespace tracewire::trpc::internal
