// A WAL record's payload: seq:fixed64 (the append's number, increasing across restarts), then
// a row-format record (row_format.h). Blocks store the last seq they hold, so recovery skips
// records already in blocks whatever numbers the WAL gave its segments.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace tracewire::store::format {

inline constexpr size_t kWalSeqBytes = 8;

// REQUIRES: payload->size() >= kWalSeqBytes (the caller reserved the prefix).
inline void SetWalSeq(uint64_t seq, std::string* payload) {
  std::memcpy(payload->data(), &seq, kWalSeqBytes);
}

// Splits a payload; false when it is too short.
inline bool SplitWalPayload(std::string_view payload, uint64_t* seq, std::string_view* record) {
  if (payload.size() < kWalSeqBytes) return false;
  std::memcpy(seq, payload.data(), kWalSeqBytes);
  *record = payload.substr(kWalSeqBytes);
  return true;
}

}  // namespace tracewire::store::format
