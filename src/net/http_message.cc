#include "net/http_message.h"

#include <algorithm>

namespace tracewire::net {

void HttpHeaders::Set(std::string_view name, std::string_view value) {
  auto first = std::find_if(fields_.begin(), fields_.end(),
                            [&](const auto& f) { return EqualsIgnoreCase(f.first, name); });
  if (first == fields_.end()) {
    fields_.emplace_back(std::string(name), std::string(value));
    return;
  }
  first->second.assign(value);
  // Drop the later repeats, keeping the first one's position.
  auto rest = std::remove_if(first + 1, fields_.end(),
                             [&](const auto& f) { return EqualsIgnoreCase(f.first, name); });
  fields_.erase(rest, fields_.end());
}

std::optional<std::string_view> HttpHeaders::Get(std::string_view name) const {
  for (const auto& [field, value] : fields_) {
    if (EqualsIgnoreCase(field, name)) return std::optional<std::string_view>(value);
  }
  return std::nullopt;
}

std::optional<std::string> HttpHeaders::GetCombined(std::string_view name) const {
  std::optional<std::string> out;
  for (const auto& [field, value] : fields_) {
    if (!EqualsIgnoreCase(field, name)) continue;
    if (out.has_value()) {
      out->append(", ").append(value);
    } else {
      out = value;
    }
  }
  return out;
}

void HttpHeaders::Remove(std::string_view name) {
  std::erase_if(fields_, [&](const auto& f) { return EqualsIgnoreCase(f.first, name); });
}

}  // namespace tracewire::net
