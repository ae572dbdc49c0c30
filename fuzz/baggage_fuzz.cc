// Fuzzes W3C baggage parsing, percent coding and formatting. Property: the formatted header
// parses back to a baggage that formats identically; when every entry fit, to the same baggage.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "trace/baggage.h"

using tracewire::trace::Baggage;

static void Check(bool ok) {
  if (!ok) std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const Baggage b = Baggage::FromHeader(in);
  Check(b.size() <= Baggage::kMaxEntries);
  const std::string header = b.ToHeader();
  Check(header.size() <= Baggage::kMaxHeaderSize);
  const Baggage back = Baggage::FromHeader(header);
  Check(back.ToHeader() == header);
  if (back.size() == b.size()) Check(back == b);
  // Decoding yields valid UTF-8, which survives an encode/decode round trip.
  const std::string decoded = tracewire::trace::PercentDecodeBaggageValue(in);
  const std::string encoded = tracewire::trace::PercentEncodeBaggageValue(decoded);
  Check(tracewire::trace::PercentDecodeBaggageValue(encoded) == decoded);
  return 0;
}
