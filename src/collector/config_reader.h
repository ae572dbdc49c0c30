// ConfigMap: reads one YAML mapping of the collector config (a component's section or a part of
// it) with typed getters whose errors name the full key path, e.g.
// "exporters.otlphttp/arms.retry_on_failure.max_interval: not a duration". Keys that were never
// asked for are reported by CheckNoUnknownKeys(). Never throws (yaml-cpp's throwing accessors
// are not used).
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace tracewire::collector {

// Go-style durations as the OTel Collector writes them: "200ms", "1.5s", "1m30s", "0"; units
// ns, us (µs), ms, s, m, h. Negative values are refused. Errors: INVALID_ARGUMENT.
StatusOr<std::chrono::nanoseconds> ParseDuration(std::string_view text);

// "host:port" or "[v6]:port" (port 0..65535; host may be empty, meaning all interfaces).
struct HostPort {
  std::string host;
  uint16_t port = 0;
};
// Loads YAML text into a node (yaml-cpp exceptions caught here). Errors: INVALID_ARGUMENT
// with line and column.
StatusOr<YAML::Node> LoadYaml(std::string_view yaml_text);

StatusOr<HostPort> ParseHostPort(std::string_view text);

class ConfigMap {
 public:
  // `node` may be undefined or null (an empty section: all defaults); otherwise it must be a
  // mapping. `path` names it in messages.
  static StatusOr<ConfigMap> Open(const YAML::Node& node, std::string path);

  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view key) const;
  // True when `key` is present with a non-null value; marks it known either way.
  bool Has(std::string_view key);

  // Each reader leaves *out unchanged when the key is absent or null.
  Status ReadString(std::string_view key, std::string* out);
  Status ReadBool(std::string_view key, bool* out);
  Status ReadUint(std::string_view key, uint64_t min, uint64_t max, uint64_t* out);
  Status ReadDouble(std::string_view key, double min, double max, double* out);
  Status ReadDuration(std::string_view key, std::chrono::nanoseconds* out);
  // One of `choices`, compared exactly.
  Status ReadEnum(std::string_view key, const std::vector<std::string_view>& choices,
                  std::string* out);
  Status ReadStringList(std::string_view key, std::vector<std::string>* out);
  // A mapping of scalar values, in file order (e.g. headers).
  Status ReadStringMap(std::string_view key, std::vector<std::pair<std::string, std::string>>* out);
  // A nested mapping (an empty one when absent).
  StatusOr<ConfigMap> Sub(std::string_view key);

  // Every key, in file order (marks none known).
  std::vector<std::string> Keys() const;

  // INVALID_ARGUMENT naming the first key that no reader asked for.
  Status CheckNoUnknownKeys() const;

 private:
  ConfigMap(const YAML::Node& node, std::string path) : node_(node), path_(std::move(path)) {}
  // The scalar text under `key`; *present false when absent or null. Error when not a scalar.
  Status Scalar(std::string_view key, std::string* text, bool* present);

  YAML::Node node_;
  std::string path_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace tracewire::collector
