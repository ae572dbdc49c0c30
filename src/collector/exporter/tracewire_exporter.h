// The "tracewire" exporter: hands batches to the embedded store (BuildContext::store); a batch's
// done is the store's AppendDone, so OK means durable under the store's sync policy. Its config
// section holds the store's settings; the hosting program opens the store from them
// (StoreOptionsOf) before building the pipelines. At most one per config.
//
//   exporters:
//     tracewire:
//       data_dir: ./tracewire-data
//       sync: always            # always | interval | never
//       sync_interval: 1s
//       retention: {max_age: 72h, max_bytes: 0}
//       indexed_attributes: [http.response.status_code, rpc.method]
//       head: {max_bytes: 268435456, max_age: 10m}
#pragma once

#include <memory>
#include <string>

#include "collector/config.h"
#include "collector/factory.h"
#include "store/store_options.h"

namespace tracewire::collector {

struct TracewireExporterConfig : ComponentConfig {
  store::StoreOptions store;
};

StatusOr<std::unique_ptr<TracewireExporterConfig>> ParseTracewireExporterConfig(
    const YAML::Node& node, std::string_view path);

// The store settings of the config's tracewire exporter used by a pipeline; nullptr when none.
// INVALID_ARGUMENT when pipelines use more than one (one process has one store).
StatusOr<const TracewireExporterConfig*> FindStoreConfig(const CollectorConfig& config);

}  // namespace tracewire::collector
