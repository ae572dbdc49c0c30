#include "sidecar/internal/trpc_stream_observer.h"

#include <chrono>
#include <string>
#include <unordered_map>

#include "sidecar/internal/trpc_call.h"
#include "trace/sdk/tracer.h"
#include "trpc/frame_codec.h"
#include "trpc/protocol.h"
#include "trpc/ret_code.h"

namespace tracewire::sidecar::internal {
namespace {

constexpr size_t kMaxOpenStreams = 1024;

struct OpenStream {
  trace::Span span;
  std::chrono::steady_clock::time_point start;
  uint64_t sent = 0;      // DATA frames client -> server
  uint64_t received = 0;  // DATA frames server -> client
};

class StreamObserver final : public RelayObserver {
 public:
  StreamObserver(ListenerContext& ctx, std::string peer_address, uint16_t peer_port)
      : ctx_(ctx), peer_address_(std::move(peer_address)), peer_port_(peer_port) {}

  void OnBytes(bool upstream_bound, std::string_view bytes) override {
    if (!observing_) return;
    std::string& buf = upstream_bound ? to_server_ : to_client_;
    buf.append(bytes);
    size_t at = 0;
    while (observing_) {
      const std::string_view data(buf.data() + at, buf.size() - at);
      trpc::FrameHeader header;
      size_t size = 0;
      if (trpc::PeekFrame(data, ctx_.max_frame_size, &header, &size) != trpc::CodecError::kOk) {
        return StopObserving();
      }
      if (size == 0) break;
      if (header.data_frame_type == trpc::DataFrameType::kStream) {
        OnStreamFrame(upstream_bound, data.substr(0, size));
      }
      at += size;
    }
    if (observing_) buf.erase(0, at);
  }

  void OnEnd() override {
    for (auto& [id, stream] : streams_)
      End(stream, trpc::kRetClientNetworkError, 0, "sidecar: connection closed mid-stream");
    streams_.clear();
  }

 private:
  void StopObserving() {
    observing_ = false;
    to_server_.clear();
    to_client_.clear();
  }

  void OnStreamFrame(bool from_client, std::string_view bytes) {
    trpc::StreamFrame frame;
    if (trpc::DecodeStreamFrame(bytes, ctx_.max_frame_size, &frame) != trpc::CodecError::kOk) {
      return StopObserving();
    }
    const uint32_t id = frame.header.stream_id;
    const trpc::StreamFrameType type = frame.header.stream_frame_type;
    if (type == trpc::StreamFrameType::kInit && from_client) return Begin(id, frame.meta);
    auto it = streams_.find(id);
    if (it == streams_.end()) return;
    OpenStream& stream = it->second;
    switch (type) {
      case trpc::StreamFrameType::kData: ++(from_client ? stream.sent : stream.received); return;
      case trpc::StreamFrameType::kInit: {  // the server's answer to INIT
        trpc::StreamInitMeta meta;
        if (trpc::DecodeStreamInitMeta(frame.meta, &meta) == trpc::CodecError::kOk &&
            meta.response_meta.ret != 0) {
          End(stream, meta.response_meta.ret, 0, meta.response_meta.error_msg);
          streams_.erase(it);
        }
        return;
      }
      case trpc::StreamFrameType::kClose: {
        trpc::StreamCloseMeta meta;
        const bool decoded =
            trpc::DecodeStreamCloseMeta(frame.meta, &meta) == trpc::CodecError::kOk;
        const bool reset = decoded && meta.close_type == 1;
        // The client's CLOSE ends its sending only; the server's CLOSE or any RESET ends it.
        if (from_client && !reset) return;
        int32_t ret = decoded ? meta.ret : 0;
        if (reset && ret == 0) ret = trpc::kRetUnknown;
        End(stream, ret, decoded ? meta.func_ret : 0, decoded ? meta.msg : std::string_view{});
        streams_.erase(it);
        return;
      }
      default: return;  // FEEDBACK: flow control only
    }
  }

  void Begin(uint32_t id, std::string_view meta_bytes) {
    trpc::StreamInitMeta meta;
    if (trpc::DecodeStreamInitMeta(meta_bytes, &meta) != trpc::CodecError::kOk) return;
    if (streams_.size() >= kMaxOpenStreams || streams_.contains(id)) return;
    const trpc::StreamInitRequestMeta& req = meta.request_meta;
    OpenStream stream;
    stream.start = std::chrono::steady_clock::now();
    trace::Context parent;
    stream.span = StartTrpcSpan(ctx_, req.func, req.trans_info, &parent);
    if (stream.span.IsRecording()) {
      trace::Span& span = stream.span;
      SetTrpcCallAttributes(span, req.func, req.caller, req.callee);
      span.SetAttribute("trpc.stream", true);
      span.SetAttribute("tracewire.sidecar.listener", ctx_.config.name);
      span.SetAttribute("network.peer.address", peer_address_);
      span.SetAttribute("network.peer.port", peer_port_);
    }
    streams_.emplace(id, std::move(stream));
  }

  void End(OpenStream& stream, int32_t ret, int32_t func_ret, std::string_view msg) {
    RequestMetrics& m = ctx_.metrics->trpc;
    m.requests.fetch_add(1, std::memory_order_relaxed);
    if (ret != 0 || func_ret != 0) m.errors.fetch_add(1, std::memory_order_relaxed);
    m.latency.Observe(MicrosSince(stream.start));
    if (stream.span.IsRecording()) {
      stream.span.SetAttribute("trpc.stream.sent_messages", stream.sent);
      stream.span.SetAttribute("trpc.stream.received_messages", stream.received);
    }
    SetTrpcResult(stream.span, ret, func_ret, msg, 0);
    stream.span.End();
  }

  ListenerContext& ctx_;
  std::string peer_address_;
  uint16_t peer_port_;
  bool observing_ = true;
  std::string to_server_;  // bytes of the frame in progress, each way
  std::string to_client_;
  std::unordered_map<uint32_t, OpenStream> streams_;
};

}  // namespace

std::unique_ptr<RelayObserver> MakeTrpcStreamObserver(ListenerContext& ctx,
                                                      std::string peer_address,
                                                      uint16_t peer_port) {
  return std::make_unique<StreamObserver>(ctx, std::move(peer_address), peer_port);
}

}  // namespace tracewire::sidecar::internal
