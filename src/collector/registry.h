// The factories a collector config may name, by component type. Extensions have no running
// component here: their parsed config is read by the program that hosts them (tracewire serve
// runs the "tracewire_query" extension itself).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "collector/factory.h"

namespace tracewire::collector {

class ExtensionFactory {
 public:
  virtual ~ExtensionFactory() = default;
  virtual std::string_view type() const = 0;
  virtual StatusOr<std::unique_ptr<ComponentConfig>> ParseConfig(const YAML::Node& node,
                                                                 std::string_view path) const = 0;
};

class Registry {
 public:
  void Add(std::unique_ptr<ReceiverFactory> f) { Put(receivers_, std::move(f)); }
  void Add(std::unique_ptr<ProcessorFactory> f) { Put(processors_, std::move(f)); }
  void Add(std::unique_ptr<ExporterFactory> f) { Put(exporters_, std::move(f)); }
  void Add(std::unique_ptr<ExtensionFactory> f) { Put(extensions_, std::move(f)); }

  // nullptr for an unknown type.
  const ReceiverFactory* receiver(std::string_view type) const { return Get(receivers_, type); }
  const ProcessorFactory* processor(std::string_view type) const { return Get(processors_, type); }
  const ExporterFactory* exporter(std::string_view type) const { return Get(exporters_, type); }
  const ExtensionFactory* extension(std::string_view type) const { return Get(extensions_, type); }

  // "a, b, c": the known types of a kind, for messages. kind: receivers, processors, exporters,
  // extensions.
  std::string KnownTypes(std::string_view kind) const;

 private:
  template <typename F>
  using Map = std::map<std::string, std::unique_ptr<F>, std::less<>>;
  template <typename F>
  static void Put(Map<F>& map, std::unique_ptr<F> f) {
    std::string type(f->type());
    map[type] = std::move(f);
  }
  template <typename F>
  static const F* Get(const Map<F>& map, std::string_view type) {
    auto it = map.find(type);
    return it == map.end() ? nullptr : it->second.get();
  }

  Map<ReceiverFactory> receivers_;
  Map<ProcessorFactory> processors_;
  Map<ExporterFactory> exporters_;
  Map<ExtensionFactory> extensions_;
};

// Every component tracewire ships: receivers otlp, zipkin; processors batch, memory_limiter,
// limits; exporters tracewire, otlphttp, otlp, debug; extension tracewire_query.
Registry DefaultRegistry();
// The same without receivers (for tests that build pipelines without the network).
Registry DefaultRegistryWithoutReceivers();

}  // namespace tracewire::collector
