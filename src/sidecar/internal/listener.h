// Listener: accepts downstream connections on one address and hands each to the protocol its
// first bytes show (sniff.h) — tRPC to a TrpcSession, HTTP/1.x to an HttpSession, anything
// else to a TcpRelay — or to the protocol the config fixes. Loop-thread only.
#pragma once

#include <asio/ip/tcp.hpp>
#include <memory>

#include "base/status.h"
#include "sidecar/internal/listener_context.h"

namespace tracewire::sidecar::internal {

class Listener {
 public:
  // Binds ctx.config.address (port 0: ephemeral; with ctx.reuse_port, SO_REUSEPORT so every
  // loop thread binds the same port) and starts accepting on ctx.io. `ctx` must outlive the
  // io_context (connections keep pointing at it). UNAVAILABLE when the address cannot be bound.
  static StatusOr<std::unique_ptr<Listener>> Start(ListenerContext& ctx);
  ~Listener();

  uint16_t port() const { return ctx_->local_port; }
  const ListenerContext& context() const { return *ctx_; }
  // Stops accepting (connections already open go on). Loop thread only.
  void Close();

 private:
  explicit Listener(ListenerContext& ctx);
  void Accept();

  ListenerContext* ctx_;
  asio::ip::tcp::acceptor acceptor_;
};

}  // namespace tracewire::sidecar::internal
