// Internal to span_page_*.cc: the column streams of a span page (span_page.h) and small helpers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "store/format/coding.h"

namespace tracewire::store::block::page_internal {

enum Stream : size_t {
  kTraces,
  kSpanIds,
  kParents,
  kParentRaw,
  kStarts,
  kDurations,
  kKindStatus,
  kFlags,
  kNames,
  kMisc,
  kResScope,
  kAttrKeys,
  kAttrValues,
  kCounts,
  kEvents,
  kLinks,
  kTables,
  kStreamCount,
};

// Span attribute keys past this many per page share the last value stream.
inline constexpr size_t kMaxKeyStreams = 1024;
// Page format without shared strings, and with them (the header names how many it uses).
inline constexpr uint8_t kPageVersionOwnStrings = 2;
inline constexpr uint8_t kPageVersionSharedStrings = 3;

inline void PutBytes(std::string* out, const uint8_t* p, size_t n) {
  out->append(reinterpret_cast<const char*>(p), n);
}
inline bool GetBytes(format::Reader* in, uint8_t* out, size_t n) {
  std::string_view b;
  if (!in->Bytes(n, &b)) return false;
  std::memcpy(out, b.data(), n);
  return true;
}

}  // namespace tracewire::store::block::page_internal
