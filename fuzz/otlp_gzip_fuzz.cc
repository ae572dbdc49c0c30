// GzipDecompress on untrusted bodies: typed errors, output bounded by the limit.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "otlp/gzip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kLimit = 1 << 20;
  std::string out;
  const auto status = tracewire::otlp::GzipDecompress(
      std::string_view(reinterpret_cast<const char*>(data), size), out, kLimit);
  if (out.size() > kLimit) std::abort();
  if (status.ok()) {
    // What inflates must survive a round trip.
    std::string again, restored;
    if (!tracewire::otlp::GzipCompress(out, again).ok()) std::abort();
    if (!tracewire::otlp::GzipDecompress(again, restored, kLimit).ok() || restored != out) {
      std::abort();
    }
  }
  return 0;
}
