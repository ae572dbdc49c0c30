// `tracewire sidecar`: the transparent tracing proxy (src/sidecar) as a command.
#pragma once

#include <iosfwd>
#include <string>

namespace tracewire::apps {

struct SidecarFlags {
  std::string config_file;  // YAML (src/sidecar/config.h); empty: the defaults
  bool print_config = false;
};

// Runs until SIGINT or SIGTERM, printing one line per listener with its bound address
// ("tracewire sidecar: listeners.inbound listening on 127.0.0.1:15006"), then stops, flushes
// spans and returns 0. --print-config prints the effective config summary and returns 0.
// Start-up errors: one line naming the key on `err`, returns 2.
int RunSidecar(const SidecarFlags& flags, std::ostream& out, std::ostream& err);

}  // namespace tracewire::apps
