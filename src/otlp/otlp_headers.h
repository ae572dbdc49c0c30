// The OTEL_EXPORTER_OTLP_HEADERS value format: "key1=value1,key2=value2", keys and values
// trimmed of spaces and tabs, values percent-decoded (OTel exporter spec, W3C-baggage-like
// list without properties). Header values are secrets (API tokens): errors never quote them.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace tracewire::otlp {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Parses `text`. Empty list members (",,") and an empty text are allowed.
// Errors: INVALID_ARGUMENT naming the 1-based position of a member without '=', with an empty
// or non-token key (RFC 9110 tchar), a bad percent escape, or a decoded value containing CR,
// LF or NUL (header injection).
StatusOr<HeaderList> ParseOtlpHeaders(std::string_view text);

}  // namespace tracewire::otlp
