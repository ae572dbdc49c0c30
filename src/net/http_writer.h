// Serialization of requests and responses to HTTP/1.1 bytes (RFC 9112).
// Framing is always Content-Length: any Content-Length or Transfer-Encoding field of the
// message is dropped and the real body length is written instead (none for 1xx and 204,
// which must not carry one).
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "net/http_message.h"

namespace tracewire::net {

// The RFC 9110 reason phrase for `status` ("OK", "Not Found", ...), or "Unknown".
std::string_view StandardReasonPhrase(int status);

// OK when the message can be written without breaking the framing: the method is a token,
// the target printable ASCII, field names tokens and values free of CR, LF and NUL.
Status ValidateRequest(const HttpRequest& request);
// Likewise for a response; the status must be in 100..999.
Status ValidateResponse(const HttpResponse& response);

// Appends "METHOD target HTTP/1.1", a "Host: `host`" field unless `host` is empty or the request
// has one, the request's fields, Content-Length, the empty line and the body.
// REQUIRES: ValidateRequest(request).ok()
void AppendRequest(const HttpRequest& request, std::string_view host, std::string* out);

// Appends "HTTP/1.1 status reason", the fields, Content-Length, the empty line and the body.
// `omit_body` (for HEAD requests and 304) keeps the Content-Length of the body but leaves out
// its bytes. REQUIRES: ValidateResponse(response).ok()
void AppendResponse(const HttpResponse& response, bool omit_body, std::string* out);

// Convenience forms of the above.
std::string SerializeRequest(const HttpRequest& request, std::string_view host = {});
std::string SerializeResponse(const HttpResponse& response);

}  // namespace tracewire::net
