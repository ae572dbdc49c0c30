#include "trpc/internal/server_connection.h"

#include <asio/write.hpp>
#include <exception>
#include <typeinfo>
#include <utility>

#include "trace/sdk/context_scope.h"
#include "trpc/frame_codec.h"
#include "trpc/internal/server_call_impl.h"
#include "trpc/internal/server_loop.h"
#include "trpc/internal/server_shared.h"
#include "trpc/ret_code.h"

namespace tracewire::trpc::internal {
namespace {

constexpr std::chrono::milliseconds kLingerTime{1000};  // after an error response
constexpr size_t kMaxLingerBytes = 1 << 20;             // discarded before closing anyway
constexpr size_t kKeepWriteBuffer = 1 << 20;            // bytes of write buffer kept when idle

}  // namespace

ServerConnection::ServerConnection(asio::ip::tcp::socket socket, ServerLoop& loop,
                                   std::shared_ptr<ServerShared> shared)
    : socket_(std::make_unique<asio::ip::tcp::socket>(std::move(socket))),
      loop_(loop),
      io_loop_(&loop.loop()),
      gate_(loop.gate()),
      shared_(std::move(shared)) {}

void ServerConnection::Start() {
  asio::error_code ec;
  socket_->set_option(asio::ip::tcp::no_delay(true), ec);
  auto local = socket_->local_endpoint(ec);
  if (!ec) {
    endpoints_.local_address = local.address().to_string();
    endpoints_.local_port = local.port();
  }
  auto peer = socket_->remote_endpoint(ec);
  if (!ec) {
    endpoints_.peer_address = peer.address().to_string();
    endpoints_.peer_port = peer.port();
  }
  last_activity_ = Clock::now();
  loop_.Add(shared_from_this());
  if (shared_->draining.load(std::memory_order_acquire)) return Close();
  Read();
}

bool ServerConnection::CanRead() const {
  return !closed_ && !close_after_write_ && !reading_ &&
         in_flight_ < shared_->options.max_in_flight_per_connection;
}

void ServerConnection::Read() {
  if (!CanRead()) return;
  reading_ = true;
  size_t writable = 0;
  char* tail = in_.PrepareWrite(want_, &writable);
  socket_->async_read_some(
      asio::buffer(tail, writable),
      [self = shared_from_this()](const asio::error_code& ec, size_t n) { self->OnRead(ec, n); });
}

void ServerConnection::OnRead(const asio::error_code& ec, size_t n) {
  reading_ = false;
  if (closed_) return;
  if (lingering_) {  // discarding what the peer still sends after our error response
    in_.Commit(n);
    in_.Consume(in_.Data().size());
    lingered_bytes_ += n;
    if (ec || n == 0 || lingered_bytes_ > kMaxLingerBytes) return Close();
    return Linger();
  }
  if (ec) {
    if (!in_.empty()) {  // the peer stopped in the middle of a frame
      shared_->decode_errors.fetch_add(1, std::memory_order_relaxed);
    }
    return Close();
  }
  in_.Commit(n);
  last_activity_ = Clock::now();
  ProcessInput();
}

// Hot path: one PeekFrame per frame, then HandleFrame; the flush after the loop coalesces
// every response completed inline into one write.
void ServerConnection::ProcessInput() {
  const size_t max_frame_size = shared_->options.max_frame_size;
  const size_t max_in_flight = shared_->options.max_in_flight_per_connection;
  processing_ = true;
  while (!closed_ && !close_after_write_ && in_flight_ < max_in_flight) {
    std::string_view data = in_.Data();
    FrameHeader header;
    size_t size = 0;
    CodecError error = PeekFrame(data, max_frame_size, &header, &size);
    if (error != CodecError::kOk) {
      RejectMalformed(error, data);
      break;
    }
    if (size == 0) {
      want_ = data.size() >= kFrameHeaderSize ? header.total_size : 0;
      break;
    }
    want_ = 0;
    if (!HandleFrame(data.substr(0, size))) break;
    in_.Consume(size);
  }
  processing_ = false;
  Flush();
  if (draining_ && in_flight_ == 0 && !close_after_write_) CloseAfterFlush(false);
  Read();
}

// Hot path: allocations per request are the call object and its frame copy (plus what the
// CallContext needs: the service name when longer than the SSO buffer, trans_info entries).
bool ServerConnection::HandleFrame(std::string_view frame) {
  loop_.requests.store(loop_.requests.load(std::memory_order_relaxed) + 1,
                       std::memory_order_relaxed);  // single writer: no locked add
  auto call = std::make_shared<ServerCallImpl>(shared_from_this(), frame);
  CodecError error = call->Decode(*shared_);
  if (error != CodecError::kOk) {
    RejectMalformed(error, frame);
    return false;
  }
  if (draining_ || shared_->draining.load(std::memory_order_relaxed)) {
    // Shutting down: new calls are not started; the caller may retry elsewhere.
    if (!call->oneway()) {
      AppendErrorResponse(call->head().request_id, kRetServerOverload, "server is shutting down");
    }
    return true;
  }
  ++in_flight_;
  Dispatch(call);
  return true;
}

// Hot path: filters and handler run inline on the loop thread; no lock, no timer per request
// (only calls still unanswered when the handler returns go on the loop's deadline heap).
void ServerConnection::Dispatch(const std::shared_ptr<ServerCallImpl>& call) {
  ServerCallImpl& c = *call;
  const ServerFilters& filters = shared_->options.filters;
  {
    CallContextScope scope(&c.context());
    try {
      bool stopped = false;
      size_t ran = 0;
      for (const auto& filter : filters) {
        c.set_filters_ran(++ran);
        if (filter->OnRequest(c) == FilterStatus::kStop) {
          stopped = true;
          break;
        }
      }
      if (stopped) {
        c.Reply();
      } else {
        if (!filters.empty()) trace::SwapCurrentContext(c.context().trace);  // filters may set it
        auto it = shared_->handlers.find(c.head().func);
        if (it == shared_->handlers.end()) {
          c.response().ret = kRetServerNoFunc;
          c.response().error_msg = "no such func: " + std::string(c.head().func);
          c.Reply();
        } else {
          it->second(call);
        }
      }
    } catch (const std::exception& e) {
      c.HandlerThrew(DemangledTypeName(typeid(e)), e.what());
    } catch (...) {
      c.HandlerThrew("unknown", "a non-std::exception was thrown");
    }
  }
  if (c.head().timeout_ms > 0 && !c.completed()) loop_.Track(call);
}

void ServerConnection::Deliver(ServerCallImpl& call) {
  if (IoLoop::Current() == io_loop_) return WriteResponse(call);
  gate_->Post(
      [self = shared_from_this(), call = call.shared_from_this()] { self->WriteResponse(*call); });
}

// Hot path: encodes straight into the output buffer; while a write is in flight responses pile
// up there and leave together in the next write.
void ServerConnection::WriteResponse(ServerCallImpl& call) {
  --in_flight_;
  if (call.tracked) loop_.Untrack();
  if (closed_) return;
  if (!close_after_write_ && !call.oneway()) {
    const RequestHead& request = call.head();
    Response& response = call.response();
    ResponseHead head;
    head.version = request.version;
    head.call_type = request.call_type;
    head.request_id = request.request_id;
    head.ret = response.ret;
    head.func_ret = response.func_ret;
    head.error_msg = response.error_msg;
    // trpc-go echoes the request's trans_info; the response's own entries win. The views are
    // gathered in a per-thread scratch vector (hot path: no allocation once it has grown).
    static thread_local TransInfoView scratch;
    scratch.clear();
    for (const TransInfoEntry& e : request.trans_info) {
      if (!response.trans_info.contains(e.key)) scratch.push_back(e);
    }
    for (const auto& [key, value] : response.trans_info) scratch.push_back({key, value});
    head.trans_info = std::move(scratch);
    head.content_type = response.content_type;
    if (AppendResponseFrame(head, response.body, response.attachment,
                            shared_->options.max_frame_size, &out_) != CodecError::kOk) {
      AppendErrorResponse(request.request_id, kRetServerEncodeError,
                          "response exceeds the maximum frame size");
    }
    scratch = std::move(head.trans_info);
  }
  if (processing_) return;  // ProcessInput flushes once at the end
  if (in_flight_ + 1 == shared_->options.max_in_flight_per_connection && !in_.empty()) {
    return ProcessInput();  // frames were left waiting for a free slot
  }
  Flush();
  if (draining_ && in_flight_ == 0 && !close_after_write_) CloseAfterFlush(false);
  Read();
}

void ServerConnection::AppendErrorResponse(uint32_t request_id, int32_t ret,
                                           std::string_view message) {
  ResponseHead head;
  head.request_id = request_id;
  head.ret = ret;
  head.error_msg = message;
  (void)AppendResponseFrame(head, {}, {}, shared_->options.max_frame_size, &out_);
}

void ServerConnection::RejectMalformed(CodecError error, std::string_view data) {
  shared_->decode_errors.fetch_add(1, std::memory_order_relaxed);
  uint32_t request_id = 0;  // unknown unless the protocol header still decodes
  FrameHeader header;
  if (data.size() >= kFrameHeaderSize &&
      DecodeFrameHeader(data, shared_->options.max_frame_size, &header) == CodecError::kOk &&
      data.size() >= kFrameHeaderSize + header.proto_header_size) {
    RequestHead head;
    if (DecodeRequestHead(data.substr(kFrameHeaderSize, header.proto_header_size), &head) ==
        CodecError::kOk) {
      request_id = head.request_id;
    }
  }
  AppendErrorResponse(request_id, kRetServerDecodeError, CodecErrorName(error));
  CloseAfterFlush(/*linger=*/true);
}

void ServerConnection::Flush() {
  if (writing_ || out_.empty() || closed_) return;
  writing_ = true;
  std::swap(out_, wbuf_);
  asio::async_write(
      *socket_, asio::buffer(wbuf_),
      [self = shared_from_this()](const asio::error_code& ec, size_t) { self->OnWrite(ec); });
}

void ServerConnection::OnWrite(const asio::error_code& ec) {
  writing_ = false;
  wbuf_.clear();
  if (wbuf_.capacity() > kKeepWriteBuffer) wbuf_ = std::string();
  if (closed_) return;
  if (ec) return Close();
  last_activity_ = Clock::now();
  if (!out_.empty()) return Flush();
  if (close_after_write_) {
    if (linger_) return Linger();
    return Close();
  }
}

void ServerConnection::CloseAfterFlush(bool linger) {
  close_after_write_ = true;
  linger_ = linger;
  if (writing_ || !out_.empty()) return Flush();
  if (linger) return Linger();
  Close();
}

// After an error response: stop sending and discard what the peer still sends for a while, so
// the response is not lost to a reset caused by unread input; OnSweep closes it at the latest.
void ServerConnection::Linger() {
  if (closed_ || reading_) return;
  if (!lingering_) {
    lingering_ = true;
    linger_since_ = Clock::now();
    asio::error_code ignored;
    socket_->shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  }
  reading_ = true;
  size_t writable = 0;
  char* tail = in_.PrepareWrite(0, &writable);
  socket_->async_read_some(
      asio::buffer(tail, writable),
      [self = shared_from_this()](const asio::error_code& ec, size_t n) { self->OnRead(ec, n); });
}

void ServerConnection::OnSweep(Clock::time_point now) {
  if (closed_) return;
  if (lingering_) {
    if (now - linger_since_ >= kLingerTime) Close();
    return;
  }
  if (in_flight_ == 0 && !writing_ && now - last_activity_ >= shared_->options.idle_timeout) {
    Close();
  }
}

void ServerConnection::BeginDrain() {
  draining_ = true;
  if (in_flight_ == 0 && !close_after_write_) CloseAfterFlush(false);
}

void ServerConnection::Close() {
  if (closed_) return;
  closed_ = true;
  auto self = shared_from_this();  // Remove may drop the loop's reference
  asio::error_code ignored;
  socket_->shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_->close(ignored);
  socket_.reset();  // pending handlers hold no reference to the socket object
  loop_.Remove(this);
  {
    std::lock_guard lock(shared_->mu);
    --shared_->open_connections;
  }
  shared_->closed.notify_all();
}

}  // namespace tracewire::trpc::internal
