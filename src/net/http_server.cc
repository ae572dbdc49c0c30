#include "net/http_server.h"

#include <asio.hpp>
#include <thread>
#include <vector>

#include "net/http_server_connection.h"

namespace tracewire::net {
namespace {

using asio::ip::tcp;

class HttpServerImpl final : public HttpServer {
 public:
  HttpServerImpl(HttpServerOptions options, HttpAsyncHandler handler)
      : io_(options.threads), acceptor_(asio::make_strand(io_)) {
    shared_.options = std::move(options);
    shared_.handler = std::move(handler);
  }
  ~HttpServerImpl() override { Stop(); }
  HttpServerImpl(const HttpServerImpl&) = delete;
  HttpServerImpl& operator=(const HttpServerImpl&) = delete;

  Status Listen();
  void Run();

  uint16_t port() const override { return port_; }
  void Stop() override;
  uint64_t connections_accepted() const override { return shared_.accepted.load(); }
  uint64_t requests_rejected() const override { return shared_.rejected.load(); }

 private:
  void Accept();

  asio::io_context io_;
  tcp::acceptor acceptor_;
  internal::HttpServerShared shared_;
  uint16_t port_ = 0;
  std::vector<std::thread> threads_;
  std::once_flag stop_once_;
};

Status HttpServerImpl::Listen() {
  asio::error_code ec;
  asio::ip::address address = asio::ip::make_address(shared_.options.host, ec);
  if (ec) return InvalidArgumentError("invalid listen address: " + shared_.options.host);
  tcp::endpoint endpoint(address, shared_.options.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return UnavailableError("cannot listen on " + shared_.options.host + ":" +
                            std::to_string(shared_.options.port) + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint(ec).port();
  return OkStatus();
}

void HttpServerImpl::Run() {
  Accept();
  for (int i = 0; i < shared_.options.threads; ++i) {
    threads_.emplace_back([this] { io_.run(); });
  }
}

void HttpServerImpl::Accept() {
  acceptor_.async_accept(
      asio::make_strand(io_), [this](const asio::error_code& ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
        if (!ec) {
          shared_.accepted.fetch_add(1, std::memory_order_relaxed);
          auto connection = std::make_shared<internal::HttpConnection>(std::move(socket), shared_);
          bool start = false;
          {
            std::lock_guard lock(shared_.mu);
            if (!shared_.stopping) {
              shared_.connections.insert(connection);
              start = true;
            }
          }
          if (start) asio::post(connection->executor(), [connection] { connection->Start(); });
        }
        Accept();  // transient errors (EMFILE, ECONNABORTED) must not end the accept loop
      });
}

void HttpServerImpl::Stop() {
  std::call_once(stop_once_, [this] {
    std::vector<std::shared_ptr<internal::HttpConnection>> open;
    {
      std::lock_guard lock(shared_.mu);
      shared_.stopping = true;
      open.assign(shared_.connections.begin(), shared_.connections.end());
    }
    asio::post(acceptor_.get_executor(), [this] {
      asio::error_code ignored;
      acceptor_.close(ignored);
    });
    for (auto& connection : open) {
      asio::post(connection->executor(), [connection] { connection->OnServerStop(); });
    }
    for (auto& thread : threads_) thread.join();
    std::lock_guard lock(shared_.liveness->mu);
    shared_.liveness->alive = false;  // late answers are dropped from here on
  });
}

}  // namespace

StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(HttpServerOptions options,
                                                        HttpHandler handler) {
  if (!handler) return InvalidArgumentError("handler is empty");
  return Start(std::move(options), [handler = std::move(handler)](const HttpRequest& request,
                                                                  const HttpResponder& responder) {
    responder.Respond(handler(request));  // throws are answered 500 by the caller
  });
}

StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(HttpServerOptions options,
                                                        HttpAsyncHandler handler) {
  if (options.threads < 1) return InvalidArgumentError("threads must be at least 1");
  if (options.max_pipelined_requests < 1) {
    return InvalidArgumentError("max_pipelined_requests must be at least 1");
  }
  if (!handler) return InvalidArgumentError("handler is empty");
  auto server = std::make_unique<HttpServerImpl>(std::move(options), std::move(handler));
  TW_RETURN_IF_ERROR(server->Listen());
  server->Run();
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace tracewire::net
