#include "sidecar/internal/trpc_upstream.h"

#include <algorithm>
#include <asio/write.hpp>

#include "trpc/frame_codec.h"
#include "trpc/ret_code.h"

namespace tracewire::sidecar::internal {
namespace {

constexpr std::chrono::milliseconds kSweepInterval{5};
constexpr size_t kReadChunk = size_t{16} * 1024;

}  // namespace

TrpcUpstream::TrpcUpstream(ClusterContext& cluster, ListenerMetrics* metrics,
                           asio::ip::tcp::endpoint endpoint)
    : cluster_(cluster),
      metrics_(metrics),
      endpoint_(std::move(endpoint)),
      socket_(*cluster.io),
      connect_timer_(*cluster.io),
      sweep_timer_(*cluster.io) {}

void TrpcUpstream::Connect() {
  auto self = shared_from_this();
  connect_timer_.expires_after(cluster_.config.connect_timeout);
  connect_timer_.async_wait([self](const asio::error_code& ec) {
    if (!ec && self->state_ == State::kConnecting) {
      self->metrics_->upstream_connect_errors.fetch_add(1, std::memory_order_relaxed);
      self->Fail(trpc::kRetClientConnectError, "sidecar: upstream connect timeout");
    }
  });
  socket_.async_connect(endpoint_, [self](const asio::error_code& ec) {
    if (self->state_ != State::kConnecting) return;
    self->connect_timer_.cancel();
    if (ec) {
      self->metrics_->upstream_connect_errors.fetch_add(1, std::memory_order_relaxed);
      self->Fail(trpc::kRetClientConnectError, "sidecar: upstream connect error: " + ec.message());
      return;
    }
    asio::error_code ignored;
    self->socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    self->state_ = State::kConnected;
    self->StartRead();
    self->Flush();
  });
}

uint32_t TrpcUpstream::NextId() {
  do {
    ++next_id_;
  } while (next_id_ == 0 || pending_.contains(next_id_));
  return next_id_;
}

void TrpcUpstream::Send(uint32_t id, PendingCall call, std::string_view frame) {
  if (state_ == State::kFailed) {
    call.owner->CallFailed(call, trpc::kRetClientNetworkError,
                           "sidecar: upstream connection failed");
    return;
  }
  out_.Append(frame);
  if (call.call_type == trpc::kCallTypeOneway) {
    FinishCall(call, 0, 0, {}, 0);
  } else {
    pending_.emplace(id, std::move(call));
    ArmSweep();
  }
  Flush();
}

void TrpcUpstream::Flush() {
  if (state_ == State::kConnected) out_.Flush(socket_, shared_from_this(), &TrpcUpstream::Broke);
}

void TrpcUpstream::Broke() { Fail(trpc::kRetClientNetworkError, "sidecar: upstream write failed"); }

void TrpcUpstream::StartRead() {
  if (in_begin_ > 0 && in_begin_ == in_.size()) {
    in_.clear();
    in_begin_ = 0;
  }
  ReadAppend(socket_, &in_, kReadChunk, [self = shared_from_this()](const asio::error_code& ec) {
    if (ec) {
      self->Fail(trpc::kRetClientNetworkError, "sidecar: upstream connection closed");
      return;
    }
    self->OnData();
    if (self->state_ == State::kConnected) self->StartRead();
  });
}

void TrpcUpstream::OnData() {
  while (state_ == State::kConnected) {
    std::string_view data(in_.data() + in_begin_, in_.size() - in_begin_);
    trpc::FrameHeader header;
    size_t size = 0;
    if (trpc::PeekFrame(data, cluster_.max_frame_size, &header, &size) != trpc::CodecError::kOk) {
      metrics_->malformed_frames.fetch_add(1, std::memory_order_relaxed);
      Fail(trpc::kRetClientNetworkError, "sidecar: malformed response from upstream");
      return;
    }
    if (size == 0) break;
    HandleResponse(data.substr(0, size));
    in_begin_ += size;
  }
  if (in_begin_ > 0 && in_begin_ * 2 > in_.size()) {
    in_.erase(0, in_begin_);
    in_begin_ = 0;
  }
}

void TrpcUpstream::HandleResponse(std::string_view frame) {
  trpc::ResponseFrame rsp;
  if (trpc::DecodeResponseFrame(frame, cluster_.max_frame_size, &rsp) != trpc::CodecError::kOk) {
    metrics_->malformed_frames.fetch_add(1, std::memory_order_relaxed);
    Fail(trpc::kRetClientNetworkError, "sidecar: malformed response from upstream");
    return;
  }
  auto it = pending_.find(rsp.head.request_id);
  if (it == pending_.end()) return;  // timed out already: the late answer is dropped
  PendingCall call = std::move(it->second);
  pending_.erase(it);
  call.owner->CallAnswered(call, rsp, frame);
}

void TrpcUpstream::ArmSweep() {
  if (sweep_armed_) return;
  sweep_armed_ = true;
  auto self = shared_from_this();
  sweep_timer_.expires_after(kSweepInterval);
  sweep_timer_.async_wait([self](const asio::error_code& ec) {
    self->sweep_armed_ = false;
    if (!ec) self->Sweep();
  });
}

void TrpcUpstream::Sweep() {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.deadline <= now) {
      PendingCall call = std::move(it->second);
      it = pending_.erase(it);
      call.listener->metrics->upstream_timeouts.fetch_add(1, std::memory_order_relaxed);
      call.owner->CallFailed(call, trpc::kRetClientInvokeTimeout, "sidecar: upstream timeout");
    } else {
      ++it;
    }
  }
  if (!pending_.empty() && state_ != State::kFailed) ArmSweep();
}

void TrpcUpstream::Fail(int32_t ret, std::string_view msg) {
  if (state_ == State::kFailed) return;
  const bool never_connected = state_ == State::kConnecting;
  state_ = State::kFailed;
  asio::error_code ignored;
  socket_.close(ignored);
  connect_timer_.cancel();
  sweep_timer_.cancel();
  // A call that never left this sidecar could not connect; one on the wire was lost.
  const int32_t code = never_connected ? trpc::kRetClientConnectError : ret;
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [id, call] : pending) call.owner->CallFailed(call, code, msg);
}

TrpcUpstreamPool::~TrpcUpstreamPool() = default;

TrpcUpstream& TrpcUpstreamPool::Pick(ListenerMetrics* metrics) {
  std::erase_if(connections_, [](const auto& c) { return c->failed(); });
  if (connections_.size() < cluster_.config.max_connections) {
    auto conn = std::make_shared<TrpcUpstream>(cluster_, metrics, cluster_.NextEndpoint());
    conn->Connect();
    connections_.push_back(conn);
    return *conn;
  }
  return *connections_[next_++ % connections_.size()];
}

}  // namespace tracewire::sidecar::internal
