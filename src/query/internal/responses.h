// JSON response framing of the two APIs: Jaeger's structuredResponse ({data, total, limit,
// offset, errors[{code, msg}]}) and the native {"error": {code, message}}.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"
#include "net/http_message.h"

namespace tracewire::query::internal {

// A response with Content-Type: application/json.
net::HttpResponse JsonResponse(int status, std::string body);

// Writes `{"data":` into out; the caller appends the data, then calls EndJaegerData.
void BeginJaegerData(std::string& out);
// Closes a structuredResponse: total, limit 0, offset 0, errors null.
void EndJaegerData(std::string& out, size_t total);

// {"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":status,"msg":msg}]}.
net::HttpResponse JaegerError(int status, std::string_view msg);
// {"error":{"code":status,"message":msg}}.
net::HttpResponse NativeError(int status, std::string_view msg);

// The HTTP status for a store or parse error: 400 INVALID_ARGUMENT, 404 NOT_FOUND,
// 503 UNAVAILABLE / RESOURCE_EXHAUSTED, 500 otherwise.
int HttpStatusFor(const Status& status);

}  // namespace tracewire::query::internal
