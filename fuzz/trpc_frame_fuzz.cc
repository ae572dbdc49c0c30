// Fuzzes the tRPC codec: PeekFrame, every Decode*Frame and Decode*Meta on arbitrary bytes. A
// successful decode must re-encode and decode again to the same fields, and whatever the
// hand-written decoder accepts libprotobuf must accept too (with the same field values), unless
// libprotobuf reports a trans_info key that is not UTF-8 (proto3 `string` keys must be; we
// tolerate any bytes, as trpc-go's peers may send them).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "trpc.pb.h"
#include "trpc/frame_codec.h"
#include "trpc/trans_info.h"

namespace {

using namespace tracewire::trpc;  // NOLINT(google-build-using-namespace): fuzz harness

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "trpc_frame_fuzz: %s\n", what);
    std::abort();
  }
}

// Set by the protobuf log handler when libprotobuf rejects a map key that is not UTF-8 (proto3
// `string` keys must be; we tolerate any bytes, overwritten key occurrences included).
bool g_utf8_rejected = false;

void OnProtobufLog(google::protobuf::LogLevel, const char*, int, const std::string& message) {
  if (message.find("invalid UTF-8") != std::string::npos) g_utf8_rejected = true;
}

// Parses `bytes` with libprotobuf. Returns false when it rejected them only for a non-UTF-8
// key (nothing left to compare); aborts when it rejected them for any other reason.
template <typename Message>
bool LibprotobufAccepts(std::string_view bytes, Message* m, const char* what) {
  g_utf8_rejected = false;
  if (m->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return true;
  Check(g_utf8_rejected, what);
  return false;
}

template <typename Map>
void CheckSameMap(const TransInfoView& view, const Map& parsed) {
  const TransInfo ours = ToTransInfo(view);
  Check(ours.size() == parsed.size(), "trans_info size differs from libprotobuf");
  for (const auto& [key, value] : ours) {
    const auto it = parsed.find(key);
    Check(it != parsed.end() && it->second == value, "trans_info differs from libprotobuf");
  }
}

bool SameRequest(const RequestHead& a, const RequestHead& b) {
  return a.version == b.version && a.call_type == b.call_type && a.request_id == b.request_id &&
         a.timeout_ms == b.timeout_ms && a.caller == b.caller && a.callee == b.callee &&
         a.func == b.func && a.message_type == b.message_type && a.trans_info == b.trans_info &&
         a.content_type == b.content_type && a.content_encoding == b.content_encoding &&
         a.attachment_size == b.attachment_size;
}

bool SameResponse(const ResponseHead& a, const ResponseHead& b) {
  return a.version == b.version && a.call_type == b.call_type && a.request_id == b.request_id &&
         a.ret == b.ret && a.func_ret == b.func_ret && a.error_msg == b.error_msg &&
         a.message_type == b.message_type && a.trans_info == b.trans_info &&
         a.content_type == b.content_type && a.content_encoding == b.content_encoding &&
         a.attachment_size == b.attachment_size;
}

void FuzzRequestHead(std::string_view bytes) {
  RequestHead head;
  if (DecodeRequestHead(bytes, &head) != CodecError::kOk) return;
  std::string encoded;
  EncodeRequestHead(head, &encoded);
  Check(encoded.size() == RequestHeadSize(head), "RequestHeadSize differs from the encoding");
  RequestHead again;
  Check(DecodeRequestHead(encoded, &again) == CodecError::kOk, "re-encoded request fails");
  Check(SameRequest(head, again), "request head changed in a round trip");
  ::trpc::RequestProtocol p;
  if (!LibprotobufAccepts(bytes, &p, "libprotobuf rejects a request head we accept")) return;
  Check(p.version() == head.version && p.call_type() == head.call_type &&
            p.request_id() == head.request_id && p.timeout() == head.timeout_ms &&
            p.caller() == head.caller && p.callee() == head.callee && p.func() == head.func &&
            p.message_type() == head.message_type && p.content_type() == head.content_type &&
            p.content_encoding() == head.content_encoding &&
            p.attachment_size() == head.attachment_size,
        "request field differs from libprotobuf");
  CheckSameMap(head.trans_info, p.trans_info());
}

void FuzzResponseHead(std::string_view bytes) {
  ResponseHead head;
  if (DecodeResponseHead(bytes, &head) != CodecError::kOk) return;
  std::string encoded;
  EncodeResponseHead(head, &encoded);
  Check(encoded.size() == ResponseHeadSize(head), "ResponseHeadSize differs from the encoding");
  ResponseHead again;
  Check(DecodeResponseHead(encoded, &again) == CodecError::kOk, "re-encoded response fails");
  Check(SameResponse(head, again), "response head changed in a round trip");
  ::trpc::ResponseProtocol p;
  if (!LibprotobufAccepts(bytes, &p, "libprotobuf rejects a response head we accept")) return;
  Check(p.version() == head.version && p.call_type() == head.call_type &&
            p.request_id() == head.request_id && p.ret() == head.ret &&
            p.func_ret() == head.func_ret && p.error_msg() == head.error_msg &&
            p.message_type() == head.message_type && p.content_type() == head.content_type &&
            p.content_encoding() == head.content_encoding &&
            p.attachment_size() == head.attachment_size,
        "response field differs from libprotobuf");
  CheckSameMap(head.trans_info, p.trans_info());
}

void FuzzInitMeta(std::string_view bytes) {
  StreamInitMeta m;
  if (DecodeStreamInitMeta(bytes, &m) != CodecError::kOk) return;
  std::string encoded;
  EncodeStreamInitMeta(m, &encoded);
  StreamInitMeta again;
  Check(DecodeStreamInitMeta(encoded, &again) == CodecError::kOk, "re-encoded INIT fails");
  const StreamInitRequestMeta& r = m.request_meta;
  const StreamInitRequestMeta& r2 = again.request_meta;
  Check(m.has_request_meta == again.has_request_meta &&
            m.has_response_meta == again.has_response_meta && r.caller == r2.caller &&
            r.callee == r2.callee && r.func == r2.func && r.message_type == r2.message_type &&
            r.trans_info == r2.trans_info && m.response_meta.ret == again.response_meta.ret &&
            m.response_meta.error_msg == again.response_meta.error_msg &&
            m.init_window_size == again.init_window_size && m.content_type == again.content_type &&
            m.content_encoding == again.content_encoding,
        "INIT meta changed in a round trip");
  ::trpc::TrpcStreamInitMeta p;
  if (!LibprotobufAccepts(bytes, &p, "libprotobuf rejects an INIT meta we accept")) return;
  Check(p.has_request_meta() == m.has_request_meta &&
            p.has_response_meta() == m.has_response_meta && p.request_meta().func() == r.func &&
            p.request_meta().caller() == r.caller && p.request_meta().callee() == r.callee &&
            p.request_meta().message_type() == r.message_type &&
            p.response_meta().ret() == m.response_meta.ret &&
            p.response_meta().error_msg() == m.response_meta.error_msg &&
            p.init_window_size() == m.init_window_size,
        "INIT meta differs from libprotobuf");
  CheckSameMap(r.trans_info, p.request_meta().trans_info());
}

void FuzzFeedbackMeta(std::string_view bytes) {
  StreamFeedbackMeta m;
  if (DecodeStreamFeedbackMeta(bytes, &m) != CodecError::kOk) return;
  ::trpc::TrpcStreamFeedBackMeta p;
  if (!LibprotobufAccepts(bytes, &p, "libprotobuf rejects a FEEDBACK meta we accept")) return;
  Check(p.window_size_increment() == m.window_size_increment,
        "FEEDBACK meta differs from libprotobuf");
}

void FuzzCloseMeta(std::string_view bytes) {
  StreamCloseMeta m;
  if (DecodeStreamCloseMeta(bytes, &m) != CodecError::kOk) return;
  std::string encoded;
  EncodeStreamCloseMeta(m, &encoded);
  StreamCloseMeta again;
  Check(DecodeStreamCloseMeta(encoded, &again) == CodecError::kOk, "re-encoded CLOSE fails");
  Check(m.close_type == again.close_type && m.ret == again.ret && m.msg == again.msg &&
            m.message_type == again.message_type && m.trans_info == again.trans_info &&
            m.func_ret == again.func_ret,
        "CLOSE meta changed in a round trip");
  ::trpc::TrpcStreamCloseMeta p;
  if (!LibprotobufAccepts(bytes, &p, "libprotobuf rejects a CLOSE meta we accept")) return;
  Check(p.close_type() == m.close_type && p.ret() == m.ret && p.msg() == m.msg &&
            p.message_type() == m.message_type && p.func_ret() == m.func_ret,
        "CLOSE meta differs from libprotobuf");
  CheckSameMap(m.trans_info, p.trans_info());
}

void FuzzMetas(std::string_view bytes) {
  FuzzInitMeta(bytes);
  FuzzFeedbackMeta(bytes);
  FuzzCloseMeta(bytes);
}

void FuzzFrames(std::string_view input) {
  const size_t max = 1 << 20;
  FrameHeader peeked;
  size_t size = 0;
  const CodecError peek = PeekFrame(input, max, &peeked, &size);
  if (peek == CodecError::kOk && size != 0) {
    Check(size == peeked.total_size && size <= input.size(), "PeekFrame size out of range");
  }

  RequestFrame req;
  if (DecodeRequestFrame(input, max, &req) == CodecError::kOk) {
    Check(peek == CodecError::kOk && size == input.size(), "PeekFrame disagrees with decode");
    std::string out;
    Check(AppendRequestFrame(req.head, req.body, req.attachment, max, &out) == CodecError::kOk,
          "request frame does not re-encode");
    RequestFrame again;
    Check(DecodeRequestFrame(out, max, &again) == CodecError::kOk &&
              SameRequest(req.head, again.head) && req.body == again.body &&
              req.attachment == again.attachment,
          "request frame changed in a round trip");
  }
  ResponseFrame rsp;
  if (DecodeResponseFrame(input, max, &rsp) == CodecError::kOk) {
    std::string out;
    Check(AppendResponseFrame(rsp.head, rsp.body, rsp.attachment, max, &out) == CodecError::kOk,
          "response frame does not re-encode");
    ResponseFrame again;
    Check(DecodeResponseFrame(out, max, &again) == CodecError::kOk &&
              SameResponse(rsp.head, again.head) && rsp.body == again.body &&
              rsp.attachment == again.attachment,
          "response frame changed in a round trip");
  }
  StreamFrame stream;
  if (DecodeStreamFrame(input, max, &stream) == CodecError::kOk) {
    std::string out;
    Check(AppendStreamFrame(stream.header.stream_frame_type, stream.header.stream_id, stream.meta,
                            stream.body, max, &out) == CodecError::kOk,
          "stream frame does not re-encode");
    StreamFrame again;
    Check(DecodeStreamFrame(out, max, &again) == CodecError::kOk && again.meta == stream.meta &&
              again.body == stream.body && again.header.stream_id == stream.header.stream_id,
          "stream frame changed in a round trip");
    FuzzMetas(stream.meta);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(&OnProtobufLog);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  FuzzFrames(input);
  // The proto header of a frame when there is one, else the whole input.
  std::string_view proto = input;
  if (input.size() >= kFrameHeaderSize) {
    FrameHeader h;
    if (DecodeFrameHeader(input, 1 << 20, &h) == CodecError::kOk) {
      proto = input.substr(kFrameHeaderSize, h.proto_header_size);
    }
  }
  FuzzRequestHead(proto);
  FuzzResponseHead(proto);
  FuzzMetas(input);
  return 0;
}
