#include "tests/serve/serve_process.h"

#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "net/http_client.h"
#include "nlohmann/json.hpp"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace tracewire::testing {
namespace {

namespace pb_collector = opentelemetry::proto::collector::trace::v1;
namespace pb_trace = opentelemetry::proto::trace::v1;

std::string HostPort(uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

}  // namespace

StatusOr<std::unique_ptr<ServeProcess>> ServeProcess::Start(
    const std::string& data_dir, const std::vector<std::string>& extra_args,
    const std::vector<std::string>& wrapper) {
  ServePorts ports{PickFreePort(), PickFreePort(), PickFreePort(), PickFreePort()};
  std::vector<std::string> argv = wrapper;
  for (const std::string& a :
       {std::string(TW_TRACEWIRE_BINARY), std::string("serve"), std::string("--data-dir"), data_dir,
        std::string("--otlp-grpc"), HostPort(ports.otlp_grpc), std::string("--otlp-http"),
        HostPort(ports.otlp_http), std::string("--zipkin"), HostPort(ports.zipkin),
        std::string("--http"), HostPort(ports.query)}) {
    argv.push_back(a);
  }
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  auto child = Subprocess::Start(argv);
  if (!child.ok()) return child.status();
  auto serve = std::unique_ptr<ServeProcess>(new ServeProcess(std::move(*child), ports));
  // Ready once the query API answers and the OTLP/HTTP port accepts.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = Get(ports.query, "/api/services");
    auto o = Get(ports.otlp_http, "/v1/traces");
    if (r.ok() && r->status == 200 && o.ok()) return serve;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return DeadlineExceededError("tracewire serve did not become ready within 60 s");
}

void ServeProcess::KillNine() { child_->Kill(); }

int ServeProcess::Stop() { return child_->Terminate(); }

std::string MakeTraceRequest(const std::string& trace_id, int spans, const std::string& service,
                             size_t attribute_bytes) {
  pb_collector::ExportTraceServiceRequest request;
  auto* rs = request.add_resource_spans();
  auto* attr = rs->mutable_resource()->add_attributes();
  attr->set_key("service.name");
  attr->mutable_value()->set_string_value(service);
  auto* ss = rs->add_scope_spans();
  ss->mutable_scope()->set_name("serve-faults-test");
  const uint64_t t0 = 1'700'000'000'000'000'000ull;
  std::string root_id;
  for (int i = 0; i < spans; ++i) {
    auto* span = ss->add_spans();
    span->set_trace_id(trace_id);
    std::string span_id(8, '\0');
    for (int b = 0; b < 8; ++b) span_id[b] = static_cast<char>(trace_id[b] ^ (i + 1) ^ (b * 31));
    span_id[7] = static_cast<char>(i + 1);  // never all zero, unique within the trace
    span->set_span_id(span_id);
    if (i == 0) {
      root_id = span_id;
    } else {
      span->set_parent_span_id(root_id);
    }
    span->set_name("op-" + std::to_string(i % 7));
    span->set_kind(i == 0 ? pb_trace::Span::SPAN_KIND_SERVER : pb_trace::Span::SPAN_KIND_CLIENT);
    span->set_start_time_unix_nano(t0 + static_cast<uint64_t>(i) * 1000);
    span->set_end_time_unix_nano(t0 + static_cast<uint64_t>(i) * 1000 + 500'000);
    auto* a = span->add_attributes();
    a->set_key("payload");
    a->mutable_value()->set_string_value(std::string(attribute_bytes, 'x'));
    auto* n = span->add_attributes();
    n->set_key("index");
    n->mutable_value()->set_int_value(i);
  }
  return request.SerializeAsString();
}

StatusOr<net::HttpResponse> PostTraces(uint16_t port, const std::string& body,
                                       std::chrono::milliseconds timeout) {
  auto client = net::HttpClient::Create("127.0.0.1", port);
  net::HttpRequest request;
  request.method = "POST";
  request.target = "/v1/traces";
  request.headers.Add("Content-Type", "application/x-protobuf");
  request.body = body;
  return client->Send(request, timeout);
}

StatusOr<net::HttpResponse> Get(uint16_t port, const std::string& target) {
  auto client = net::HttpClient::Create("127.0.0.1", port);
  net::HttpRequest request;
  request.target = target;
  return client->Send(request, std::chrono::seconds(10));
}

int CountStoredSpans(uint16_t query_port, const std::string& trace_id_hex) {
  auto r = Get(query_port, "/api/v1/traces/" + trace_id_hex);
  if (!r.ok()) return -1;
  if (r->status == 404) return 0;
  if (r->status != 200) return -1;
  auto doc = nlohmann::json::parse(r->body, nullptr, false);
  if (doc.is_discarded()) return -1;
  int count = 0;
  for (const auto& rs : doc.value("resourceSpans", nlohmann::json::array())) {
    for (const auto& ss : rs.value("scopeSpans", nlohmann::json::array())) {
      count += static_cast<int>(ss.value("spans", nlohmann::json::array()).size());
    }
  }
  return count;
}

uint64_t ResidentBytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      std::istringstream in(line.substr(6));
      uint64_t kb = 0;
      in >> kb;
      return kb * 1024;
    }
  }
  return 0;
}

}  // namespace tracewire::testing
