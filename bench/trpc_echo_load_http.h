// One HTTP/1.1 keep-alive client connection of trpc_echo_load (--protocol http): POSTs the body
// to options.path and expects 200 with the same body back (bench/sidecar/http_echo_server).
//
// HTTP/1.1 answers come in request order, so a connection has one request on the wire (closed
// loop: `pipeline` of them, pipelined). In the open loop, requests fall due on a fixed schedule;
// one that falls due while another is on the wire waits in the connection's queue and is sent
// when the answer arrives, its latency still counted from its scheduled time (no coordinated
// omission). A request unanswered after timeout_ms closes the connection (HTTP cannot skip an
// answer): it counts as a timeout, the rest on the wire and queued as lost.
//
// Thread-safety: as EchoConnection (one io_context, one thread).
#pragma once

#include <asio/io_context.hpp>
#include <cstdint>
#include <deque>
#include <string>

#include "net/http_parser.h"
#include "trpc_echo_load_connection.h"

namespace tracewire::bench {

class HttpEchoConnection final : public StreamConnection {
 public:
  HttpEchoConnection(asio::io_context& io, const LoadOptions& options, const LoadWindow& window,
                     WorkerStats& stats, int index);

  void Start() override;
  void Finish() override;

 private:
  void Enqueue(int64_t scheduled_ns);
  void Pump();
  void OnRead(size_t n) override;
  void OnResponse(int64_t now_ns);
  void OnTick() override;
  void Fail(bool protocol_error) override;

  std::string request_;       // one whole request: head and body
  const size_t max_on_wire_;  // 1, or `pipeline` in the closed loop

  // Scheduled send times, oldest first; the first on_wire_ of them have been written.
  std::deque<int64_t> queue_;
  size_t on_wire_ = 0;
  net::HttpResponseParser parser_;
};

}  // namespace tracewire::bench
