#include "base/env.h"

#include <cstdlib>

namespace tracewire {

std::optional<std::string> ProcessGetEnv(std::string_view name) {
  const char* v = std::getenv(std::string(name).c_str());  // NOLINT(concurrency-mt-unsafe)
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

}  // namespace tracewire
