// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as iSCSI (RFC 3720) and LevelDB use
// it. SSE4.2 crc32 instructions when the CPU has them, a table otherwise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tracewire::store::crc32c {

// The CRC-32C of data[0, n) continued from `crc`, the CRC-32C of some earlier bytes (0 for
// none): Extend(Value(a), b) == Value(a + b).
// HOT PATH: no allocation.
uint32_t Extend(uint32_t crc, const char* data, size_t n);

inline uint32_t Value(const char* data, size_t n) { return Extend(0, data, n); }
inline uint32_t Value(std::string_view data) { return Extend(0, data.data(), data.size()); }

// A CRC stored next to the data it covers is masked, so that the CRC of bytes that themselves
// hold CRCs stays well distributed (LevelDB's rotate-and-add).
constexpr uint32_t kMaskDelta = 0xa282ead8u;
inline uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }
inline uint32_t Unmask(uint32_t masked) {
  const uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

// The two implementations behind Extend, for tests and benchmarks.
uint32_t ExtendPortable(uint32_t crc, const char* data, size_t n);
// REQUIRES: HardwareAvailable().
uint32_t ExtendHardware(uint32_t crc, const char* data, size_t n);
bool HardwareAvailable();

}  // namespace tracewire::store::crc32c
