// ParseOtlpHeaders (OTEL_EXPORTER_OTLP_HEADERS): never crashes; what it accepts is safe to
// put on the wire (token keys, no CR/LF/NUL in values).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "otlp/otlp_headers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto headers = tracewire::otlp::ParseOtlpHeaders(text);
  if (!headers.ok()) return 0;
  for (const auto& [key, value] : *headers) {
    if (key.empty() || key.find_first_of(" \t\r\n,=:") != std::string_view::npos) std::abort();
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) std::abort();
  }
  return 0;
}
