#include "collector/registry.h"

namespace tracewire::collector {

std::string Registry::KnownTypes(std::string_view kind) const {
  std::string out;
  auto add = [&out](const auto& map) {
    for (const auto& [type, factory] : map) out += (out.empty() ? "" : ", ") + type;
  };
  if (kind == "receivers") add(receivers_);
  if (kind == "processors") add(processors_);
  if (kind == "exporters") add(exporters_);
  if (kind == "extensions") add(extensions_);
  return out.empty() ? "none" : out;
}

}  // namespace tracewire::collector
