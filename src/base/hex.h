// Lower-case hexadecimal coding of byte strings. Hot path: no allocation in the *To forms.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tracewire {

// Writes 2*n lower-case hex digits for bytes[0..n) into out[0..2n).
void EncodeHexTo(const uint8_t* bytes, size_t n, char* out);
std::string EncodeHex(const uint8_t* bytes, size_t n);

// Decodes exactly 2*n hex digits from `hex` into out[0..n). Returns false (out unspecified)
// when hex.size() != 2*n or a character is not a hex digit. `allow_upper` admits 'A'-'F'.
bool DecodeHexTo(std::string_view hex, uint8_t* out, size_t n, bool allow_upper = false);

}  // namespace tracewire
