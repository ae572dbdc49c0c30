// Protobuf wire-format pieces of the hand-written OTLP encoders, decoders and response parser.
// The primitives (varints, tags, fixed-width values, WireReader) are base/proto_wire.h, named
// here for this folder; what is added is a short-copy helper for the encoders. HOT PATH: inline.
#pragma once

#include <cstddef>
#include <cstring>

#include "base/proto_wire.h"

namespace tracewire::otlp::internal {

using proto_wire::LenFieldSize;
using proto_wire::MakeTag;
using proto_wire::VarintSize;
using proto_wire::WireReader;
using proto_wire::WireType;
using proto_wire::WriteFixed32;
using proto_wire::WriteFixed64;
using proto_wire::WriteVarint;

// Copies n bytes, kChunk <= n <= 2 * kChunk, as a first and a last chunk that may overlap.
template <size_t kChunk>
inline void CopyOverlapping(char* p, const char* s, size_t n) {
  char head[kChunk];
  char tail[kChunk];
  std::memcpy(head, s, kChunk);
  std::memcpy(tail, s + n - kChunk, kChunk);
  std::memcpy(p, head, kChunk);
  std::memcpy(p + n - kChunk, tail, kChunk);
}

// Copies n bytes to `p`; returns p + n. Short copies (names, keys, attribute values) are done
// inline with two overlapping loads and stores instead of a call to memcpy.
inline char* WriteBytes(char* p, const void* src, size_t n) {
  const auto* s = static_cast<const char*>(src);
  if (n > 32) {
    std::memcpy(p, s, n);
  } else if (n >= 16) {
    CopyOverlapping<16>(p, s, n);
  } else if (n >= 8) {
    CopyOverlapping<8>(p, s, n);
  } else if (n >= 4) {
    CopyOverlapping<4>(p, s, n);
  } else if (n != 0) {
    p[0] = s[0];
    p[n / 2] = s[n / 2];
    p[n - 1] = s[n - 1];
  }
  return p + n;
}

}  // namespace tracewire::otlp::internal
