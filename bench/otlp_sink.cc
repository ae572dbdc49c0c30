// otlp_sink: a minimal local OTLP/HTTP trace collector for benchmarks. Accepts
// POST /v1/traces (protobuf or JSON, optionally gzip), answers 200 with an empty
// ExportTraceServiceResponse, and counts requests, body bytes and spans. On SIGTERM or SIGINT
// it prints its totals as one JSON line and exits.
#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "net/http_router.h"
#include "net/http_server.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otlp/gzip.h"

namespace tracewire::bench {
namespace {

constexpr size_t kMaxInflatedBytes = size_t{64} * 1024 * 1024;

struct SinkCounters {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> bytes{0};  // request bodies as received (before gunzip)
  std::atomic<uint64_t> spans{0};
  std::atomic<uint64_t> bad_requests{0};
};

// Spans in an OTLP/JSON ExportTraceServiceRequest, or -1 when it is not one.
int64_t CountJsonSpans(const std::string& body) {
  const auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return -1;
  int64_t spans = 0;
  const auto rs = doc.find("resourceSpans");
  if (rs == doc.end()) return 0;
  if (!rs->is_array()) return -1;
  for (const auto& resource : *rs) {
    const auto ss = resource.find("scopeSpans");
    if (ss == resource.end() || !ss->is_array()) continue;
    for (const auto& scope : *ss) {
      const auto sp = scope.find("spans");
      if (sp != scope.end() && sp->is_array()) spans += static_cast<int64_t>(sp->size());
    }
  }
  return spans;
}

// Reads a protobuf varint at *pos; false when truncated or longer than 10 bytes.
bool ReadVarint(std::string_view b, size_t* pos, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *pos < b.size(); shift += 7) {
    const auto byte = static_cast<uint8_t>(b[(*pos)++]);
    *v |= uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// Calls on_field(number, payload) for every length-delimited field of the message `b`, skips
// the others; false on malformed wire data.
template <typename F>
bool ForEachLengthField(std::string_view b, F&& on_field) {
  size_t pos = 0;
  while (pos < b.size()) {
    uint64_t tag = 0;
    uint64_t n = 0;
    if (!ReadVarint(b, &pos, &tag)) return false;
    switch (tag & 7) {
      case 0:
        if (!ReadVarint(b, &pos, &n)) return false;
        break;
      case 1: pos += 8; break;
      case 5: pos += 4; break;
      case 2:
        if (!ReadVarint(b, &pos, &n) || n > b.size() - pos) return false;
        if (!on_field(tag >> 3, b.substr(pos, n))) return false;
        pos += n;
        break;
      default: return false;
    }
    if (pos > b.size()) return false;
  }
  return true;
}

// Spans in a protobuf ExportTraceServiceRequest by walking only the three outer levels
// (resource_spans = 1, scope_spans = 2, spans = 2) without decoding the spans; -1 when the
// outer levels are malformed. Much cheaper than a full parse, so the sink steals less CPU.
int64_t ScanProtobufSpans(std::string_view body) {
  int64_t spans = 0;
  const bool ok = ForEachLengthField(body, [&](uint64_t f, std::string_view resource_spans) {
    if (f != 1) return true;
    return ForEachLengthField(resource_spans, [&](uint64_t g, std::string_view scope_spans) {
      if (g != 2) return true;
      return ForEachLengthField(scope_spans, [&](uint64_t h, std::string_view) {
        if (h == 2) ++spans;
        return true;
      });
    });
  });
  return ok ? spans : -1;
}

net::HttpResponse Reply(int status, std::string_view content_type, std::string body) {
  net::HttpResponse r;
  r.status = status;
  r.headers.Set("Content-Type", content_type);
  r.body = std::move(body);
  return r;
}

net::HttpResponse HandleTraces(const net::HttpRequest& request, bool scan_only,
                               SinkCounters& counters) {
  counters.requests.fetch_add(1, std::memory_order_relaxed);
  counters.bytes.fetch_add(request.body.size(), std::memory_order_relaxed);
  std::string inflated;
  const std::string* body = &request.body;
  const auto encoding = request.headers.Get("Content-Encoding");
  if (encoding && EqualsIgnoreCase(*encoding, "gzip")) {
    if (!otlp::GzipDecompress(request.body, inflated, kMaxInflatedBytes).ok()) {
      counters.bad_requests.fetch_add(1, std::memory_order_relaxed);
      return Reply(400, "text/plain", "bad gzip body\n");
    }
    body = &inflated;
  }
  const auto type = request.headers.Get("Content-Type").value_or("");
  if (type.starts_with("application/json")) {
    const int64_t spans = CountJsonSpans(*body);
    if (spans < 0) {
      counters.bad_requests.fetch_add(1, std::memory_order_relaxed);
      return Reply(400, "application/json", R"({"code":3,"message":"bad OTLP/JSON"})");
    }
    counters.spans.fetch_add(static_cast<uint64_t>(spans), std::memory_order_relaxed);
    return Reply(200, "application/json", "{}");
  }
  if (scan_only) {
    const int64_t spans = ScanProtobufSpans(*body);
    if (spans < 0) {
      counters.bad_requests.fetch_add(1, std::memory_order_relaxed);
      return Reply(400, "application/x-protobuf", "");
    }
    counters.spans.fetch_add(static_cast<uint64_t>(spans), std::memory_order_relaxed);
    return Reply(200, "application/x-protobuf", "");
  }
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest export_request;
  if (!export_request.ParseFromString(*body)) {
    counters.bad_requests.fetch_add(1, std::memory_order_relaxed);
    return Reply(400, "application/x-protobuf", "");
  }
  uint64_t spans = 0;
  for (const auto& rs : export_request.resource_spans()) {
    for (const auto& ss : rs.scope_spans()) spans += static_cast<uint64_t>(ss.spans_size());
  }
  counters.spans.fetch_add(spans, std::memory_order_relaxed);
  return Reply(200, "application/x-protobuf", "");  // an empty response message
}

}  // namespace
}  // namespace tracewire::bench

int main(int argc, char** argv) {
  using namespace tracewire;  // NOLINT(google-build-using-namespace)
  net::HttpServerOptions options;
  CLI::App app{"Minimal OTLP/HTTP trace sink: counts requests, bytes and spans"};
  app.add_option("--host", options.host, "address to bind")->capture_default_str();
  app.add_option("--port", options.port, "port; 0 picks one and prints it")->capture_default_str();
  app.add_option("--threads", options.threads, "server threads")->capture_default_str();
  bool scan_only = false;
  app.add_flag("--scan", scan_only,
               "count protobuf spans by walking the outer wire levels instead of a full parse");
  CLI11_PARSE(app, argc, argv);

  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  bench::SinkCounters counters;
  net::HttpRouter router;
  router.Handle("POST", "/v1/traces", [&counters, scan_only](const net::HttpRequest& request) {
    return bench::HandleTraces(request, scan_only, counters);
  });
  options.limits.max_body_bytes = size_t{64} * 1024 * 1024;
  auto server = net::HttpServer::Start(options, router);
  if (!server.ok()) {
    std::fprintf(stderr, "otlp_sink: %s\n", server.status().ToString().c_str());
    return 1;
  }
  std::printf("listening on %s:%u\n", options.host.c_str(), (*server)->port());
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  (*server)->Stop();
  std::printf("{\"requests\":%llu,\"bytes\":%llu,\"spans\":%llu,\"bad_requests\":%llu}\n",
              static_cast<unsigned long long>(counters.requests.load()),
              static_cast<unsigned long long>(counters.bytes.load()),
              static_cast<unsigned long long>(counters.spans.load()),
              static_cast<unsigned long long>(counters.bad_requests.load()));
  std::fflush(stdout);
  return 0;
}
