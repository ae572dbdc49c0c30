#include "sidecar/transcode.h"

#include <algorithm>
#include <array>
#include <utility>

#include "base/text.h"
#include "sidecar/internal/request_util.h"

namespace tracewire::sidecar {
namespace {

// trpc-go http.ErrsToHTTPStatus.
constexpr std::array<std::pair<int32_t, int>, 10> kStatusOfCode = {{
    {1, 400},    // RetServerDecodeFail
    {2, 500},    // RetServerEncodeFail
    {11, 404},   // RetServerNoService
    {12, 404},   // RetServerNoFunc
    {21, 504},   // RetServerTimeout
    {22, 429},   // RetServerOverload
    {31, 500},   // RetServerSystemErr
    {41, 401},   // RetServerAuthFail
    {51, 400},   // RetServerValidateFail
    {999, 500},  // RetUnknown
}};

std::string EscapeLineBreaks(std::string_view msg) {
  std::string out;
  out.reserve(msg.size());
  for (char c : msg) {
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

uint32_t TrpcContentType(std::optional<std::string_view> content_type) {
  if (!content_type) return kTrpcContentNoop;
  const std::string_view media = TrimOws(content_type->substr(0, content_type->find(';')));
  if (EqualsIgnoreCase(media, "application/json")) return kTrpcContentJson;
  if (EqualsIgnoreCase(media, "application/x-protobuf") ||
      EqualsIgnoreCase(media, "application/protobuf")) {
    return kTrpcContentPb;
  }
  return kTrpcContentNoop;
}

bool IsTranscodable(std::string_view method, size_t body_size) {
  return method == "POST" || (method == "GET" && body_size == 0);
}

int HttpStatusForTrpcCode(int32_t code) {
  for (const auto& [c, status] : kStatusOfCode) {
    if (c == code) return status;
  }
  return 200;
}

int HttpStatusForSidecarFailure(int32_t ret) {
  if (ret == 111) return 503;  // kRetClientConnectError
  if (ret == 101) return 504;  // kRetClientInvokeTimeout
  return 502;
}

trpc::CodecError AppendTranscodedRequest(const TranscodedCall& call, size_t max_frame_size,
                                         std::vector<trpc::TransInfoEntry>* scratch,
                                         std::string* out) {
  trpc::RequestHead head;
  head.request_id = call.request_id;
  head.timeout_ms = call.timeout_ms;
  head.caller = call.caller;
  head.callee = internal::SplitFunc(call.func).service;
  head.func = call.func;
  head.content_type = TrpcContentType(call.content_type);
  scratch->clear();
  for (const auto& [key, value] : call.trans_info) scratch->push_back({key, value});
  head.trans_info = std::move(*scratch);
  const trpc::CodecError result =
      trpc::AppendRequestFrame(head, call.body, {}, max_frame_size, out);
  *scratch = std::move(head.trans_info);  // keeps the capacity for the next call
  return result;
}

void TranscodeResponse(const trpc::ResponseHead& head, std::string_view body,
                       std::optional<std::string_view> request_content_type,
                       net::HttpResponse* out) {
  if (request_content_type) out->headers.Set("Content-Type", *request_content_type);
  if (head.ret == 0 && head.func_ret == 0) {
    out->status = 200;
    out->body = body;
    return;
  }
  out->status = HttpStatusForTrpcCode(head.ret != 0 ? head.ret : head.func_ret);
  out->headers.Set("trpc-ret", std::to_string(head.ret));
  out->headers.Set("trpc-func-ret", std::to_string(head.func_ret));
  out->headers.Set("trpc-error-msg", EscapeLineBreaks(head.error_msg));
}

}  // namespace tracewire::sidecar
