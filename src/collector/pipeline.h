// Service: the running graph of a CollectorConfig (like the OTel Collector's service). One
// instance per receiver id, shared by the pipelines that list it (a receiver in several pipelines
// of one signal hands each a batch of its own: the first ones get deep copies); processors
// built per pipeline; one instance per exporter id, shared by every pipeline listing it; each
// pipeline ends in a fan-out to its exporters whose ConsumeDone runs once, after all answered.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "collector/config.h"
#include "collector/factory.h"

namespace tracewire::collector {

class Service {
 public:
  // Creates every component (nothing started yet). Errors name the component id.
  static StatusOr<std::unique_ptr<Service>> Build(const CollectorConfig& config,
                                                  const Registry& registry,
                                                  const BuildContext& context);

  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;
  // Shuts down (see Shutdown()).
  ~Service();

  // Starts exporters, then processors (downstream first), then receivers. On an error the
  // components already started are shut down again and the error names the failing one.
  Status Start();
  // Stops receivers, then processors (upstream first, so their flushes reach the exporters),
  // then exporters. Returns the first error; idempotent.
  Status Shutdown();

  // The exporter instance with this id, or nullptr (tests and diagnostics).
  Exporter* exporter(std::string_view id) const;
  // The receiver instances, in config order (e.g. to ask them for their bound ports).
  std::vector<const Component*> receivers() const;

  struct Parts;  // the graph (pipeline.cc)

 private:
  explicit Service(std::unique_ptr<Parts> parts);

  std::unique_ptr<Parts> parts_;
  bool started_ = false;
  bool shut_down_ = false;
};

}  // namespace tracewire::collector
