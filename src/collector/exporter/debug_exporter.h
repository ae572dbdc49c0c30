// The "debug" exporter (as the OTel Collector's debugexporter): verbosity basic → one line per
// batch; normal → one line per span / log record; detailed → that plus its attributes. Writes to
// standard error (or a sink, for tests). Acknowledges at once.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "collector/factory.h"

namespace tracewire::collector {

enum class DebugVerbosity { kBasic, kNormal, kDetailed };

struct DebugExporterConfig : ComponentConfig {
  DebugVerbosity verbosity = DebugVerbosity::kBasic;
  std::function<void(std::string_view)> sink;  // one call per line; null: standard error
};

StatusOr<std::unique_ptr<DebugExporterConfig>> ParseDebugExporterConfig(const YAML::Node& node,
                                                                        std::string_view path);

std::unique_ptr<Exporter> NewDebugExporter(std::string id, const DebugExporterConfig& config);

}  // namespace tracewire::collector
