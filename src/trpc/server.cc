#include "trpc/server.h"

#include <asio/ip/tcp.hpp>
#include <mutex>
#include <utility>
#include <vector>

#include "trpc/internal/server_connection.h"
#include "trpc/internal/server_loop.h"
#include "trpc/internal/server_shared.h"

namespace tracewire::trpc {
namespace {

using asio::ip::tcp;
using internal::ServerConnection;
using internal::ServerLoop;
using internal::ServerShared;

class ServerImpl final : public Server {
 public:
  explicit ServerImpl(std::shared_ptr<ServerShared> shared) : shared_(std::move(shared)) {
    for (int i = 0; i < shared_->options.threads; ++i) {
      loops_.push_back(std::make_unique<ServerLoop>(shared_));
    }
    acceptor_ = std::make_unique<tcp::acceptor>(loops_[0]->io());
  }
  ~ServerImpl() override { Shutdown(std::chrono::milliseconds(0)); }
  ServerImpl(const ServerImpl&) = delete;
  ServerImpl& operator=(const ServerImpl&) = delete;

  Status Listen();
  void Run();

  uint16_t port() const override { return port_; }
  ServerStats stats() const override;
  void Shutdown(std::chrono::milliseconds drain) override;

 private:
  void Accept();
  void OnAccept(const asio::error_code& ec, tcp::socket socket, size_t loop_index);

  std::shared_ptr<ServerShared> shared_;
  std::vector<std::unique_ptr<ServerLoop>> loops_;
  std::unique_ptr<tcp::acceptor> acceptor_;  // used on loops_[0]'s thread
  size_t next_loop_ = 0;                     // round-robin; loops_[0]'s thread only
  uint16_t port_ = 0;
  std::mutex shutdown_mu_;
  bool shut_down_ = false;  // guarded by shutdown_mu_
};

Status ServerImpl::Listen() {
  const ServerOptions& options = shared_->options;
  asio::error_code ec;
  asio::ip::address address = asio::ip::make_address(options.host, ec);
  if (ec) return InvalidArgumentError("invalid listen address: " + options.host);
  tcp::endpoint endpoint(address, options.port);
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return UnavailableError("cannot listen on " + options.host + ":" +
                            std::to_string(options.port) + ": " + ec.message());
  }
  port_ = acceptor_->local_endpoint(ec).port();
  return OkStatus();
}

void ServerImpl::Run() {
  asio::post(loops_[0]->io(), [this] { Accept(); });
  for (auto& loop : loops_) loop->Start();
}

void ServerImpl::Accept() {
  size_t index = next_loop_;
  next_loop_ = (next_loop_ + 1) % loops_.size();
  // The accepted socket belongs to the chosen loop's io_context.
  acceptor_->async_accept(loops_[index]->io(),
                          [this, index](const asio::error_code& ec, tcp::socket socket) {
                            OnAccept(ec, std::move(socket), index);
                          });
}

void ServerImpl::OnAccept(const asio::error_code& ec, tcp::socket socket, size_t loop_index) {
  if (ec == asio::error::operation_aborted || !acceptor_->is_open()) return;
  if (!ec) {
    bool admit = false;
    {
      std::lock_guard lock(shared_->mu);
      if (!shared_->draining.load() &&
          shared_->open_connections < shared_->options.max_connections) {
        ++shared_->open_connections;
        admit = true;
      }
    }
    if (admit) {
      shared_->accepted.fetch_add(1, std::memory_order_relaxed);
      ServerLoop& loop = *loops_[loop_index];
      auto connection = std::make_shared<ServerConnection>(std::move(socket), loop, shared_);
      asio::post(loop.io(), [connection] { connection->Start(); });
    } else {
      asio::error_code ignored;
      socket.close(ignored);
    }
  }
  Accept();  // transient errors (EMFILE, ECONNABORTED) must not end the accept loop
}

ServerStats ServerImpl::stats() const {
  ServerStats stats;
  stats.connections_accepted = shared_->accepted.load(std::memory_order_relaxed);
  for (const auto& loop : loops_) stats.requests += loop->requests.load(std::memory_order_relaxed);
  stats.decode_errors = shared_->decode_errors.load(std::memory_order_relaxed);
  stats.timeouts = shared_->timeouts.load(std::memory_order_relaxed);
  return stats;
}

// Drain policy: connections with no call in flight close at once; the others keep writing the
// replies of their calls in flight and answer requests that arrive meanwhile with 22
// ("server is shutting down") without running a handler, then close. At `drain` the rest close.
void ServerImpl::Shutdown(std::chrono::milliseconds drain) {
  std::lock_guard shutdown_lock(shutdown_mu_);
  if (shut_down_) return;
  shut_down_ = true;
  shared_->draining.store(true, std::memory_order_release);
  asio::post(loops_[0]->io(), [this] {
    asio::error_code ignored;
    acceptor_->close(ignored);
  });
  for (auto& loop : loops_) {
    ServerLoop* l = loop.get();
    asio::post(l->io(), [l] { l->BeginDrain(); });
  }
  {
    std::unique_lock lock(shared_->mu);
    shared_->closed.wait_for(lock, drain, [this] { return shared_->open_connections == 0; });
  }
  for (auto& loop : loops_) {
    ServerLoop* l = loop.get();
    asio::post(l->io(), [l] { l->CloseAll(); });
  }
  for (auto& loop : loops_) loop->Join();
  acceptor_.reset();
}

}  // namespace

StatusOr<std::unique_ptr<Server>> Server::Start(ServerOptions options,
                                                std::unordered_map<std::string, Handler> handlers) {
  if (options.threads < 1) return InvalidArgumentError("threads must be at least 1");
  if (options.max_frame_size < kFrameHeaderSize) {
    return InvalidArgumentError("max_frame_size must be at least 16 bytes");
  }
  if (options.max_connections < 1) return InvalidArgumentError("max_connections must be >= 1");
  if (options.max_in_flight_per_connection < 1) {
    return InvalidArgumentError("max_in_flight_per_connection must be >= 1");
  }
  if (options.idle_timeout.count() <= 0) return InvalidArgumentError("idle_timeout must be > 0");
  for (const auto& filter : options.filters) {
    if (!filter) return InvalidArgumentError("filters holds a null filter");
  }
  auto shared = std::make_shared<ServerShared>();
  while (!handlers.empty()) {
    auto node = handlers.extract(handlers.begin());
    if (!node.mapped()) return InvalidArgumentError("the handler of " + node.key() + " is empty");
    shared->handlers.emplace(std::move(node.key()), std::move(node.mapped()));
  }
  shared->options = std::move(options);
  auto server = std::make_unique<ServerImpl>(std::move(shared));
  TW_RETURN_IF_ERROR(server->Listen());
  server->Run();
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace tracewire::trpc
