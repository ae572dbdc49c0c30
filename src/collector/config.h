// The collector config: a YAML document shaped like the OpenTelemetry Collector's
//
//   receivers:  {<type>[/<name>]: {...}}     processors: {...}     exporters: {...}
//   extensions: {...}
//   service:
//     extensions: [ids]
//     pipelines: {traces[/<name>]: {receivers: [ids], processors: [ids], exporters: [ids]},
//                 logs[/<name>]: {...}}
//     telemetry: {logs: {level: debug|info|warn|error}}
//
// parsed and validated at start-up: every component section by its factory, every pipeline
// against the declared components. Errors are INVALID_ARGUMENT naming the key path.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "collector/config_reader.h"
#include "collector/factory.h"
#include "collector/registry.h"

namespace tracewire::collector {

enum class Signal { kTraces, kLogs };

// One declared component: its id ("otlphttp/arms"), type ("otlphttp") and parsed config.
struct ComponentEntry {
  std::string id;
  std::string type;
  std::unique_ptr<ComponentConfig> config;
};

struct PipelineConfig {
  std::string id;  // "traces" or "traces/<name>"
  Signal signal = Signal::kTraces;
  std::vector<std::string> receivers;
  std::vector<std::string> processors;
  std::vector<std::string> exporters;
};

struct CollectorConfig {
  // In file order.
  std::vector<ComponentEntry> receivers;
  std::vector<ComponentEntry> processors;
  std::vector<ComponentEntry> exporters;
  std::vector<ComponentEntry> extensions;
  std::vector<PipelineConfig> pipelines;
  std::vector<std::string> service_extensions;  // enabled extension ids
  std::string log_level = "info";
  // Not errors, as in the OTel Collector: e.g. a receiver or exporter used by no pipeline.
  std::vector<std::string> warnings;

  // nullptr when not declared.
  const ComponentEntry* FindReceiver(std::string_view id) const;
  const ComponentEntry* FindProcessor(std::string_view id) const;
  const ComponentEntry* FindExporter(std::string_view id) const;
  const ComponentEntry* FindExtension(std::string_view id) const;
};

// Parses and validates a YAML document (text). Errors: INVALID_ARGUMENT naming the key path
// ("<config>: ..." for YAML syntax errors, with line and column).
StatusOr<CollectorConfig> ParseCollectorConfig(std::string_view yaml_text,
                                               const Registry& registry);
// The same for an already loaded document.
StatusOr<CollectorConfig> ParseCollectorConfig(const YAML::Node& root, const Registry& registry);

// Splits "type/name" into type; INVALID_ARGUMENT (naming `path`) for "", "/x", "x/", "a/b/c".
StatusOr<std::string> ComponentType(std::string_view id, std::string_view path);

}  // namespace tracewire::collector
