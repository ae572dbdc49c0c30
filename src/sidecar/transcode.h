// HTTP -> tRPC transcoding (contract C1): an HTTP request routed to a `protocol: trpc` cluster
// becomes one unary tRPC call, and its tRPC answer an HTTP response. Pure functions.
//
// Request: func = the URL path, callee = its service part, caller = the sidecar's
// service_name, content_type from Content-Type (application/json 2, application/x-protobuf or
// application/protobuf 0, anything else or none 4 = noop), the body untouched, trans_info =
// the given entries (trace context, x-request-id), timeout = the cluster's request_timeout.
// Only POST, and GET with an empty body, are transcoded (IsTranscodable).
//
// Response: ret 0 and func_ret 0 -> 200 with the body; otherwise the status trpc-go's HTTP
// transport gives (its ErrsToHTTPStatus table, looked up with ret, or func_ret when ret is 0:
// 1 and 51 -> 400, 11 and 12 -> 404, 21 -> 504, 22 -> 429, 41 -> 401, 2, 31 and 999 -> 500;
// any other code keeps 200, as in trpc-go) with an empty body and the headers trpc-ret,
// trpc-func-ret and trpc-error-msg (CR and LF escaped as \r, \n). Content-Type mirrors the
// request's. Failures of the sidecar itself: 111 (unreachable) -> 503, 101 (deadline) -> 504,
// anything else (connection lost, malformed answer) -> 502.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_message.h"
#include "sidecar/trpc_rewrite.h"
#include "trpc/frame_codec.h"
#include "trpc/protocol.h"

namespace tracewire::sidecar {

// tRPC content_type values (trpc.proto TrpcContentEncodeType).
inline constexpr uint32_t kTrpcContentPb = 0;
inline constexpr uint32_t kTrpcContentJson = 2;
inline constexpr uint32_t kTrpcContentNoop = 4;

// The content_type for an HTTP Content-Type (parameters such as "; charset=utf-8" ignored,
// media type case-insensitive).
uint32_t TrpcContentType(std::optional<std::string_view> content_type);

// POST, or GET with an empty body.
bool IsTranscodable(std::string_view method, size_t body_size);

// trpc-go's HTTP status for a tRPC error code (200 when its table has none).
int HttpStatusForTrpcCode(int32_t code);
// The status for a call the sidecar could not complete (see above).
int HttpStatusForSidecarFailure(int32_t ret);

struct TranscodedCall {
  std::string_view func;    // the URL path
  std::string_view caller;  // the sidecar's service_name
  std::optional<std::string_view> content_type;
  std::string_view body;
  uint32_t request_id = 0;
  uint32_t timeout_ms = 0;
  std::span<const TransInfoPair> trans_info;
};

// Appends the request frame of `call` to *out. `scratch` is reused storage for the entries.
// kTooLarge past max_frame_size (nothing appended).
trpc::CodecError AppendTranscodedRequest(const TranscodedCall& call, size_t max_frame_size,
                                         std::vector<trpc::TransInfoEntry>* scratch,
                                         std::string* out);

// The HTTP answer to a tRPC response (see above); `request_content_type` is mirrored.
void TranscodeResponse(const trpc::ResponseHead& head, std::string_view body,
                       std::optional<std::string_view> request_content_type,
                       net::HttpResponse* out);

}  // namespace tracewire::sidecar
