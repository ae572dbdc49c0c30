#include "trace/sdk/resource_attributes.h"

#include <algorithm>
#include <string>

#include "base/text.h"

namespace tracewire::trace {

StatusOr<Attributes> ParseResourceAttributes(std::string_view text) {
  Attributes out;
  size_t index = 0;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view member = TrimOws(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    ++index;
    if (member.empty()) continue;
    const size_t eq = member.find('=');
    if (eq == std::string_view::npos) {
      return InvalidArgumentError("OTEL_RESOURCE_ATTRIBUTES: member " + std::to_string(index) +
                                  " has no '='");
    }
    std::string key;
    std::string value;
    if (!PercentDecode(TrimOws(member.substr(0, eq)), &key) ||
        !PercentDecode(TrimOws(member.substr(eq + 1)), &value)) {
      return InvalidArgumentError("OTEL_RESOURCE_ATTRIBUTES: member " + std::to_string(index) +
                                  " has a bad percent escape");
    }
    if (key.empty()) {
      return InvalidArgumentError("OTEL_RESOURCE_ATTRIBUTES: member " + std::to_string(index) +
                                  " has an empty key");
    }
    auto same_key = [&key](const Attribute& a) { return a.key == key; };
    if (auto it = std::find_if(out.begin(), out.end(), same_key); it != out.end()) {
      it->value = std::move(value);
    } else {
      out.push_back({std::move(key), std::move(value)});
    }
  }
  return out;
}

}  // namespace tracewire::trace
