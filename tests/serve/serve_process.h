// ServeProcess: a real `tracewire serve` child for the integration tests, on free loopback
// ports and a data directory of the test's choosing, plus small OTLP/HTTP helpers.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "net/http_message.h"
#include "tests/interop/subprocess.h"

namespace tracewire::testing {

struct ServePorts {
  uint16_t otlp_grpc = 0;
  uint16_t otlp_http = 0;
  uint16_t zipkin = 0;
  uint16_t query = 0;
};

class ServeProcess {
 public:
  // Starts `tracewire serve --data-dir DIR` on fresh ports (plus `extra_args`) and waits until
  // the query API answers. `wrapper` (e.g. {"prlimit", "--fsize=N", "--"}) goes before the binary.
  static StatusOr<std::unique_ptr<ServeProcess>> Start(
      const std::string& data_dir, const std::vector<std::string>& extra_args = {},
      const std::vector<std::string>& wrapper = {});

  const ServePorts& ports() const { return ports_; }
  // SIGKILL, and reaps the child (no flush, no clean shutdown).
  void KillNine();
  // SIGTERM and waits; the exit code.
  int Stop();
  pid_t pid() const { return child_->pid(); }

 private:
  ServeProcess(std::unique_ptr<Subprocess> child, ServePorts ports)
      : child_(std::move(child)), ports_(ports) {}
  std::unique_ptr<Subprocess> child_;
  ServePorts ports_;
};

// An ExportTraceServiceRequest of `spans` spans of one trace (a root and its children) of
// service `service`; trace_id is 16 bytes.
std::string MakeTraceRequest(const std::string& trace_id, int spans, const std::string& service,
                             size_t attribute_bytes = 16);

// POST body to http://127.0.0.1:port/v1/traces as protobuf; the HTTP response.
StatusOr<net::HttpResponse> PostTraces(uint16_t port, const std::string& body,
                                       std::chrono::milliseconds timeout);
// GET a path of the query API.
StatusOr<net::HttpResponse> Get(uint16_t port, const std::string& target);

// Spans of one trace read back through the native API (GET /api/v1/traces/{id}), -1 on any
// error, 0 when not found.
int CountStoredSpans(uint16_t query_port, const std::string& trace_id_hex);

// Resident set size of a process (bytes), 0 when unknown.
uint64_t ResidentBytes(pid_t pid);

}  // namespace tracewire::testing
