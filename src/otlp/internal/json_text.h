// Appending JSON text pieces to a reusable std::string (RFC 8259). Hot path: no allocation
// beyond the growth of `out`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tracewire::otlp::internal {

// Appends `s` as a quoted JSON string. Control characters, '"' and '\' are escaped; bytes
// that are not valid UTF-8 become U+FFFD, so the output is always valid JSON.
void AppendJsonString(std::string& out, std::string_view s);

// Appends an unsigned / signed integer as a JSON number.
void AppendJsonUint(std::string& out, uint64_t v);
void AppendJsonInt(std::string& out, int64_t v);

// Appends the integer as a quoted decimal string: the proto3 JSON form of 64-bit integers.
void AppendJsonQuotedUint(std::string& out, uint64_t v);
void AppendJsonQuotedInt(std::string& out, int64_t v);

// Appends a double in its shortest round-trip form; NaN and the infinities, which JSON
// numbers cannot hold, become the proto3 JSON strings "NaN", "Infinity" and "-Infinity".
void AppendJsonDouble(std::string& out, double v);

// Appends lower-case hex of bytes[0..n) in quotes.
void AppendJsonHex(std::string& out, const uint8_t* bytes, size_t n);

}  // namespace tracewire::otlp::internal
