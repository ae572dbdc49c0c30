// Small per-request helpers both session kinds use: splitting a tRPC func, and whether a
// request carries one of sampling.force's keys. HOT PATH: views only, no allocation.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sidecar/sampler.h"
#include "trace/propagation/text_map.h"

namespace tracewire::sidecar::internal {

struct FuncParts {
  std::string_view service;
  std::string_view method;
};

// "/pkg.Service/Method" -> {"pkg.Service", "Method"}; no slash inside: {"", func}.
inline FuncParts SplitFunc(std::string_view func) {
  if (!func.empty() && func.front() == '/') func.remove_prefix(1);
  const size_t slash = func.rfind('/');
  if (slash == std::string_view::npos) return {{}, func};
  return {func.substr(0, slash), func.substr(slash + 1)};
}

// True when `carrier` has one of `keys` with a force value (1 / true).
inline bool IsForced(const trace::TextMapCarrier& carrier, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    const auto value = carrier.Get(key);
    if (value && IsForceValue(*value)) return true;
  }
  return false;
}

}  // namespace tracewire::sidecar::internal
