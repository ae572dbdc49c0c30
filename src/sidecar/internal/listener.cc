#include "sidecar/internal/listener.h"

#include <asio/read.hpp>
#include <asio/steady_timer.hpp>

#include "sidecar/internal/http_session.h"
#include "sidecar/internal/tcp_relay.h"
#include "sidecar/internal/trpc_session.h"
#include "sidecar/sniff.h"

namespace tracewire::sidecar::internal {
namespace {

// A client that sends nothing this long is relayed (server-speaks-first protocols).
constexpr std::chrono::milliseconds kSniffTimeout{300};

// Reads the first bytes of one connection until SniffProtocol decides or the timeout passes.
class Sniffer : public std::enable_shared_from_this<Sniffer> {
 public:
  Sniffer(ListenerContext& ctx, asio::ip::tcp::socket socket, ActiveConnection active)
      : ctx_(ctx), socket_(std::move(socket)), timer_(*ctx.io), active_(std::move(active)) {}

  void Start() {
    auto self = shared_from_this();
    timer_.expires_after(kSniffTimeout);
    timer_.async_wait([self](const asio::error_code& ec) {
      if (!ec && !self->decided_) self->Decide(SniffResult::kTcp);
    });
    Read();
  }

 private:
  void Read() {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(buf_ + size_, kMaxSniffBytes - size_),
                            [self](const asio::error_code& ec, size_t n) {
                              if (self->decided_) return;
                              if (ec) {  // closed before it said anything we can use
                                self->decided_ = true;
                                self->timer_.cancel();
                                if (self->size_ > 0) self->Decide(SniffResult::kTcp);
                                return;
                              }
                              self->size_ += n;
                              const SniffResult r =
                                  SniffProtocol(std::string_view(self->buf_, self->size_));
                              if (r == SniffResult::kNeedMore) return self->Read();
                              self->Decide(r);
                            });
  }

  void Decide(SniffResult result) {
    decided_ = true;
    timer_.cancel();
    std::string initial(buf_, size_);
    if (result == SniffResult::kTrpc) {
      StartTrpcSession(ctx_, std::move(socket_), std::move(initial), std::move(active_));
    } else if (result == SniffResult::kHttp1) {
      StartHttpSession(ctx_, std::move(socket_), std::move(initial), std::move(active_));
    } else {
      StartTcpRelay(ctx_, std::move(socket_), std::move(initial), std::move(active_));
    }
  }

  ListenerContext& ctx_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  ActiveConnection active_;
  char buf_[kMaxSniffBytes] = {};
  size_t size_ = 0;
  bool decided_ = false;
};

}  // namespace

Listener::Listener(ListenerContext& ctx) : ctx_(&ctx), acceptor_(*ctx.io) {}

Listener::~Listener() = default;

StatusOr<std::unique_ptr<Listener>> Listener::Start(ListenerContext& context) {
  ListenerContext* ctx = &context;
  const std::string where =
      ctx->config.address.host + ":" + std::to_string(ctx->config.address.port);
  asio::error_code ec;
  const asio::ip::address address = asio::ip::make_address(
      ctx->config.address.host == "localhost" ? "127.0.0.1" : ctx->config.address.host, ec);
  if (ec) return InvalidArgumentError("listeners." + ctx->config.name + ".address: " + where);
  std::unique_ptr<Listener> l(new Listener(context));
  asio::ip::tcp::endpoint endpoint(address, l->ctx_->config.address.port);
  l->acceptor_.open(endpoint.protocol(), ec);
  if (!ec) l->acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec && ctx->reuse_port) {
    l->acceptor_.set_option(asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true),
                            ec);
  }
  if (!ec) l->acceptor_.bind(endpoint, ec);
  if (!ec) l->acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return UnavailableError("listeners." + l->ctx_->config.name + ": cannot listen on " + where +
                            ": " + ec.message());
  }
  l->ctx_->local_address = address.to_string();
  l->ctx_->local_port = l->acceptor_.local_endpoint().port();
  l->Accept();
  return l;
}

void Listener::Accept() {
  acceptor_.async_accept([this](const asio::error_code& ec, asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      ListenerMetrics& m = *ctx_->metrics;
      m.connections_total.fetch_add(1, std::memory_order_relaxed);
      if (m.connections_active.load(std::memory_order_relaxed) >= ctx_->max_connections) {
        asio::error_code ignored;
        socket.close(ignored);
      } else {
        asio::error_code ignored;
        socket.set_option(asio::ip::tcp::no_delay(true), ignored);
        ActiveConnection active(&m);
        switch (ctx_->config.protocol) {
          case ListenerProtocol::kTrpc:
            StartTrpcSession(*ctx_, std::move(socket), {}, std::move(active));
            break;
          case ListenerProtocol::kHttp:
            StartHttpSession(*ctx_, std::move(socket), {}, std::move(active));
            break;
          case ListenerProtocol::kAuto:
            std::make_shared<Sniffer>(*ctx_, std::move(socket), std::move(active))->Start();
            break;
          default: StartTcpRelay(*ctx_, std::move(socket), {}, std::move(active)); break;
        }
      }
    }
    Accept();
  });
}

void Listener::Close() {
  asio::error_code ignored;
  acceptor_.close(ignored);
}

}  // namespace tracewire::sidecar::internal
