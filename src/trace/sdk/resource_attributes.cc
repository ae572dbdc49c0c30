#include "trace/sdk/resource_attributes.h"

#include <algorithm>
#include <string>

namespace tracewire::trace {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = HexValue(in[i + 1]);
    const int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>((hi << 4) | lo));
    i += 2;
  }
  return true;
}

}  // namespace

StatusOr<Attributes> ParseResourceAttributes(std::string_view text) {
  Attributes out;
  size_t index = 0;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view member = Trim(text.substr(0, comma));
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
    if (!PercentDecode(Trim(member.substr(0, eq)), key) ||
        !PercentDecode(Trim(member.substr(eq + 1)), value)) {
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
