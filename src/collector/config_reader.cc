#include "collector/config_reader.h"

#include <charconv>
#include <cmath>

namespace tracewire::collector {

namespace {

Status Bad(const std::string& path, std::string_view why) {
  return InvalidArgumentError(path + ": " + std::string(why));
}

// A scalar quoted in a message: short, on one line.
std::string Quote(std::string_view text) {
  std::string s(text.substr(0, 64));
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return "'" + s + (text.size() > 64 ? "...'" : "'");
}

// ParseDuration's body, as a Status (what ConfigMap calls).
Status ParseDurationInto(std::string_view text, std::chrono::nanoseconds* out) {
  if (text == "0") {
    *out = std::chrono::nanoseconds(0);
    return OkStatus();
  }
  if (text.empty()) return InvalidArgumentError("empty duration");
  double total_ns = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    size_t digits = 0;
    while (digits < rest.size() &&
           ((rest[digits] >= '0' && rest[digits] <= '9') || rest[digits] == '.')) {
      ++digits;
    }
    if (digits == 0) break;
    double value = 0;
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + digits, value);
    if (ec != std::errc() || ptr != rest.data() + digits) break;
    rest.remove_prefix(digits);
    size_t unit_len = 0;
    while (unit_len < rest.size() && ((rest[unit_len] >= 'a' && rest[unit_len] <= 'z') ||
                                      static_cast<unsigned char>(rest[unit_len]) >= 0x80)) {
      ++unit_len;
    }
    const std::string_view unit = rest.substr(0, unit_len);
    double scale = 0;
    if (unit == "ns") {
      scale = 1;
    } else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") {
      scale = 1e3;
    } else if (unit == "ms") {
      scale = 1e6;
    } else if (unit == "s") {
      scale = 1e9;
    } else if (unit == "m") {
      scale = 60e9;
    } else if (unit == "h") {
      scale = 3600e9;
    } else {
      return InvalidArgumentError("not a duration (like 200ms, 5s, 1m30s): " + Quote(text));
    }
    rest.remove_prefix(unit_len);
    total_ns += value * scale;
  }
  if (!rest.empty() || !(total_ns < 1e18)) {
    return InvalidArgumentError("not a duration (like 200ms, 5s, 1m30s): " + Quote(text));
  }
  *out = std::chrono::nanoseconds(static_cast<int64_t>(std::llround(total_ns)));
  return OkStatus();
}

}  // namespace

StatusOr<std::chrono::nanoseconds> ParseDuration(std::string_view text) {
  std::chrono::nanoseconds d{0};
  TW_RETURN_IF_ERROR(ParseDurationInto(text, &d));
  return d;
}

StatusOr<HostPort> ParseHostPort(std::string_view text) {
  HostPort out;
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return InvalidArgumentError("not host:port: " + Quote(text));
  std::string_view host = text.substr(0, colon);
  const std::string_view port = text.substr(colon + 1);
  if (!host.empty() && host.front() == '[') {
    if (host.back() != ']') return InvalidArgumentError("not host:port: " + Quote(text));
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return InvalidArgumentError("not host:port (write IPv6 as [addr]:port): " + Quote(text));
  }
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || ptr != port.data() + port.size() || value > 65535) {
    return InvalidArgumentError("not host:port (port 0..65535): " + Quote(text));
  }
  out.host = std::string(host);
  out.port = static_cast<uint16_t>(value);
  return out;
}

StatusOr<ConfigMap> ConfigMap::Open(const YAML::Node& node, std::string path) {
  if (!node.IsDefined() || node.IsNull()) return ConfigMap(YAML::Node(YAML::NodeType::Map), path);
  if (!node.IsMap()) return Bad(path, "must be a mapping of keys");
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) return Bad(path, "keys must be plain strings");
  }
  return ConfigMap(node, std::move(path));
}

std::string ConfigMap::PathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

bool ConfigMap::Has(std::string_view key) {
  known_.emplace(key);
  const YAML::Node& node = node_;
  const YAML::Node value = node[std::string(key)];
  return value.IsDefined() && !value.IsNull();
}

Status ConfigMap::Scalar(std::string_view key, std::string* text, bool* present) {
  *present = false;
  if (!Has(key)) return OkStatus();
  const YAML::Node& node = node_;
  const YAML::Node value = node[std::string(key)];
  if (!value.IsScalar()) return Bad(PathOf(key), "must be a single value");
  *text = value.Scalar();
  *present = true;
  return OkStatus();
}

Status ConfigMap::ReadString(std::string_view key, std::string* out) {
  std::string text;
  bool present = false;
  TW_RETURN_IF_ERROR(Scalar(key, &text, &present));
  if (present) *out = std::move(text);
  return OkStatus();
}

Status ConfigMap::ReadBool(std::string_view key, bool* out) {
  std::string text;
  bool present = false;
  TW_RETURN_IF_ERROR(Scalar(key, &text, &present));
  if (!present) return OkStatus();
  if (text == "true" || text == "True" || text == "TRUE") {
    *out = true;
  } else if (text == "false" || text == "False" || text == "FALSE") {
    *out = false;
  } else {
    return Bad(PathOf(key), "must be true or false, not " + Quote(text));
  }
  return OkStatus();
}

Status ConfigMap::ReadUint(std::string_view key, uint64_t min, uint64_t max, uint64_t* out) {
  std::string text;
  bool present = false;
  TW_RETURN_IF_ERROR(Scalar(key, &text, &present));
  if (!present) return OkStatus();
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value < min ||
      value > max) {
    return Bad(PathOf(key), "must be an integer in [" + std::to_string(min) + ", " +
                                std::to_string(max) + "], not " + Quote(text));
  }
  *out = value;
  return OkStatus();
}

Status ConfigMap::ReadDouble(std::string_view key, double min, double max, double* out) {
  std::string text;
  bool present = false;
  TW_RETURN_IF_ERROR(Scalar(key, &text, &present));
  if (!present) return OkStatus();
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || !(value >= min) ||
      !(value <= max)) {
    return Bad(PathOf(key), "must be a number in [" + std::to_string(min) + ", " +
                                std::to_string(max) + "], not " + Quote(text));
  }
  *out = value;
  return OkStatus();
}

Status ConfigMap::ReadDuration(std::string_view key, std::chrono::nanoseconds* out) {
  std::string text;
  bool present = false;
  TW_RETURN_IF_ERROR(Scalar(key, &text, &present));
  if (!present) return OkStatus();
  Status s = ParseDurationInto(text, out);
  if (!s.ok()) return Bad(PathOf(key), s.message());
  return OkStatus();
}

Status ConfigMap::ReadEnum(std::string_view key, const std::vector<std::string_view>& choices,
                           std::string* out) {
  std::string text;
  bool present = false;
  TW_RETURN_IF_ERROR(Scalar(key, &text, &present));
  if (!present) return OkStatus();
  std::string list;
  for (std::string_view c : choices) {
    if (c == text) {
      *out = std::move(text);
      return OkStatus();
    }
    list += (list.empty() ? "" : ", ") + std::string(c);
  }
  return Bad(PathOf(key), "must be one of " + list + ", not " + Quote(text));
}

Status ConfigMap::ReadStringList(std::string_view key, std::vector<std::string>* out) {
  if (!Has(key)) return OkStatus();
  const YAML::Node& node = node_;
  const YAML::Node value = node[std::string(key)];
  if (!value.IsSequence()) return Bad(PathOf(key), "must be a list");
  std::vector<std::string> items;
  for (size_t i = 0; i < value.size(); ++i) {
    if (!value[i].IsScalar()) {
      return Bad(PathOf(key) + "[" + std::to_string(i) + "]", "must be a single value");
    }
    items.push_back(value[i].Scalar());
  }
  *out = std::move(items);
  return OkStatus();
}

Status ConfigMap::ReadStringMap(std::string_view key,
                                std::vector<std::pair<std::string, std::string>>* out) {
  if (!Has(key)) return OkStatus();
  const YAML::Node& node = node_;
  const YAML::Node value = node[std::string(key)];
  if (!value.IsMap()) return Bad(PathOf(key), "must be a mapping");
  std::vector<std::pair<std::string, std::string>> items;
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (!it->first.IsScalar()) return Bad(PathOf(key), "keys must be plain strings");
    const std::string name = it->first.Scalar();
    // Values may be secrets: never quoted.
    if (!it->second.IsScalar()) return Bad(PathOf(key) + "." + name, "must be a single value");
    items.emplace_back(name, it->second.Scalar());
  }
  *out = std::move(items);
  return OkStatus();
}

StatusOr<ConfigMap> ConfigMap::Sub(std::string_view key) {
  known_.emplace(key);
  const YAML::Node& node = node_;
  return Open(node[std::string(key)], PathOf(key));
}

std::vector<std::string> ConfigMap::Keys() const {
  std::vector<std::string> keys;
  for (auto it = node_.begin(); it != node_.end(); ++it) keys.push_back(it->first.Scalar());
  return keys;
}

Status ConfigMap::CheckNoUnknownKeys() const {
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    const std::string key = it->first.Scalar();
    if (known_.find(key) == known_.end()) return Bad(PathOf(key), "unknown key");
  }
  return OkStatus();
}

StatusOr<YAML::Node> LoadYaml(std::string_view yaml_text) {
  // yaml-cpp parses recursively: bound the size and the flow nesting before it sees the text.
  constexpr size_t kMaxConfigBytes = size_t{1} << 20;
  constexpr int kMaxFlowDepth = 64;
  if (yaml_text.size() > kMaxConfigBytes) {
    return InvalidArgumentError("<config>: larger than 1 MiB");
  }
  int depth = 0;
  for (char c : yaml_text) {
    if (c == '[' || c == '{') ++depth;
    if ((c == ']' || c == '}') && depth > 0) --depth;
    if (depth > kMaxFlowDepth) return InvalidArgumentError("<config>: nested too deeply");
  }
  try {
    return YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError("<config>: YAML error at line " + std::to_string(e.mark.line + 1) +
                                ", column " + std::to_string(e.mark.column + 1) + ": " + e.msg);
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("<config>: ") + e.what());
  }
}

}  // namespace tracewire::collector
