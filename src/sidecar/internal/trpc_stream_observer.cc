#include "sidecar/internal/trpc_stream_observer.h"

#include <chrono>
#include <string>
#include <unordered_map>

#include "sidecar/internal/trpc_call.h"
#include "sidecar/propagation.h"
#include "sidecar/trpc_rewrite.h"
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

  std::string_view OnBytes(bool upstream_bound, std::string_view bytes) override {
    if (!upstream_bound) {
      if (observing_) Parse(to_client_, bytes, false);
      return bytes;
    }
    forward_.clear();
    if (!observing_) {
      if (to_server_.empty()) return bytes;
      forward_.swap(to_server_);  // held back when the other direction stopped the parsing
      forward_.append(bytes);
      return forward_;
    }
    Parse(to_server_, bytes, true);
    return forward_;
  }

  std::string_view OnEof(bool upstream_bound) override {
    if (!upstream_bound) return {};
    forward_.clear();
    forward_.swap(to_server_);  // an incomplete last frame goes on as it is
    return forward_;
  }

  void OnEnd() override {
    for (auto& [id, stream] : streams_)
      End(stream, trpc::kRetClientNetworkError, 0, "sidecar: connection closed mid-stream");
    streams_.clear();
  }

 private:
  // Appends `bytes` to `buf` (the incomplete frame of that direction) and takes every whole
  // frame off it. Client -> server, the frames go to forward_ (an INIT rewritten) and the
  // incomplete one stays held back.
  void Parse(std::string& buf, std::string_view bytes, bool from_client) {
    buf.append(bytes);
    size_t at = 0;
    while (observing_) {
      const std::string_view data(buf.data() + at, buf.size() - at);
      trpc::FrameHeader header;
      size_t size = 0;
      if (trpc::PeekFrame(data, ctx_.max_frame_size, &header, &size) != trpc::CodecError::kOk) {
        StopObserving(from_client, data);
        break;
      }
      if (size == 0) break;
      const std::string_view frame = data.substr(0, size);
      const Verdict verdict = header.data_frame_type == trpc::DataFrameType::kStream
                                  ? OnStreamFrame(from_client, frame)
                                  : Verdict::kAsIs;  // unary frames: relayed untraced
      if (verdict == Verdict::kStop) {
        StopObserving(from_client, data);
        break;
      }
      if (from_client && verdict == Verdict::kAsIs) forward_.append(frame);
      at += size;
    }
    if (observing_) {
      buf.erase(0, at);
    } else {
      buf.clear();  // from the client, what was left went to forward_
    }
  }

  // Bytes that do not parse: from here on the connection is relayed as it is. `rest` (from
  // the client) is written on now; the client's incomplete frame, when the server's bytes
  // stopped the parsing, goes out with the client's next bytes or at its end.
  void StopObserving(bool from_client, std::string_view rest) {
    observing_ = false;
    if (from_client) forward_.append(rest);
    to_client_.clear();
  }

  // What becomes of a frame: written on as it is, already written on rewritten, or the end of
  // the parsing (bytes that do not decode).
  enum class Verdict { kAsIs, kRewritten, kStop };

  Verdict OnStreamFrame(bool from_client, std::string_view bytes) {
    trpc::StreamFrame frame;
    if (trpc::DecodeStreamFrame(bytes, ctx_.max_frame_size, &frame) != trpc::CodecError::kOk) {
      return Verdict::kStop;
    }
    const uint32_t id = frame.header.stream_id;
    const trpc::StreamFrameType type = frame.header.stream_frame_type;
    if (type == trpc::StreamFrameType::kInit && from_client) return Begin(frame);
    auto it = streams_.find(id);
    if (it != streams_.end()) Observe(from_client, type, frame.meta, it);
    return Verdict::kAsIs;
  }

  void Observe(bool from_client, trpc::StreamFrameType type, std::string_view meta_bytes,
               std::unordered_map<uint32_t, OpenStream>::iterator it) {
    OpenStream& stream = it->second;
    switch (type) {
      case trpc::StreamFrameType::kData: ++(from_client ? stream.sent : stream.received); return;
      case trpc::StreamFrameType::kInit: {  // the server's answer to INIT
        trpc::StreamInitMeta meta;
        if (trpc::DecodeStreamInitMeta(meta_bytes, &meta) == trpc::CodecError::kOk &&
            meta.response_meta.ret != 0) {
          End(stream, meta.response_meta.ret, 0, meta.response_meta.error_msg);
          streams_.erase(it);
        }
        return;
      }
      case trpc::StreamFrameType::kClose: {
        trpc::StreamCloseMeta meta;
        const bool decoded =
            trpc::DecodeStreamCloseMeta(meta_bytes, &meta) == trpc::CodecError::kOk;
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

  // The client's INIT: the stream's span starts, parented on its trans_info, and the frame goes
  // on with the span's context in place of the caller's (as is, when it cannot be rewritten).
  Verdict Begin(const trpc::StreamFrame& frame) {
    const uint32_t id = frame.header.stream_id;
    trpc::StreamInitMeta meta;
    if (trpc::DecodeStreamInitMeta(frame.meta, &meta) != trpc::CodecError::kOk) {
      return Verdict::kAsIs;
    }
    if (streams_.size() >= kMaxOpenStreams || streams_.contains(id)) return Verdict::kAsIs;
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
    carrier_.Clear();
    ctx_.propagators->inject->Inject(trace::ContextWithSpan(stream.span, parent), carrier_);
    streams_.emplace(id, std::move(stream));
    meta_.clear();
    if (RewriteStreamInitMeta(frame.meta, TraceKeys(), carrier_.Entries(), &meta_) &&
        AppendRewrittenStreamFrame(frame.header, meta_, ctx_.max_frame_size, &forward_) ==
            trpc::CodecError::kOk) {
      return Verdict::kRewritten;
    }
    return Verdict::kAsIs;
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
  std::string forward_;  // what goes to the server from the client's last bytes
  std::string meta_;     // a rewritten INIT meta
  EntryListCarrier carrier_;
  std::unordered_map<uint32_t, OpenStream> streams_;
};

}  // namespace

std::unique_ptr<RelayObserver> MakeTrpcStreamObserver(ListenerContext& ctx,
                                                      std::string peer_address,
                                                      uint16_t peer_port) {
  return std::make_unique<StreamObserver>(ctx, std::move(peer_address), peer_port);
}

}  // namespace tracewire::sidecar::internal
