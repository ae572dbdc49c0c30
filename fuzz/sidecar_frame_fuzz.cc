// The sidecar's per-connection byte handling on any input: sniffing must be consistent with
// every prefix, and every tRPC frame it would proxy must survive the rewrite (new request id,
// trace entries replaced) as a frame that decodes to the same call with the same body and
// attachment (a response always: re-encoded when the byte-level rewrite refuses it), and every
// stream INIT it rewrites must decode to the same stream with the new trace context. Aborts on
// any mismatch.
#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sidecar/propagation.h"
#include "sidecar/sniff.h"
#include "sidecar/trpc_rewrite.h"
#include "trpc/frame_codec.h"

using namespace tracewire;  // NOLINT(google-build-using-namespace): fuzz driver

namespace {

void CheckSniff(std::string_view input) {
  const sidecar::SniffResult full =
      sidecar::SniffProtocol(input.substr(0, sidecar::kMaxSniffBytes));
  if (input.size() >= sidecar::kMaxSniffBytes && full == sidecar::SniffResult::kNeedMore) abort();
  for (size_t n = 0; n <= std::min(input.size(), sidecar::kMaxSniffBytes); ++n) {
    const sidecar::SniffResult r = sidecar::SniffProtocol(input.substr(0, n));
    if (r != sidecar::SniffResult::kNeedMore && r != full) abort();  // a decision never changes
  }
}

void CheckRequest(std::string_view frame, const trpc::RequestFrame& req) {
  const std::array<sidecar::TransInfoPair, 2> add = {
      sidecar::TransInfoPair{"traceparent",
                             "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
      sidecar::TransInfoPair{"grpc-trace-bin", std::string_view("\0\x01\x02", 3)}};
  std::string head;
  const std::string_view proto = frame.substr(trpc::kFrameHeaderSize, req.header.proto_header_size);
  const std::string_view tail = frame.substr(trpc::kFrameHeaderSize + req.header.proto_header_size);
  // The rewrite may refuse what the codec's more lenient varints accept (bits past 64): the
  // sidecar then relays the frame untouched. What it accepts must round-trip.
  if (!sidecar::RewriteRequestHead(proto, 4242, sidecar::TraceKeys(), add, &head)) return;
  std::string out;
  if (sidecar::AppendRewrittenFrame(req.header, 4242, head, tail, size_t{1} << 30, &out) !=
      trpc::CodecError::kOk) {
    return;  // past the proto header limit: the sidecar relays such a frame untouched
  }
  trpc::RequestFrame again;
  if (trpc::DecodeRequestFrame(out, size_t{1} << 30, &again) != trpc::CodecError::kOk) abort();
  if (again.head.request_id != 4242 || again.head.func != req.head.func ||
      again.head.callee != req.head.callee || again.head.timeout_ms != req.head.timeout_ms ||
      again.body != req.body || again.attachment != req.attachment) {
    abort();
  }
  const std::string_view* tp = trpc::FindTransInfo(again.head.trans_info, "traceparent");
  if (tp == nullptr || *tp != add[0].second) abort();
  if (trpc::FindTransInfo(again.head.trans_info, "b3") != nullptr) abort();
}

void CheckResponse(std::string_view frame, const trpc::ResponseFrame& rsp) {
  std::string head;
  const std::string_view proto = frame.substr(trpc::kFrameHeaderSize, rsp.header.proto_header_size);
  const std::string_view tail = frame.substr(trpc::kFrameHeaderSize + rsp.header.proto_header_size);
  std::string out;
  if (!sidecar::RewriteResponseRequestId(proto, 7, &head)) {
    // What the sidecar then does: re-encode the decoded head under the new id.
    trpc::ResponseHead copy = rsp.head;
    copy.request_id = 7;
    if (trpc::AppendResponseFrame(copy, rsp.body, rsp.attachment, size_t{1} << 30, &out) !=
        trpc::CodecError::kOk) {
      return;
    }
  } else if (sidecar::AppendRewrittenFrame(rsp.header, 7, head, tail, size_t{1} << 30, &out) !=
             trpc::CodecError::kOk) {
    return;
  }
  trpc::ResponseFrame again;
  if (trpc::DecodeResponseFrame(out, size_t{1} << 30, &again) != trpc::CodecError::kOk) abort();
  if (again.head.request_id != 7 || again.head.ret != rsp.head.ret ||
      again.head.func_ret != rsp.head.func_ret || again.body != rsp.body ||
      again.attachment != rsp.attachment) {
    abort();
  }
}

void CheckStreamInit(const trpc::StreamFrame& stream) {
  trpc::StreamInitMeta meta;
  if (stream.header.stream_frame_type != trpc::StreamFrameType::kInit ||
      trpc::DecodeStreamInitMeta(stream.meta, &meta) != trpc::CodecError::kOk) {
    return;  // the sidecar starts no span and relays the frame untouched
  }
  const std::array<sidecar::TransInfoPair, 1> add = {sidecar::TransInfoPair{
      "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}};
  std::string rewritten;
  if (!sidecar::RewriteStreamInitMeta(stream.meta, sidecar::TraceKeys(), add, &rewritten)) {
    return;  // relayed untouched
  }
  std::string out;
  if (sidecar::AppendRewrittenStreamFrame(stream.header, rewritten, size_t{1} << 30, &out) !=
      trpc::CodecError::kOk) {
    return;
  }
  trpc::StreamFrame again;
  trpc::StreamInitMeta meta_again;
  if (trpc::DecodeStreamFrame(out, size_t{1} << 30, &again) != trpc::CodecError::kOk ||
      trpc::DecodeStreamInitMeta(again.meta, &meta_again) != trpc::CodecError::kOk) {
    abort();
  }
  const trpc::StreamInitRequestMeta& a = meta.request_meta;
  const trpc::StreamInitRequestMeta& b = meta_again.request_meta;
  if (again.header.stream_id != stream.header.stream_id || a.func != b.func ||
      a.caller != b.caller || a.callee != b.callee || a.message_type != b.message_type ||
      meta.init_window_size != meta_again.init_window_size ||
      meta.response_meta.ret != meta_again.response_meta.ret) {
    abort();
  }
  size_t traceparents = 0;
  for (const auto& [key, value] : b.trans_info) {
    if (key == "b3") abort();
    if (key == "traceparent" && (++traceparents > 1 || value != add[0].second)) abort();
  }
  if (traceparents != 1) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckSniff(input);
  if (sidecar::SniffProtocol(input.substr(0, sidecar::kMaxSniffBytes)) !=
      sidecar::SniffResult::kTrpc) {
    return 0;
  }
  std::string_view rest = input;
  constexpr size_t kMaxFrame = size_t{1} << 20;
  while (!rest.empty()) {
    trpc::FrameHeader header;
    size_t frame_size = 0;
    if (trpc::PeekFrame(rest, kMaxFrame, &header, &frame_size) != trpc::CodecError::kOk ||
        frame_size == 0) {
      break;  // the sidecar relays from here on
    }
    const std::string_view frame = rest.substr(0, frame_size);
    trpc::RequestFrame req;
    if (trpc::DecodeRequestFrame(frame, kMaxFrame, &req) == trpc::CodecError::kOk) {
      CheckRequest(frame, req);
    }
    trpc::ResponseFrame rsp;
    if (trpc::DecodeResponseFrame(frame, kMaxFrame, &rsp) == trpc::CodecError::kOk) {
      CheckResponse(frame, rsp);
    }
    trpc::StreamFrame stream;
    if (trpc::DecodeStreamFrame(frame, kMaxFrame, &stream) == trpc::CodecError::kOk) {
      CheckStreamInit(stream);
    }
    rest.remove_prefix(frame_size);
  }
  return 0;
}
