// http_echo_server: the HTTP/1.1 backend of the sidecar benchmark. Answers every request with
// 200 and the request's body (or, for a request without a body, --response-size bytes), keeps
// connections alive, answers pipelined requests in order. One event-loop thread per --threads;
// no tracing, no logging per request, so that it costs the load generator's core little.
// Prints "listening on HOST:PORT" once bound; exits on SIGTERM / SIGINT.
#include <CLI/CLI.hpp>
#include <array>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/signal_set.hpp>
#include <asio/write.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "net/http_parser.h"

namespace tracewire::bench {
namespace {

constexpr size_t kMaxBodyBytes = size_t{1} << 20;  // requests over it get 413 and a close

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  int threads = 1;
  size_t response_size = 1024;  // bytes, for requests without a body
};

class EchoSession : public std::enable_shared_from_this<EchoSession> {
 public:
  EchoSession(asio::ip::tcp::socket socket, const std::string& filler)
      : socket_(std::move(socket)), filler_(filler), parser_(Limits()) {}

  void Start() { Read(); }

 private:
  static net::HttpParseLimits Limits() {
    net::HttpParseLimits limits;
    limits.max_body_bytes = kMaxBodyBytes;
    return limits;
  }

  void Read() {
    socket_.async_read_some(asio::buffer(buf_),
                            [self = shared_from_this()](asio::error_code ec, size_t n) {
                              if (!ec) self->OnRead(n);
                            });
  }

  void OnRead(size_t n) {
    std::string_view data(buf_.data(), n);
    while (!data.empty() && !closing_) {
      data.remove_prefix(parser_.Feed(data));
      if (parser_.failed()) {
        Answer(net::HttpStatusForParseError(parser_.error()), {}, /*close=*/true);
        break;
      }
      if (!parser_.done()) break;
      const std::string& body = parser_.request().body;
      Answer(200, body.empty() ? std::string_view(filler_) : std::string_view(body),
             !parser_.keep_alive());
      parser_.Reset();
    }
    Flush();
    if (!closing_) Read();
  }

  void Answer(int status, std::string_view body, bool close) {
    out_ += "HTTP/1.1 ";
    out_ += std::to_string(status);
    out_ += status == 200 ? " OK" : " Error";
    out_ += "\r\nContent-Type: application/octet-stream\r\nContent-Length: ";
    out_ += std::to_string(body.size());
    out_ += close ? "\r\nConnection: close\r\n\r\n" : "\r\n\r\n";
    out_ += body;
    closing_ = closing_ || close;
  }

  void Flush() {
    if (writing_active_ || out_.empty()) return;
    writing_.swap(out_);
    out_.clear();
    writing_active_ = true;
    asio::async_write(socket_, asio::buffer(writing_),
                      [self = shared_from_this()](asio::error_code ec, size_t) {
                        self->writing_active_ = false;
                        self->writing_.clear();
                        if (ec) return;
                        if (!self->out_.empty()) {
                          self->Flush();
                        } else if (self->closing_) {
                          asio::error_code ignored;
                          self->socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
                        }
                      });
  }

  asio::ip::tcp::socket socket_;
  const std::string& filler_;
  net::HttpRequestParser parser_;
  std::string out_;
  std::string writing_;
  bool writing_active_ = false;
  bool closing_ = false;
  std::array<char, 64 * 1024> buf_{};
};

void Accept(asio::ip::tcp::acceptor& acceptor, const std::string& filler) {
  acceptor.async_accept([&acceptor, &filler](asio::error_code ec, asio::ip::tcp::socket socket) {
    if (!acceptor.is_open()) return;
    if (!ec) {
      asio::error_code ignored;
      socket.set_option(asio::ip::tcp::no_delay(true), ignored);
      std::make_shared<EchoSession>(std::move(socket), filler)->Start();
    }
    Accept(acceptor, filler);
  });
}

int Run(const ServerOptions& o) {
  const std::string filler(o.response_size, 'x');
  asio::io_context io(o.threads);
  asio::error_code ec;
  const asio::ip::address address = asio::ip::make_address(o.host, ec);
  if (ec) {
    std::fprintf(stderr, "http_echo_server: bad --host %s\n", o.host.c_str());
    return 2;
  }
  asio::ip::tcp::acceptor acceptor(io);
  const asio::ip::tcp::endpoint endpoint(address, o.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    std::fprintf(stderr, "http_echo_server: cannot listen on %s:%u: %s\n", o.host.c_str(), o.port,
                 ec.message().c_str());
    return 1;
  }
  std::printf("listening on %s:%u\n", o.host.c_str(), acceptor.local_endpoint().port());
  std::fflush(stdout);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](asio::error_code, int) {
    acceptor.close();
    io.stop();
  });
  Accept(acceptor, filler);
  std::vector<std::thread> threads;
  for (int i = 1; i < o.threads; ++i) threads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();
  return 0;
}

}  // namespace
}  // namespace tracewire::bench

int main(int argc, char** argv) {
  tracewire::bench::ServerOptions o;
  CLI::App app{"HTTP/1.1 echo backend of the sidecar benchmark"};
  app.add_option("--host", o.host, "address to listen on")->capture_default_str();
  app.add_option("--port", o.port, "port (0: any free one)")->capture_default_str();
  app.add_option("--threads", o.threads, "event-loop threads")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--response-size", o.response_size, "body bytes for requests without a body")
      ->check(CLI::Range(size_t{0}, tracewire::bench::kMaxBodyBytes))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return tracewire::bench::Run(o);
}
