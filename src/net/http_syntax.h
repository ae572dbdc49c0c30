// RFC 9112 / RFC 9110 grammar pieces as small pure functions over bytes. The incremental
// parsers (http_parser.h) and the serializer (http_writer.h) are built from these.
// Lines passed in never include their terminating CR LF.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/status.h"
#include "base/text.h"
#include "net/http_message.h"

namespace tracewire::net {

// tchar of RFC 9110 §5.6.2.
bool IsTokenChar(char c);
// True when `s` is a non-empty token.
bool IsToken(std::string_view s);
// True when `s` may appear as a field value: VCHAR, obs-text, SP and HTAB only (no CR, LF, NUL).
bool IsFieldValue(std::string_view s);
// True when `s` is a request-target we accept: non-empty, printable ASCII (0x21..0x7e) only.
bool IsRequestTarget(std::string_view s);

// "method SP request-target SP HTTP/1.x". Other HTTP versions give UNIMPLEMENTED (→ 505).
struct RequestLine {
  std::string_view method;
  std::string_view target;
  int minor_version = 1;
};
StatusOr<RequestLine> ParseRequestLine(std::string_view line);

// "HTTP/1.x SP 3DIGIT [SP reason-phrase]"; the SP after the code may be missing.
struct StatusLine {
  int minor_version = 1;
  int status = 0;
  std::string_view reason;
};
StatusOr<StatusLine> ParseStatusLine(std::string_view line);

// "field-name ':' OWS field-value OWS". The value is returned with OWS trimmed. Whitespace
// before the colon, an empty name, and obs-fold (a line starting with SP or HTAB) are errors.
struct FieldLine {
  std::string_view name;
  std::string_view value;
};
StatusOr<FieldLine> ParseFieldLine(std::string_view line);

// The message length announced by every Content-Length field of `headers` (lists like "5, 5"
// allowed), nullopt when there is none. Values that differ, or that are not 1*DIGIT, are errors.
StatusOr<std::optional<uint64_t>> ParseContentLength(const HttpHeaders& headers);

// Transfer-Encoding as this library supports it: nullopt when absent, true for exactly the
// "chunked" coding. Any other coding (gzip, chunked twice, ...) gives UNIMPLEMENTED (→ 501).
StatusOr<std::optional<bool>> ParseTransferEncoding(const HttpHeaders& headers);

// The size in the chunk-size line "1*HEXDIG [chunk-ext]"; extensions are ignored.
// Sizes above 2^56 are errors (no real body is that long).
StatusOr<uint64_t> ParseChunkSizeLine(std::string_view line);

// True when a comma-separated list field `name` holds `token` (ASCII case-insensitive).
bool HasListToken(const HttpHeaders& headers, std::string_view name, std::string_view token);

// Removes leading and trailing SP / HTAB (base/text.h).
using ::tracewire::TrimOws;

}  // namespace tracewire::net
