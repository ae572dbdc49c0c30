#include "query/internal/responses.h"

#include <utility>

#include "otlp/internal/json_text.h"

namespace tracewire::query::internal {

using otlp::internal::AppendJsonString;
using otlp::internal::AppendJsonUint;

net::HttpResponse JsonResponse(int status, std::string body) {
  net::HttpResponse response;
  response.status = status;
  response.headers.Add("Content-Type", "application/json");
  response.body = std::move(body);
  return response;
}

void BeginJaegerData(std::string& out) { out.append("{\"data\":"); }

void EndJaegerData(std::string& out, size_t total) {
  out.append(",\"total\":");
  AppendJsonUint(out, total);
  out.append(",\"limit\":0,\"offset\":0,\"errors\":null}");
}

net::HttpResponse JaegerError(int status, std::string_view msg) {
  std::string body = "{\"data\":null,\"total\":0,\"limit\":0,\"offset\":0,\"errors\":[{\"code\":";
  AppendJsonUint(body, static_cast<uint64_t>(status));
  body.append(",\"msg\":");
  AppendJsonString(body, msg);
  body.append("}]}");
  return JsonResponse(status, std::move(body));
}

net::HttpResponse NativeError(int status, std::string_view msg) {
  std::string body = "{\"error\":{\"code\":";
  AppendJsonUint(body, static_cast<uint64_t>(status));
  body.append(",\"message\":");
  AppendJsonString(body, msg);
  body.append("}}");
  return JsonResponse(status, std::move(body));
}

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kUnavailable:
    case StatusCode::kResourceExhausted: return 503;
    default: return 500;
  }
}

}  // namespace tracewire::query::internal
