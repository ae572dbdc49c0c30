// Component factories: one per component type ("otlp", "batch", "otlphttp", ...), registered in
// the collector's registry. A factory parses its section of the YAML config into its own config
// type (validating every key: unknown keys and bad values are INVALID_ARGUMENT naming the full
// path, e.g. "receivers.otlp/2.protocols.http.endpoint: not host:port") and builds components
// from it. Parsing happens once at start-up; the components never look at YAML.
#pragma once

#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "collector/component.h"

namespace tracewire::store {
class Store;
}

namespace tracewire::collector {

// A factory's parsed, validated config. Each factory downcasts to its own type.
struct ComponentConfig {
  virtual ~ComponentConfig() = default;
};

// A component's config parser: fills `*config` from `node`, naming `path` in errors.
template <typename Config>
using FillConfigFn = Status (*)(const YAML::Node& node, std::string_view path, Config* config);

// Parses `node` into a new Config with `fill`; as the concrete type, or as a ComponentConfig for
// a factory's ParseConfig.
template <typename Config, typename As = Config>
StatusOr<std::unique_ptr<As>> ParseConfigWith(FillConfigFn<Config> fill, const YAML::Node& node,
                                              std::string_view path) {
  auto config = std::make_unique<Config>();
  TW_RETURN_IF_ERROR(fill(node, path, config.get()));
  return std::unique_ptr<As>(std::move(config));
}

// A processor or exporter takes both signals; a pipeline uses the one it carries.
class Processor : public Component, public TracesConsumer, public LogsConsumer {};
class Exporter : public Component, public TracesConsumer, public LogsConsumer {};

// What a component may use from the process around it.
struct BuildContext {
  store::Store* store = nullptr;  // the embedded store (the "tracewire" exporter), if open
};

class ReceiverFactory {
 public:
  virtual ~ReceiverFactory() = default;
  virtual std::string_view type() const = 0;
  // `node` may be null or empty (all defaults). `path` is the key path for messages.
  virtual StatusOr<std::unique_ptr<ComponentConfig>> ParseConfig(const YAML::Node& node,
                                                                 std::string_view path) const = 0;
  // `traces` / `logs` are null when no pipeline of that signal uses this receiver; they outlive
  // the receiver.
  virtual StatusOr<std::unique_ptr<Component>> Create(std::string id, const ComponentConfig& config,
                                                      TracesConsumer* traces,
                                                      LogsConsumer* logs) const = 0;
};

class ProcessorFactory {
 public:
  virtual ~ProcessorFactory() = default;
  virtual std::string_view type() const = 0;
  virtual StatusOr<std::unique_ptr<ComponentConfig>> ParseConfig(const YAML::Node& node,
                                                                 std::string_view path) const = 0;
  // `next_traces` / `next_logs` outlive the processor (null when unused).
  virtual StatusOr<std::unique_ptr<Processor>> Create(std::string id, const ComponentConfig& config,
                                                      TracesConsumer* next_traces,
                                                      LogsConsumer* next_logs) const = 0;
};

class ExporterFactory {
 public:
  virtual ~ExporterFactory() = default;
  virtual std::string_view type() const = 0;
  virtual StatusOr<std::unique_ptr<ComponentConfig>> ParseConfig(const YAML::Node& node,
                                                                 std::string_view path) const = 0;
  virtual StatusOr<std::unique_ptr<Exporter>> Create(std::string id, const ComponentConfig& config,
                                                     const BuildContext& context) const = 0;
};

}  // namespace tracewire::collector
