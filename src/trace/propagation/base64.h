// Base64 with the standard alphabet (RFC 4648 §4), as gRPC uses for `-bin` metadata.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tracewire::trace::propagation {

// The encoded size of n bytes, with or without '=' padding.
size_t Base64EncodedSize(size_t n, bool pad);
// Writes Base64EncodedSize(n, pad) chars into out.
void EncodeBase64To(const uint8_t* bytes, size_t n, bool pad, char* out);
std::string EncodeBase64(std::string_view bytes, bool pad);

// The most bytes DecodeBase64To can produce from `in`.
constexpr size_t Base64MaxDecodedSize(size_t in_size) { return (in_size + 3) / 4 * 3; }
// Decodes `in` (padding optional; when present it must be complete and last) into
// out[0..*out_size). REQUIRES: out holds Base64MaxDecodedSize(in.size()) bytes. Returns false
// on a character outside the alphabet, misplaced padding or an impossible length.
bool DecodeBase64To(std::string_view in, uint8_t* out, size_t* out_size);

}  // namespace tracewire::trace::propagation
