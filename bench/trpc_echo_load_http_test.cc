// HttpEchoConnection against a tiny in-process HTTP server: answers are checked (status, body),
// latencies recorded, and an answer that never comes is a timeout that closes the connection.
#include "trpc_echo_load_http.h"

#include <gtest/gtest.h>

#include <asio/read.hpp>
#include <asio/read_until.hpp>
#include <asio/streambuf.hpp>
#include <asio/write.hpp>
#include <istream>
#include <thread>

namespace tracewire::bench {
namespace {

enum class Reply { kEcho, kWrongBody, kError, kSilent };

// Accepts one connection and answers every request as `reply` says, until the peer closes.
class TinyServer {
 public:
  explicit TinyServer(Reply reply)
      : acceptor_(io_, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        reply_(reply) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~TinyServer() {
    asio::error_code ignored;
    acceptor_.close(ignored);
    thread_.join();
  }
  asio::ip::tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }

 private:
  void Serve() {
    asio::error_code ec;
    asio::ip::tcp::socket socket(io_);
    acceptor_.accept(socket, ec);
    if (ec) return;
    asio::streambuf buf;
    while (true) {
      const size_t head = asio::read_until(socket, buf, "\r\n\r\n", ec);
      if (ec) return;
      std::string text(asio::buffers_begin(buf.data()), asio::buffers_begin(buf.data()) + head);
      buf.consume(head);
      const size_t at = text.find("Content-Length: ");
      const size_t length = at == std::string::npos ? 0 : std::stoul(text.substr(at + 16));
      if (buf.size() < length)
        asio::read(socket, buf, asio::transfer_exactly(length - buf.size()), ec);
      if (ec) return;
      std::string body(asio::buffers_begin(buf.data()), asio::buffers_begin(buf.data()) + length);
      buf.consume(length);
      if (reply_ == Reply::kSilent) continue;
      if (reply_ == Reply::kWrongBody) body[0] ^= 1;
      const char* status = reply_ == Reply::kError ? "500 Oops" : "200 OK";
      const std::string answer = std::string("HTTP/1.1 ") + status +
                                 "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                                 body;
      asio::write(socket, asio::buffer(answer), ec);
      if (ec) return;
    }
  }

  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  Reply reply_;
  std::thread thread_;
};

WorkerStats RunAgainst(Reply reply, LoadMode mode) {
  TinyServer server(reply);
  LoadOptions o;
  o.protocol = LoadProtocol::kHttp;
  o.mode = mode;
  o.rate = 2000;
  o.connections = 1;
  o.body_size = 1024;
  o.timeout_ms = 100;
  asio::io_context io(1);
  LoadWindow window;
  WorkerStats stats;
  HttpEchoConnection conn(io, o, window, stats, 0);
  EXPECT_TRUE(conn.Connect(server.endpoint()).ok());
  window.start_ns = NowNs();
  window.warm_end_ns = window.start_ns;
  window.end_ns = window.start_ns + 300'000'000;
  conn.Start();
  io.run_for(std::chrono::milliseconds(300));
  conn.Finish();
  return stats;
}

TEST(HttpEchoConnectionTest, ClosedLoopCountsCorrectEchoes) {
  const WorkerStats s = RunAgainst(Reply::kEcho, LoadMode::kClosed);
  EXPECT_GT(s.ok, 10u);
  EXPECT_EQ(s.errors(), 0u);
  EXPECT_EQ(s.latency.count(), s.ok);
}

TEST(HttpEchoConnectionTest, OpenLoopSendsOnSchedule) {
  const WorkerStats s = RunAgainst(Reply::kEcho, LoadMode::kOpen);
  // 2000/s for 0.3 s: about 600 requests, whatever the machine's noise.
  EXPECT_GT(s.sent, 400u);
  EXPECT_LE(s.sent, 601u);
  EXPECT_EQ(s.errors(), 0u);
  EXPECT_GT(s.ok, 300u);
}

TEST(HttpEchoConnectionTest, WrongBodiesAndStatusesAreErrors) {
  const WorkerStats wrong = RunAgainst(Reply::kWrongBody, LoadMode::kClosed);
  EXPECT_GT(wrong.bad_body, 0u);
  EXPECT_EQ(wrong.ok, 0u);
  const WorkerStats error = RunAgainst(Reply::kError, LoadMode::kClosed);
  EXPECT_GT(error.bad_ret, 0u);
  EXPECT_EQ(error.ok, 0u);
}

TEST(HttpEchoConnectionTest, AMissingAnswerIsATimeoutThatClosesTheConnection) {
  const WorkerStats s = RunAgainst(Reply::kSilent, LoadMode::kOpen);
  EXPECT_EQ(s.ok, 0u);
  EXPECT_EQ(s.timeouts, 1u);
  EXPECT_EQ(s.disconnects, 1u);
  EXPECT_GT(s.lost, 0u);  // queued behind the unanswered one
}

}  // namespace
}  // namespace tracewire::bench
