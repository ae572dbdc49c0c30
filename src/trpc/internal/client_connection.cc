#include "trpc/internal/client_connection.h"

#include <algorithm>
#include <asio/connect.hpp>
#include <asio/write.hpp>
#include <utility>

#include "trpc/frame_codec.h"
#include "trpc/ret_code.h"

namespace tracewire::trpc::internal {
namespace {

constexpr size_t kCompactSlack = 1024;  // stale deadline entries tolerated before compaction

}  // namespace

ClientConnection::ClientConnection(asio::io_context& io, ClientShared& shared)
    : io_(io), shared_(shared), resolver_(io), connect_timer_(io), deadline_timer_(io) {}

// Hot path: one frame appended to the output buffer, one map insert, one heap push.
void ClientConnection::Submit(std::shared_ptr<ClientCallImpl> call) {
  if (shut_down_) return call->Fail(kRetClientNetworkError, "client is shutting down");
  const ClientOptions& options = shared_.options;
  CallRequest& request = call->request();
  if (!request.oneway && pending_.size() >= options.max_pending_per_connection) {
    return call->Fail(kRetClientOverload, "too many calls pending on one connection");
  }
  RequestHead head;
  head.call_type = request.oneway ? kCallTypeOneway : kCallTypeUnary;
  head.request_id = call->request_id();
  head.timeout_ms = call->timeout_ms();
  head.caller = call->caller();
  head.callee = request.callee;
  head.func = request.func;
  if (!request.trans_info.empty()) head.trans_info = ViewOf(request.trans_info);
  head.content_type = request.content_type;
  if (AppendRequestFrame(head, request.body, request.attachment, options.max_frame_size, &out_) !=
      CodecError::kOk) {
    return call->Fail(kRetClientEncodeError, "request exceeds the maximum frame size");
  }
  if (state_ == State::kConnected) call->set_peer(peer_address_, peer_port_);
  if (request.oneway) {
    oneway_queued_.push_back(std::move(call));
  } else {
    TrackDeadline(*call);
    uint32_t id = call->request_id();
    pending_.emplace(id, std::move(call));
  }
  if (state_ == State::kIdle) return Connect();
  Flush();
}

void ClientConnection::Connect() {
  state_ = State::kConnecting;
  const uint64_t generation = ++generation_;
  connect_timer_.expires_after(shared_.options.connect_timeout);
  connect_timer_.async_wait([self = shared_from_this(), generation](const asio::error_code& ec) {
    if (ec || generation != self->generation_ || self->state_ != State::kConnecting) return;
    self->Fail(kRetClientConnectError,
               "connect to " + self->shared_.options.address + " timed out after " +
                   std::to_string(self->shared_.options.connect_timeout.count()) + " ms");
  });
  resolver_.async_resolve(
      shared_.host, std::to_string(shared_.port),
      [self = shared_from_this(), generation](
          const asio::error_code& ec, const asio::ip::tcp::resolver::results_type& results) {
        if (generation != self->generation_) return;
        if (ec) {
          return self->Fail(kRetClientConnectError,
                            "cannot resolve " + self->shared_.host + ": " + ec.message());
        }
        self->socket_ = std::make_unique<asio::ip::tcp::socket>(self->io_);
        asio::async_connect(
            *self->socket_, results,
            [self, generation](const asio::error_code& ec, const asio::ip::tcp::endpoint&) {
              if (generation != self->generation_) return;
              if (ec) {
                return self->Fail(
                    kRetClientConnectError,
                    "cannot connect to " + self->shared_.options.address + ": " + ec.message());
              }
              self->OnConnected();
            });
      });
}

void ClientConnection::OnConnected() {
  connect_timer_.cancel();
  state_ = State::kConnected;
  asio::error_code ec;
  socket_->set_option(asio::ip::tcp::no_delay(true), ec);
  auto peer = socket_->remote_endpoint(ec);
  if (!ec) {
    peer_address_ = peer.address().to_string();
    peer_port_ = peer.port();
  }
  for (auto& [id, call] : pending_) call->set_peer(peer_address_, peer_port_);
  for (auto& call : oneway_queued_) call->set_peer(peer_address_, peer_port_);
  Read();
  Flush();
}

void ClientConnection::Fail(int32_t ret, const std::string& message) {
  ++generation_;  // every handler of the old socket becomes stale
  state_ = State::kIdle;
  connect_timer_.cancel();
  resolver_.cancel();
  if (socket_) {
    asio::error_code ignored;
    socket_->close(ignored);
    socket_.reset();
  }
  writing_ = false;
  reading_ = false;
  out_.clear();
  wbuf_.clear();
  in_ = InputBuffer();
  want_ = 0;
  deadlines_.clear();
  deadline_timer_.cancel();
  deadline_armed_ = Clock::time_point::max();
  auto pending = std::move(pending_);
  pending_.clear();
  auto queued = std::move(oneway_queued_);
  oneway_queued_.clear();
  auto writing = std::move(oneway_writing_);
  oneway_writing_.clear();
  for (auto& [id, call] : pending) call->Fail(ret, message);
  for (auto& call : queued) call->Fail(ret, message);
  for (auto& call : writing) call->Fail(ret, message);
}

void ClientConnection::Shutdown() {
  shut_down_ = true;
  Fail(kRetClientNetworkError, "client destroyed");
}

void ClientConnection::Read() {
  reading_ = true;
  size_t writable = 0;
  char* tail = in_.PrepareWrite(want_, &writable);
  socket_->async_read_some(
      asio::buffer(tail, writable),
      [self = shared_from_this(), generation = generation_](const asio::error_code& ec, size_t n) {
        self->OnRead(generation, ec, n);
      });
}

void ClientConnection::OnRead(uint64_t generation, const asio::error_code& ec, size_t n) {
  if (generation != generation_) return;
  reading_ = false;
  if (ec) {
    return Fail(kRetClientNetworkError, ec == asio::error::eof ? "connection closed by the server"
                                                               : "read error: " + ec.message());
  }
  in_.Commit(n);
  if (ProcessInput()) Read();
}

// Hot path: decode each complete response and complete its call on this thread.
bool ClientConnection::ProcessInput() {
  const size_t max_frame_size = shared_.options.max_frame_size;
  while (true) {
    std::string_view data = in_.Data();
    FrameHeader header;
    size_t size = 0;
    CodecError error = PeekFrame(data, max_frame_size, &header, &size);
    if (error != CodecError::kOk) {
      Fail(kRetClientNetworkError,
           "unreadable response stream: " + std::string(CodecErrorName(error)));
      return false;
    }
    if (size == 0) {
      want_ = data.size() >= kFrameHeaderSize ? header.total_size : 0;
      return true;
    }
    want_ = 0;
    ResponseFrame frame;
    error = DecodeResponseFrame(data.substr(0, size), max_frame_size, &frame);
    if (error != CodecError::kOk) {
      ResponseHead head;  // the call this frame answers, if its header still decodes
      if (size >= kFrameHeaderSize + header.proto_header_size &&
          DecodeResponseHead(data.substr(kFrameHeaderSize, header.proto_header_size), &head) ==
              CodecError::kOk) {
        auto it = pending_.find(head.request_id);
        if (it != pending_.end()) {
          auto call = std::move(it->second);
          pending_.erase(it);
          call->Fail(kRetClientDecodeError,
                     "cannot decode the response: " + std::string(CodecErrorName(error)));
        }
      }
      Fail(kRetClientNetworkError,
           "undecodable response on the connection: " + std::string(CodecErrorName(error)));
      return false;
    }
    auto it = pending_.find(frame.head.request_id);
    if (it != pending_.end()) {  // else: a late answer to a call that timed out
      std::shared_ptr<ClientCallImpl> call = std::move(it->second);
      pending_.erase(it);
      CallResult& result = call->result();
      result.ret = frame.head.ret;
      result.func_ret = frame.head.func_ret;
      result.error_msg.assign(frame.head.error_msg);
      result.body.assign(frame.body);
      result.attachment.assign(frame.attachment);
      if (!frame.head.trans_info.empty()) result.trans_info = ToTransInfo(frame.head.trans_info);
      result.content_type = frame.head.content_type;
      call->Complete();
    }
    in_.Consume(size);
  }
}

void ClientConnection::Flush() {
  if (writing_ || out_.empty() || state_ != State::kConnected) return;
  writing_ = true;
  std::swap(out_, wbuf_);
  std::swap(oneway_queued_, oneway_writing_);
  asio::async_write(*socket_, asio::buffer(wbuf_),
                    [self = shared_from_this(), generation = generation_](
                        const asio::error_code& ec, size_t) { self->OnWrite(generation, ec); });
}

void ClientConnection::OnWrite(uint64_t generation, const asio::error_code& ec) {
  if (generation != generation_) return;
  writing_ = false;
  wbuf_.clear();
  if (ec) return Fail(kRetClientNetworkError, "write error: " + ec.message());
  if (!oneway_writing_.empty()) {
    auto written = std::move(oneway_writing_);
    oneway_writing_.clear();
    for (auto& call : written) call->Complete();  // oneway: ok once written
  }
  Flush();
}

void ClientConnection::TrackDeadline(const ClientCallImpl& call) {
  if (deadlines_.size() > 2 * pending_.size() + kCompactSlack) {
    std::erase_if(deadlines_,
                  [this](const Deadline& d) { return !pending_.contains(d.request_id); });
    std::make_heap(deadlines_.begin(), deadlines_.end(), Later);
  }
  deadlines_.push_back(Deadline{call.deadline(), call.request_id()});
  std::push_heap(deadlines_.begin(), deadlines_.end(), Later);
  if (call.deadline() < deadline_armed_) ArmDeadlineTimer();
}

void ClientConnection::ArmDeadlineTimer() {
  if (deadlines_.empty()) {
    deadline_armed_ = Clock::time_point::max();
    return;
  }
  deadline_armed_ = deadlines_.front().at;
  deadline_timer_.expires_at(deadline_armed_);
  deadline_timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
    if (!ec) self->OnDeadlineTimer();
  });
}

void ClientConnection::OnDeadlineTimer() {
  const Clock::time_point now = Clock::now();
  while (!deadlines_.empty() && deadlines_.front().at <= now) {
    std::pop_heap(deadlines_.begin(), deadlines_.end(), Later);
    Deadline expired = deadlines_.back();
    deadlines_.pop_back();
    auto it = pending_.find(expired.request_id);
    if (it == pending_.end() || it->second->deadline() != expired.at) continue;
    std::shared_ptr<ClientCallImpl> call = std::move(it->second);
    pending_.erase(it);  // a late response is dropped
    call->Fail(kRetClientInvokeTimeout,
               "client timeout after " + std::to_string(call->timeout_ms()) + " ms");
  }
  ArmDeadlineTimer();
}

}  // namespace tracewire::trpc::internal
