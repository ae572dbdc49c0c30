// Fuzzes the OTEL_RESOURCE_ATTRIBUTES parser: it must never crash, and whatever it accepts
// must survive a percent-encoded round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "trace/sdk/resource_attributes.h"

namespace {

std::string PercentEncodeAll(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    out.push_back('%');
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using tracewire::trace::Attributes;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  tracewire::StatusOr<Attributes> parsed = tracewire::trace::ParseResourceAttributes(text);
  if (!parsed.ok()) return 0;
  std::string again;
  for (const auto& a : *parsed) {
    if (!again.empty()) again.push_back(',');
    again += PercentEncodeAll(a.key) + "=" + PercentEncodeAll(std::get<std::string>(a.value));
  }
  tracewire::StatusOr<Attributes> reparsed = tracewire::trace::ParseResourceAttributes(again);
  if (!reparsed.ok() || !(*reparsed == *parsed)) {
    std::fprintf(stderr, "round trip changed the attributes\n");
    std::abort();
  }
  return 0;
}
