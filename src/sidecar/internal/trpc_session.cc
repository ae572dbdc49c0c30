#include "sidecar/internal/trpc_session.h"

#include <algorithm>
#include <asio/write.hpp>
#include <memory>

#include "sidecar/internal/socket_util.h"
#include "sidecar/internal/tcp_relay.h"
#include "sidecar/internal/trpc_call.h"
#include "sidecar/internal/trpc_stream_observer.h"
#include "sidecar/internal/trpc_upstream.h"
#include "sidecar/trpc_rewrite.h"
#include "trace/sdk/tracer.h"
#include "trpc/frame_codec.h"
#include "trpc/ret_code.h"

namespace tracewire::sidecar::internal {
namespace {

constexpr size_t kReadChunk = size_t{16} * 1024;

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

  // The response under the downstream's request id; every other byte as the upstream sent it.
  void CallAnswered(PendingCall& call, const trpc::ResponseFrame& rsp,
                    std::string_view frame) override {
    const std::string_view proto_head =
        frame.substr(trpc::kFrameHeaderSize, rsp.header.proto_header_size);
    const std::string_view tail =
        frame.substr(trpc::kFrameHeaderSize + rsp.header.proto_header_size);
    head_.clear();
    out_frame_.clear();
    trpc::CodecError encoded = trpc::CodecError::kBadProtocolHeader;
    if (RewriteResponseRequestId(proto_head, call.downstream_id, &head_)) {
      encoded = AppendRewrittenFrame(rsp.header, call.downstream_id, head_, tail,
                                     ctx_.max_frame_size, &out_frame_);
    } else {
      // Bytes the codec accepted but the byte-level rewrite refuses (e.g. varints with bits
      // past 64): re-encoded from the decoded head, unknown fields lost.
      trpc::ResponseHead head = rsp.head;
      head.request_id = call.downstream_id;
      encoded = trpc::AppendResponseFrame(head, rsp.body, rsp.attachment, ctx_.max_frame_size,
                                          &out_frame_);
    }
    if (encoded != trpc::CodecError::kOk) {
      return CallFailed(call, trpc::kRetClientDecodeError, "sidecar: response not rewritable");
    }
    // HOT PATH: counted, answered, then the span, so its cost is not in the client's latency.
    CountCall(call, rsp.head.ret, rsp.head.func_ret);
    Write(out_frame_);
    EndCallSpan(call, rsp.head.ret, rsp.head.func_ret, rsp.head.error_msg, frame.size());
    Answered();
  }

  // A framework error written by the sidecar.
  void CallFailed(PendingCall& call, int32_t ret, std::string_view error_msg) override {
    CountCall(call, ret, 0);
    if (call.call_type != trpc::kCallTypeOneway) {
      trpc::ResponseHead head;
      head.request_id = call.downstream_id;
      head.call_type = call.call_type;
      head.ret = ret;
      head.error_msg = error_msg;
      out_frame_.clear();
      if (trpc::AppendResponseFrame(head, {}, {}, ctx_.max_frame_size, &out_frame_) ==
          trpc::CodecError::kOk) {
        Write(out_frame_);
      }
    }
    EndCallSpan(call, ret, 0, error_msg, 0);
    if (call.call_type != trpc::kCallTypeOneway) Answered();
  }

 private:
  void Write(std::string_view frame) {
    if (closed_) return;
    out_.Append(frame);
    out_.Flush(socket_, shared_from_this(), &Session::Close, &Session::HandOver);
  }

  // One of the awaited answers went out (or failed): a relay waiting for it may start.
  void Answered() {
    --awaited_;
    HandOver();
  }

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

  // Relays the rest of the connection, from byte `at` of in_, untouched; a streaming frame
  // there gets its streams traced as they pass. The relay starts once every call proxied
  // before has its answer written, so none is lost; until then the client is not read.
  bool FallBack(size_t at) {
    trpc::FrameHeader header;
    size_t size = 0;
    const std::string_view rest = std::string_view{in_}.substr(at);
    if (trpc::PeekFrame(rest, ctx_.max_frame_size, &header, &size) == trpc::CodecError::kOk &&
        header.data_frame_type == trpc::DataFrameType::kStream) {
      relay_observer_ = MakeTrpcStreamObserver(ctx_, peer_address_, peer_port_);
    } else {
      ctx_.metrics->malformed_frames.fetch_add(1, std::memory_order_relaxed);
    }
    in_.erase(0, at);
    handing_over_ = true;
    HandOver();
    return false;
  }

  // Starts the relay FallBack asked for, once nothing is awaited or being written.
  void HandOver() {
    if (!handing_over_ || closed_ || awaited_ > 0 || !out_.idle()) return;
    closed_ = true;
    StartTcpRelay(ctx_, std::move(socket_), std::move(in_), std::move(active_),
                  std::move(relay_observer_));
  }

  // HOT PATH: one decode, one span, one rewrite into one frame string.
  bool HandleFrame(std::string_view frame) {
    trpc::RequestFrame req;
    if (trpc::DecodeRequestFrame(frame, ctx_.max_frame_size, &req) != trpc::CodecError::kOk) {
      return false;
    }
    PendingCall call;
    call.start = std::chrono::steady_clock::now();
    call.owner = shared_from_this();
    call.listener = &ctx_;
    call.downstream_id = req.head.request_id;
    call.call_type = req.head.call_type;
    // Every call but a oneway one ends in CallAnswered or CallFailed.
    if (call.call_type != trpc::kCallTypeOneway) ++awaited_;

    trace::Context parent;
    call.span = StartTrpcSpan(ctx_, req.head.func, req.head.trans_info, &parent);

    ClusterContext* cluster = ctx_.RouteTrpc(req.head.func, req.head.callee);
    if (cluster == nullptr || cluster->config.protocol == ClusterProtocol::kHttp) {
      SetStartAttributes(call.span, req, frame.size(), nullptr);
      CallFailed(
          call, trpc::kRetClientRouterError,
          cluster == nullptr ? "sidecar: no route" : "sidecar: the route's cluster speaks HTTP");
      return true;
    }
    // The request's own timeout when it names one, never more than the cluster's.
    const auto limit = cluster->config.request_timeout;
    const auto timeout = req.head.timeout_ms > 0
                             ? std::min(std::chrono::milliseconds(req.head.timeout_ms), limit)
                             : limit;
    call.deadline = call.start + timeout;

    TrpcUpstream& upstream = cluster->trpc_pool->Pick(ctx_.metrics);
    SetStartAttributes(call.span, req, frame.size(), &upstream.endpoint());

    carrier_.Clear();
    ctx_.propagators->inject->Inject(trace::ContextWithSpan(call.span, parent), carrier_);
    const uint32_t id = upstream.NextId();
    head_.clear();
    const std::string_view proto_head =
        frame.substr(trpc::kFrameHeaderSize, req.header.proto_header_size);
    const std::string_view tail =
        frame.substr(trpc::kFrameHeaderSize + req.header.proto_header_size);
    out_frame_.clear();
    if (!RewriteRequestHead(proto_head, id, TraceKeys(), carrier_.Entries(), &head_) ||
        AppendRewrittenFrame(req.header, id, head_, tail, ctx_.max_frame_size, &out_frame_) !=
            trpc::CodecError::kOk) {
      call.span = trace::Span();  // not proxied: the relay takes the frame as it is
      if (call.call_type != trpc::kCallTypeOneway) --awaited_;
      return false;
    }
    upstream.Send(id, std::move(call), out_frame_);
    return true;
  }

  void SetStartAttributes(trace::Span& span, const trpc::RequestFrame& req, size_t size,
                          const asio::ip::tcp::endpoint* upstream) {
    if (!span.IsRecording()) return;
    SetTrpcCallAttributes(span, req.head.func, req.head.caller, req.head.callee);
    span.SetAttribute("trpc.request_size", size);
    if (req.head.call_type == trpc::kCallTypeOneway) span.SetAttribute("trpc.oneway", true);
    span.SetAttribute("tracewire.sidecar.listener", ctx_.config.name);
    if (ctx_.config.kind == ListenerKind::kOutbound) {
      if (upstream == nullptr) return;
      span.SetAttribute("server.address", upstream->address().to_string());
      span.SetAttribute("server.port", upstream->port());
      span.SetAttribute("network.peer.address", upstream->address().to_string());
      span.SetAttribute("network.peer.port", upstream->port());
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
  size_t awaited_ = 0;         // calls proxied whose answer is not written yet
  bool handing_over_ = false;  // FallBack: the relay starts once awaited_ is 0 and out_ idle
  std::unique_ptr<RelayObserver> relay_observer_;  // for that relay
  std::string in_;
  WriteQueue out_;
  EntryListCarrier carrier_;
  std::string head_;
  std::string out_frame_;
};

}  // namespace

void StartTrpcSession(ListenerContext& ctx, asio::ip::tcp::socket socket, std::string initial,
                      ActiveConnection active) {
  std::make_shared<Session>(ctx, std::move(socket), std::move(active))->Start(std::move(initial));
}

}  // namespace tracewire::sidecar::internal
