// Internal to http_server.cc: one accepted connection, the state its server shares with it, and
// the pieces behind HttpResponder.
#pragma once

#include <array>
#include <asio.hpp>
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "net/http_parser.h"
#include "net/http_server.h"

namespace tracewire::net::internal {

class HttpConnection;

// Whether the server's io_context may still take posted work. Responders check it under `mu`
// before posting; Stop() clears it under `mu` after joining the threads.
struct ServerLiveness {
  std::mutex mu;
  bool alive = true;  // guarded by mu
};

// Owned by the server; outlives every connection (the server joins its threads first).
struct HttpServerShared {
  HttpServerOptions options;
  HttpAsyncHandler handler;
  std::shared_ptr<ServerLiveness> liveness = std::make_shared<ServerLiveness>();
  std::atomic<uint64_t> accepted{0};
  std::atomic<uint64_t> rejected{0};

  std::mutex mu;
  bool stopping = false;                                  // guarded by mu
  std::set<std::shared_ptr<HttpConnection>> connections;  // guarded by mu
};

// One response to write, in request order. Touched only on the connection's strand.
struct ResponseSlot {
  // Fixed when the request is dispatched.
  bool head_request = false;
  bool keep_alive = true;
  int minor_version = 1;
  // Set once the answer is in.
  bool ready = false;
  bool close_after = false;  // close the connection once this is written
  bool drain_after = false;  // ... after draining what the client still sends
  std::string bytes;         // the serialized response
};

// Shared by the copies of one HttpResponder.
struct ResponderState {
  ResponderState(std::shared_ptr<ResponseSlot> slot, std::weak_ptr<HttpConnection> connection,
                 std::shared_ptr<ServerLiveness> liveness)
      : slot(std::move(slot)), connection(std::move(connection)), liveness(std::move(liveness)) {}
  ResponderState(const ResponderState&) = delete;
  ResponderState& operator=(const ResponderState&) = delete;
  ~ResponderState();  // answers 500 when nobody answered

  void Deliver(HttpResponse response);

  std::shared_ptr<ResponseSlot> slot;
  std::weak_ptr<HttpConnection> connection;
  std::shared_ptr<ServerLiveness> liveness;
  std::atomic<bool> answered{false};
};

// Serves one TCP connection. Every member runs on the connection's strand.
class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(asio::ip::tcp::socket socket, HttpServerShared& shared);
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  void Start();
  // The connection's strand: post OnServerStop() and OnResponse() here.
  asio::any_io_executor executor() { return socket_.get_executor(); }
  // Server stop: close once nothing is pending or being written (or after stop_grace).
  void OnServerStop();
  // The answer for `slot`. `inline_answer`: called from inside the handler (already on the
  // strand, in the middle of Process): only record it.
  void OnResponse(ResponseSlot& slot, HttpResponse response, bool inline_answer);

  // The slot whose handler is running on this thread, if any (inline answers).
  static thread_local const ResponseSlot* dispatching;

 private:
  void Read();
  void OnRead(const asio::error_code& ec, size_t n);
  // Parses and dispatches the requests in `data` (keeping what the in-flight limit holds
  // back), then writes or reads on.
  void Process(std::string_view data);
  void Dispatch();
  void AnswerParseError();
  void Complete(ResponseSlot& slot, HttpResponse response);
  // Writes the answered prefix of the queue, reads more, or closes, as the state allows.
  void Pump();
  void Write();
  void OnWrite(const asio::error_code& ec);
  // After an error response: stop sending, discard what the client still sends for a moment
  // (so our response is not lost to a TCP reset), then close.
  void Drain();
  bool ServerStopping();
  void ArmTimer(std::chrono::milliseconds after);
  void Close();

  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;       // idle, then drain
  asio::steady_timer stop_timer_;  // stop grace
  HttpServerShared& shared_;
  HttpRequestParser parser_;
  std::array<char, size_t{16} * 1024> in_{};
  std::string backlog_;  // received, not parsed yet (held back by max_pipelined_requests)
  std::deque<std::shared_ptr<ResponseSlot>> queue_;
  std::string out_;
  size_t in_flight_ = 0;  // dispatched, not answered
  uint64_t timer_generation_ = 0;
  size_t drained_ = 0;
  bool continue_sent_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool no_more_requests_ = false;  // close, error, HTTP/1.0 end, peer EOF or stop
  bool peer_closed_ = false;
  bool stopping_ = false;
  bool close_after_write_ = false;
  bool drain_after_write_ = false;
  bool draining_ = false;
  bool closed_ = false;
};

}  // namespace tracewire::net::internal
