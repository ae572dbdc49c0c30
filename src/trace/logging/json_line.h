// JSON string escaping for the JSON-lines log formatter (internal to trace/logging).
#pragma once

#include <spdlog/common.h>

#include <string_view>

namespace tracewire::trace::logging {

// Appends `text` as the inside of a JSON string (no surrounding quotes): '"' and '\\' escaped,
// control characters as \n, \r, \t, \b, \f or \u00XX, and every byte that does not start a
// valid UTF-8 sequence (RFC 3629: no overlongs, surrogates or code points past U+10FFFF)
// replaced by U+FFFD, so the result is always valid JSON. Never allocates beyond `dest`.
void AppendJsonEscaped(std::string_view text, spdlog::memory_buf_t& dest);

}  // namespace tracewire::trace::logging
