#include "trace/sdk/resource_defaults.h"

#include <unistd.h>

#include <string_view>

#ifndef TW_VERSION
#define TW_VERSION "0.0.0"
#endif

namespace tracewire::trace {

std::string ExecutableName() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string_view path(buf, static_cast<size_t>(n));
  const size_t slash = path.rfind('/');
  if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
  return std::string(path);
}

Resource DefaultResource() {
  Resource r;
  r.attributes.push_back({"service.name", "unknown_service:" + ExecutableName()});
  r.attributes.push_back({"telemetry.sdk.name", std::string("tracewire")});
  r.attributes.push_back({"telemetry.sdk.language", std::string("cpp")});
  r.attributes.push_back({"telemetry.sdk.version", std::string(TW_VERSION)});
  return r;
}

Resource MergeResources(const Resource& base, const Resource& updating) {
  Resource out = base;
  for (const Attribute& a : updating.attributes) {
    bool replaced = false;
    for (Attribute& b : out.attributes) {
      if (b.key == a.key) {
        b.value = a.value;
        replaced = true;
        break;
      }
    }
    if (!replaced) out.attributes.push_back(a);
  }
  if (!updating.schema_url.empty()) out.schema_url = updating.schema_url;
  return out;
}

}  // namespace tracewire::trace
