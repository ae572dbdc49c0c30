#include "sidecar/internal/tcp_relay.h"

#include <array>
#include <asio/connect.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <memory>
#include <string_view>

namespace tracewire::sidecar::internal {
namespace {

class Relay : public std::enable_shared_from_this<Relay> {
 public:
  Relay(ListenerContext& ctx, asio::ip::tcp::socket downstream, ActiveConnection active,
        std::unique_ptr<RelayObserver> observer)
      : ctx_(ctx),
        down_(std::move(downstream)),
        up_(*ctx.io),
        timer_(*ctx.io),
        active_(std::move(active)),
        observer_(std::move(observer)) {}
  ~Relay() { EndObserver(); }

  void Start(std::string initial) {
    initial_ = std::move(initial);
    auto self = shared_from_this();
    ClusterContext* cluster = ctx_.RelayCluster();
    if (cluster == nullptr) return Close();
    timer_.expires_after(cluster->config.connect_timeout);
    timer_.async_wait([self](const asio::error_code& ec) {
      if (!ec) self->up_.close();
    });
    up_.async_connect(cluster->NextEndpoint(), [self](const asio::error_code& ec) {
      self->timer_.cancel();
      if (ec) {
        self->ctx_.metrics->upstream_connect_errors.fetch_add(1, std::memory_order_relaxed);
        self->Close();
        return;
      }
      self->up_.set_option(asio::ip::tcp::no_delay(true));
      const std::string_view first =
          self->observer_ ? self->observer_->OnBytes(true, self->initial_) : self->initial_;
      asio::async_write(self->up_, asio::buffer(first.data(), first.size()),
                        [self](const asio::error_code& wec, size_t) {
                          if (wec) return self->Close();
                          self->Pump(self->down_, self->up_, self->down_buf_, 0);
                          self->Pump(self->up_, self->down_, self->up_buf_, 1);
                        });
    });
  }

 private:
  using Buffer = std::array<char, size_t{16} * 1024>;

  // Reads from `from` and writes everything (as the observer has it) to `to`, until `from` ends.
  void Pump(asio::ip::tcp::socket& from, asio::ip::tcp::socket& to, Buffer& buf, int dir) {
    auto self = shared_from_this();
    from.async_read_some(
        asio::buffer(buf), [self, &from, &to, &buf, dir](const asio::error_code& ec, size_t n) {
          if (ec) return self->Ended(to, dir, ec);
          std::string_view out(buf.data(), n);
          if (self->observer_) out = self->observer_->OnBytes(dir == 0, out);
          if (out.empty()) return self->Pump(from, to, buf, dir);
          asio::async_write(to, asio::buffer(out.data(), out.size()),
                            [self, &from, &to, &buf, dir](const asio::error_code& wec, size_t) {
                              if (wec) return self->Close();
                              self->Pump(from, to, buf, dir);
                            });
        });
  }

  // The read side of direction `dir` ended: what the observer held back goes out first, then
  // the half-close (an error instead of the end of the stream closes both sides).
  void Ended(asio::ip::tcp::socket& to, int dir, const asio::error_code& ec) {
    const std::string_view rest =
        observer_ && ec == asio::error::eof ? observer_->OnEof(dir == 0) : std::string_view();
    auto finish = [self = shared_from_this(), &to, ec] {
      asio::error_code ignored;
      to.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
      if (++self->ended_ == 2 || ec != asio::error::eof) self->Close();
    };
    if (rest.empty()) return finish();
    asio::async_write(to, asio::buffer(rest.data(), rest.size()),
                      [self = shared_from_this(), finish](const asio::error_code& wec, size_t) {
                        if (wec) return self->Close();
                        finish();
                      });
  }

  void Close() {
    asio::error_code ignored;
    down_.close(ignored);
    up_.close(ignored);
    timer_.cancel();
    EndObserver();
  }

  void EndObserver() {
    if (observer_) observer_->OnEnd();
    observer_.reset();
  }

  ListenerContext& ctx_;
  asio::ip::tcp::socket down_;
  asio::ip::tcp::socket up_;
  asio::steady_timer timer_;
  ActiveConnection active_;
  std::unique_ptr<RelayObserver> observer_;
  std::string initial_;
  Buffer down_buf_;
  Buffer up_buf_;
  int ended_ = 0;
};

}  // namespace

void StartTcpRelay(ListenerContext& ctx, asio::ip::tcp::socket downstream, std::string initial,
                   ActiveConnection active, std::unique_ptr<RelayObserver> observer) {
  ctx.metrics->relayed_connections.fetch_add(1, std::memory_order_relaxed);
  std::make_shared<Relay>(ctx, std::move(downstream), std::move(active), std::move(observer))
      ->Start(std::move(initial));
}

}  // namespace tracewire::sidecar::internal
