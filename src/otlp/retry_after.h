// The HTTP Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date in any of the
// three formats recipients must accept (IMF-fixdate, RFC 850, asctime).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace tracewire::otlp {

// The delay `value` asks for, measured from `now`; a date in the past gives zero. nullopt
// when `value` is neither form (the header is then ignored). Delays over a day are clamped
// to a day.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

}  // namespace tracewire::otlp
