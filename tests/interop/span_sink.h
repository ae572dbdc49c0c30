// SpanSink: an OTLP/HTTP receiver for the interop tests. Accepts POST /v1/traces with protobuf
// (what the C++ exporter and Go's otlptracehttp send), keeps every span in a flat form.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"
#include "net/http_server.h"

namespace tracewire::testing {

struct SinkSpan {
  std::string service;         // resource service.name
  std::string trace_id;        // 32 hex
  std::string span_id;         // 16 hex
  std::string parent_span_id;  // 16 hex, or "" for a root
  std::string name;
  int kind = 0;                                   // OTLP SpanKind: 2 server, 3 client
  int status_code = 0;                            // OTLP: 0 unset, 1 ok, 2 error
  std::map<std::string, std::string> attributes;  // values printed as text
};

class SpanSink {
 public:
  static StatusOr<std::unique_ptr<SpanSink>> Start();
  ~SpanSink();

  uint16_t port() const { return server_->port(); }
  std::string endpoint() const;  // http://127.0.0.1:PORT/v1/traces

  std::vector<SinkSpan> Spans() const;
  // Waits until `done(spans)` holds; returns the spans then, or what there is after `timeout`.
  std::vector<SinkSpan> WaitFor(const std::function<bool(const std::vector<SinkSpan>&)>& done,
                                std::chrono::milliseconds timeout) const;

 private:
  net::HttpResponse Handle(const net::HttpRequest& request);

  std::unique_ptr<net::HttpServer> server_;
  mutable std::mutex mu_;
  std::vector<SinkSpan> spans_;  // guarded by mu_
};

}  // namespace tracewire::testing
