// The configuration side of `tracewire serve`: the all-in-one default config (embedded YAML) and
// the command-line overrides applied to it or to a --config file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "base/status.h"

namespace tracewire::apps {

struct ServeFlags {
  std::string config_file;  // empty: the default config
  // host:port overrides; empty: as in the config.
  std::string data_dir;
  std::string otlp_grpc;  // receivers.otlp.protocols.grpc.endpoint
  std::string otlp_http;  // receivers.otlp.protocols.http.endpoint
  std::string zipkin;     // receivers.zipkin.endpoint
  std::string http;       // extensions.tracewire_query.endpoint
  bool print_config = false;
};

// The all-in-one config of `tracewire serve` with no arguments (what --print-config shows).
std::string_view DefaultServeConfig();

// The config document: --config's file (or the default), with the flags applied.
// Errors: INVALID_ARGUMENT naming the flag ("--zipkin: ...") or the file.
StatusOr<YAML::Node> LoadServeConfig(const ServeFlags& flags);

// The text --print-config shows: the default verbatim (comments kept) when nothing overrides
// it, else the effective document.
StatusOr<std::string> PrintableServeConfig(const ServeFlags& flags);

}  // namespace tracewire::apps
