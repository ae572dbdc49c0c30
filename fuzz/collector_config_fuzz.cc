// The collector config parser on arbitrary text: OK or INVALID_ARGUMENT, nothing else.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collector/config.h"
#include "collector/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const tracewire::collector::Registry* registry =
      new tracewire::collector::Registry(tracewire::collector::DefaultRegistry());
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = tracewire::collector::ParseCollectorConfig(text, *registry);
  if (!config.ok() && config.status().code() != tracewire::StatusCode::kInvalidArgument) abort();
  return 0;
}
