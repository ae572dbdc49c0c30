// `tracewire call`: one tRPC call from the command line (grpcurl for tRPC), printing the
// response, its codes and the trace id.
#pragma once

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "base/env.h"

namespace tracewire::apps {

struct CallCommand {
  std::string address;            // HOST:PORT
  std::string func;               // /pkg.Service/Method
  std::string data;               // raw body
  std::string json;               // JSON body; sets content type json
  std::vector<std::string> meta;  // "key=value" trans_info entries
  std::string content_type;       // proto|json|noop; empty: json with --json, else proto
  std::string callee;             // empty: pkg.Service from the func
  std::string caller = "tracewire.call";
  std::string inject = "text";
  std::chrono::milliseconds timeout{5000};
};

// Makes the call and prints the outcome to `out` (errors in the command itself to `err`).
// Returns 0 when ret and func_ret are 0, 1 when the call failed, 2 for a bad command.
// Tracing follows the OTEL_* variables read through `getenv`; unless an OTLP endpoint or
// OTEL_TRACES_EXPORTER is set, spans are made (the trace id is printed) but not exported.
int RunCall(const CallCommand& command, std::ostream& out, std::ostream& err,
            const GetEnvFn& getenv = ProcessGetEnv);

// Shows `bytes` printable: as is when it is printable ASCII/UTF-8 text, else with \xNN escapes.
std::string Printable(std::string_view bytes);

}  // namespace tracewire::apps
