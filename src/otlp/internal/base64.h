// Base64 (RFC 4648) for the bytes fields of OTLP/JSON (`bytesValue`), as the proto3 JSON
// mapping writes and reads them: standard alphabet with padding out; standard or URL-safe
// alphabet, padding optional, accepted in. HOT PATH: no allocation beyond `out`'s growth.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tracewire::otlp::internal {

// Appends the padded standard base64 of `bytes` to `out`.
void AppendBase64(std::string& out, std::string_view bytes);

// The decoded size bound of `text` (bytes), for sizing the output of DecodeBase64.
inline size_t Base64DecodedBound(size_t text_size) { return (text_size / 4 + 1) * 3; }

// Decodes `text` into out[0..); returns the number of bytes written, or -1 when `text` is not
// base64 (bad character, misplaced padding, or a length no encoding has).
// REQUIRES: out has room for Base64DecodedBound(text.size()) bytes.
ptrdiff_t DecodeBase64(std::string_view text, char* out);

}  // namespace tracewire::otlp::internal
