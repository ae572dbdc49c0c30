// Config of the "tracewire_query" extension: where `tracewire serve` answers the query API (and
// the UI). The collector only parses it; the hosting program runs the server.
//
//   extensions:
//     tracewire_query:
//       endpoint: localhost:16686
//       auth: {bearer_token: "..."}   # when set, /api needs "Authorization: Bearer <token>"
//       max_search_limit: 1500
//       ui_dir: ui/dist               # the built web UI served at /; default: found from the exe
//   service:
//     extensions: [tracewire_query]
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "collector/config.h"
#include "collector/config_reader.h"
#include "collector/registry.h"

namespace tracewire::collector {

struct QueryExtensionConfig : ComponentConfig {
  HostPort endpoint{"localhost", 16686};
  std::string bearer_token;  // a secret: never logged
  uint64_t max_search_limit = 1500;
  std::string ui_dir;  // empty: the default (query::FindDefaultUiDir)
};

std::unique_ptr<ExtensionFactory> NewQueryExtensionFactory();

// The enabled (listed in service.extensions) tracewire_query extensions.
std::vector<const QueryExtensionConfig*> EnabledQueryExtensions(const CollectorConfig& config);

}  // namespace tracewire::collector
