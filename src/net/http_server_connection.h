// Internal to http_server.cc: one accepted connection and the state its server shares with it.
#pragma once

#include <array>
#include <asio.hpp>
#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "net/http_parser.h"
#include "net/http_server.h"

namespace tracewire::net::internal {

class HttpConnection;

// Owned by the server; outlives every connection (the server joins its threads first).
struct HttpServerShared {
  HttpServerOptions options;
  HttpHandler handler;
  std::atomic<uint64_t> accepted{0};
  std::atomic<uint64_t> rejected{0};

  std::mutex mu;
  bool stopping = false;                                  // guarded by mu
  std::set<std::shared_ptr<HttpConnection>> connections;  // guarded by mu
};

// Serves one TCP connection. Every member runs on the connection's strand.
class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(asio::ip::tcp::socket socket, HttpServerShared& shared);
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  void Start();
  // The connection's strand: post OnServerStop() here.
  asio::any_io_executor executor() { return socket_.get_executor(); }
  // Server stop: close now unless a response is being written (then close after it).
  void OnServerStop();

 private:
  void Read();
  void OnRead(const asio::error_code& ec, size_t n);
  // Parses and answers every complete request in `data`, then writes or reads on.
  void Process(std::string_view data);
  void AnswerRequest();
  void AnswerParseError();
  void Write();
  void OnWrite(const asio::error_code& ec);
  // After an error response: stop sending, discard what the client still sends for a moment
  // (so our response is not lost to a TCP reset), then close.
  void Drain();
  bool ServerStopping();
  void ArmTimer(std::chrono::milliseconds after);
  void Close();

  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  HttpServerShared& shared_;
  HttpRequestParser parser_;
  std::array<char, size_t{16} * 1024> in_{};
  std::string out_;
  uint64_t timer_generation_ = 0;
  size_t drained_ = 0;
  bool continue_sent_ = false;
  bool writing_ = false;
  bool close_after_write_ = false;
  bool draining_ = false;
  bool closed_ = false;
};

}  // namespace tracewire::net::internal
