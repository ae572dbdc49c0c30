// A bloom filter over trace ids (kBloomBitsPerKey bits per id, kBloomProbes probes, ~1% false
// positives): lets a trace lookup skip blocks without searching their trace table.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "store/block/block_format.h"
#include "trace/ids.h"

namespace tracewire::store::block {

inline uint64_t MixTraceId(const trace::TraceId& id, uint64_t seed) {
  uint64_t a = 0;
  uint64_t b = 0;
  std::memcpy(&a, id.data(), 8);
  std::memcpy(&b, id.data() + 8, 8);
  uint64_t h = a ^ (b * 0x9e3779b97f4a7c15ull) ^ seed;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

// Bits in a string (little-endian bit order); an empty filter matches everything.
class BloomBuilder {
 public:
  explicit BloomBuilder(size_t keys)
      : bits_((std::max<size_t>(keys, 1) * kBloomBitsPerKey + 7) / 8, '\0') {}
  void Add(const trace::TraceId& id) {
    const uint64_t m = bits_.size() * 8;
    const uint64_t h1 = MixTraceId(id, 1);
    const uint64_t h2 = MixTraceId(id, 2) | 1;
    for (uint32_t i = 0; i < kBloomProbes; ++i) {
      const uint64_t bit = (h1 + i * h2) % m;
      bits_[bit / 8] = static_cast<char>(bits_[bit / 8] | (1 << (bit % 8)));
    }
  }
  std::string Finish() { return std::move(bits_); }

 private:
  std::string bits_;
};

inline bool BloomMayContain(std::string_view bits, const trace::TraceId& id) {
  if (bits.empty()) return true;
  const uint64_t m = bits.size() * 8;
  const uint64_t h1 = MixTraceId(id, 1);
  const uint64_t h2 = MixTraceId(id, 2) | 1;
  for (uint32_t i = 0; i < kBloomProbes; ++i) {
    const uint64_t bit = (h1 + i * h2) % m;
    if ((bits[bit / 8] & (1 << (bit % 8))) == 0) return false;
  }
  return true;
}

}  // namespace tracewire::store::block
