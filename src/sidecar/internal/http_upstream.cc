#include "sidecar/internal/http_upstream.h"

namespace tracewire::sidecar::internal {

HttpUpstreamConn::~HttpUpstreamConn() {
  if (pool_ != nullptr) pool_->Unlink(this);
}

void HttpUpstreamConn::Watch() {
  if (waiting_ || closed()) return;
  waiting_ = true;
  socket_.async_wait(asio::socket_base::wait_read,
                     [self = shared_from_this()](const asio::error_code& ec) {
                       self->waiting_ = false;
                       if (self->holder_ != nullptr) {
                         // The holder may let go (and so end its own life) in the call.
                         std::shared_ptr<Holder> holder = self->holder_;
                         holder->UpstreamReadable(ec);
                       } else {
                         self->Close();  // idle: closed or written to by the upstream
                       }
                     });
}

void HttpUpstreamConn::Close() {
  holder_.reset();
  asio::error_code ignored;
  socket_.close(ignored);
}

std::shared_ptr<HttpUpstreamConn> HttpUpstreamPool::Create(asio::io_context& io) {
  if (cleared_) return nullptr;
  auto conn = std::make_shared<HttpUpstreamConn>(io);
  conn->pool_ = this;
  conn->next_ = live_;
  if (live_ != nullptr) live_->prev_ = conn.get();
  live_ = conn.get();
  return conn;
}

void HttpUpstreamPool::Unlink(HttpUpstreamConn* conn) {
  if (conn->prev_ != nullptr) conn->prev_->next_ = conn->next_;
  if (conn->next_ != nullptr) conn->next_->prev_ = conn->prev_;
  if (live_ == conn) live_ = conn->next_;
  conn->pool_ = nullptr;
  conn->prev_ = conn->next_ = nullptr;
}

// HOT PATH.
std::shared_ptr<HttpUpstreamConn> HttpUpstreamPool::Take() {
  while (!idle_.empty()) {
    std::shared_ptr<HttpUpstreamConn> conn = std::move(idle_.back());
    idle_.pop_back();
    if (!conn->closed()) return conn;
  }
  return nullptr;
}

void HttpUpstreamPool::Put(std::shared_ptr<HttpUpstreamConn> conn) {
  conn->set_holder(nullptr);
  if (idle_.size() >= max_idle_) return conn->Close();
  conn->Watch();
  idle_.push_back(std::move(conn));
}

void HttpUpstreamPool::Clear() {
  cleared_ = true;
  // Off the list first: closing one may end a session and with it the connection.
  std::vector<std::shared_ptr<HttpUpstreamConn>> live;
  while (live_ != nullptr) {
    live.push_back(live_->shared_from_this());
    Unlink(live_);
  }
  for (const auto& conn : live) conn->Close();
  idle_.clear();
}

}  // namespace tracewire::sidecar::internal
