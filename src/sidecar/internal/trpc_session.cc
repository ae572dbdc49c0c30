#include "sidecar/internal/trpc_session.h"

#include <algorithm>
#include <asio/write.hpp>
#include <memory>

#include "sidecar/internal/socket_util.h"
#include "sidecar/internal/tcp_relay.h"
#include "sidecar/internal/trpc_call.h"
#include "sidecar/internal/trpc_upstream.h"
#include "sidecar/trpc_rewrite.h"
#include "trace/sdk/tracer.h"
#include "trpc/frame_codec.h"

namespace tracewire::sidecar::internal {
namespace {

constexpr size_t kReadChunk = size_t{16} * 1024;

struct FuncParts {
  std::string_view service;
  std::string_view method;
};

// "/pkg.Service/Method" -> {"pkg.Service", "Method"}.
FuncParts SplitFunc(std::string_view func) {
  if (!func.empty() && func.front() == '/') func.remove_prefix(1);
  const size_t slash = func.rfind('/');
  if (slash == std::string_view::npos) return {{}, func};
  return {func.substr(0, slash), func.substr(slash + 1)};
}

class Session final : public CallOwner, public std::enable_shared_from_this<Session> {
 public:
  Session(ListenerContext& ctx, asio::ip::tcp::socket socket, ActiveConnection active)
      : ctx_(ctx), socket_(std::move(socket)), active_(std::move(active)) {
    PeerOf(socket_, &peer_address_, &peer_port_);
  }

  void Start(std::string initial) {
    in_ = std::move(initial);
    if (!OnData()) return;
    StartRead();
  }

  void WriteResponse(std::string_view frame) override {
    if (closed_) return;
    out_.Append(frame);
    out_.Flush(socket_, shared_from_this(), &Session::Close);
  }

 private:
  void StartRead() {
    ReadAppend(socket_, &in_, kReadChunk, [self = shared_from_this()](const asio::error_code& ec) {
      if (ec) return self->Close();
      if (self->OnData()) self->StartRead();
    });
  }

  // Handles every whole frame buffered; false once the connection is gone or relayed.
  bool OnData() {
    size_t at = 0;
    while (!closed_) {
      std::string_view data(in_.data() + at, in_.size() - at);
      trpc::FrameHeader header;
      size_t size = 0;
      if (trpc::PeekFrame(data, ctx_.max_frame_size, &header, &size) != trpc::CodecError::kOk) {
        return FallBack(at);
      }
      if (size == 0) break;
      if (!HandleFrame(data.substr(0, size))) return FallBack(at);
      at += size;
    }
    in_.erase(0, at);
    return !closed_;
  }

  // Relays the rest of the connection, from byte `at` of in_, untouched.
  bool FallBack(size_t at) {
    ctx_.metrics->malformed_frames.fetch_add(1, std::memory_order_relaxed);
    closed_ = true;
    StartTcpRelay(ctx_, std::move(socket_), in_.substr(at), std::move(active_));
    return false;
  }

  // HOT PATH: one decode, one span, one rewrite into one frame string.
  bool HandleFrame(std::string_view frame) {
    trpc::RequestFrame req;
    if (trpc::DecodeRequestFrame(frame, ctx_.max_frame_size, &req) != trpc::CodecError::kOk) {
      return false;
    }
    PendingCall call;
    call.start = std::chrono::steady_clock::now();
    call.owner = weak_from_this();
    call.downstream_id = req.head.request_id;
    call.call_type = req.head.call_type;
    // The request's own timeout when it names one, never more than the cluster's.
    const auto timeout =
        req.head.timeout_ms > 0
            ? std::min(std::chrono::milliseconds(req.head.timeout_ms), ctx_.cluster.request_timeout)
            : ctx_.cluster.request_timeout;
    call.deadline = call.start + timeout;

    trace::Context parent;
    if (!req.head.trans_info.empty()) {
      TransInfoViewCarrier carrier(req.head.trans_info);
      parent = ctx_.propagators->extract->Extract(carrier, parent);
    }
    trace::StartSpanOptions start;
    start.kind = ctx_.config.kind == ListenerKind::kOutbound ? trace::SpanKind::kClient
                                                             : trace::SpanKind::kServer;
    start.parent = &parent;
    call.span = ctx_.telemetry->tracer().StartSpan(req.head.func, start);

    TrpcUpstream& upstream = ctx_.trpc_pool->Pick();
    SetStartAttributes(call.span, req, frame.size(), upstream.endpoint());

    carrier_.Clear();
    ctx_.propagators->inject->Inject(trace::ContextWithSpan(call.span, parent), carrier_);
    const uint32_t id = upstream.NextId();
    head_.clear();
    const std::string_view proto_head =
        frame.substr(trpc::kFrameHeaderSize, req.header.proto_header_size);
    const std::string_view tail =
        frame.substr(trpc::kFrameHeaderSize + req.header.proto_header_size);
    std::string out;
    if (!RewriteRequestHead(proto_head, id, TraceKeys(), carrier_.Entries(), &head_) ||
        AppendRewrittenFrame(req.header, id, head_, tail, ctx_.max_frame_size, &out) !=
            trpc::CodecError::kOk) {
      call.span = trace::Span();  // not proxied: the relay takes the frame as it is
      return false;
    }
    upstream.Send(id, std::move(call), out);
    return true;
  }

  void SetStartAttributes(trace::Span& span, const trpc::RequestFrame& req, size_t size,
                          const asio::ip::tcp::endpoint& upstream) {
    if (!span.IsRecording()) return;
    const FuncParts func = SplitFunc(req.head.func);
    span.SetAttribute("rpc.system", "trpc");
    span.SetAttribute("rpc.service", func.service);
    span.SetAttribute("rpc.method", func.method);
    span.SetAttribute("trpc.caller_service", req.head.caller);
    span.SetAttribute("trpc.callee_service", req.head.callee);
    span.SetAttribute("trpc.callee_method", func.method);
    span.SetAttribute("trpc.request_size", size);
    if (req.head.call_type == trpc::kCallTypeOneway) span.SetAttribute("trpc.oneway", true);
    span.SetAttribute("tracewire.sidecar.listener", ctx_.config.name);
    if (ctx_.config.kind == ListenerKind::kOutbound) {
      span.SetAttribute("server.address", upstream.address().to_string());
      span.SetAttribute("server.port", upstream.port());
      span.SetAttribute("network.peer.address", upstream.address().to_string());
      span.SetAttribute("network.peer.port", upstream.port());
    } else {
      span.SetAttribute("server.address", ctx_.local_address);
      span.SetAttribute("server.port", ctx_.local_port);
      span.SetAttribute("network.peer.address", peer_address_);
      span.SetAttribute("network.peer.port", peer_port_);
    }
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    asio::error_code ignored;
    socket_.close(ignored);
  }

  ListenerContext& ctx_;
  asio::ip::tcp::socket socket_;
  ActiveConnection active_;
  std::string peer_address_;
  uint16_t peer_port_ = 0;
  bool closed_ = false;
  std::string in_;
  WriteQueue out_;
  EntryListCarrier carrier_;
  std::string head_;
};

}  // namespace

void StartTrpcSession(ListenerContext& ctx, asio::ip::tcp::socket socket, std::string initial,
                      ActiveConnection active) {
  std::make_shared<Session>(ctx, std::move(socket), std::move(active))->Start(std::move(initial));
}

}  // namespace tracewire::sidecar::internal
