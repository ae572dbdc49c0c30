#include "apps/tracewire/demo.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "net/http_server.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace tracewire::apps {
namespace {

trace::GetEnvFn EnvOf(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

struct FlatSpan {
  std::string service, name, trace_id, span_id, parent_span_id;
  int kind = 0;
  int status = 0;
  std::vector<std::string> events;
};

// Flattens the OTLP/JSON lines the demo printed.
std::vector<FlatSpan> SpansFromJsonLines(const std::string& text) {
  std::vector<FlatSpan> spans;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] != '{') continue;
    auto doc = nlohmann::json::parse(line);
    for (const auto& rs : doc["resourceSpans"]) {
      std::string service;
      for (const auto& a : rs["resource"]["attributes"]) {
        if (a["key"] == "service.name") service = a["value"]["stringValue"];
      }
      for (const auto& ss : rs["scopeSpans"]) {
        for (const auto& s : ss["spans"]) {
          FlatSpan f{service,
                     s["name"],
                     s["traceId"],
                     s["spanId"],
                     s.value("parentSpanId", ""),
                     s.value("kind", 0),
                     s.contains("status") ? s["status"].value("code", 0) : 0,
                     {}};
          for (const auto& e : s.value("events", nlohmann::json::array())) {
            f.events.push_back(e["name"]);
          }
          spans.push_back(f);
        }
      }
    }
  }
  return spans;
}

const FlatSpan* Find(const std::vector<FlatSpan>& spans, const std::string& name,
                     const std::string& service) {
  for (const auto& s : spans) {
    if (s.name == name && s.service == service) return &s;
  }
  return nullptr;
}

TEST(DemoTest, WithoutEndpointPrintsOneConnectedTraceAsOtlpJson) {
  std::ostringstream out;
  ASSERT_EQ(RunDemo(out, EnvOf({})), 0) << out.str();
  auto spans = SpansFromJsonLines(out.str());
  ASSERT_EQ(spans.size(), 5u) << out.str();

  const FlatSpan* ingress = Find(spans, "GET /api/report", "edge-gateway");
  const FlatSpan* call = Find(spans, "/trpc.demo.DataProcessor/Query", "query-gateway");
  const FlatSpan* server = Find(spans, "/trpc.demo.DataProcessor/Query", "data-processor");
  const FlatSpan* load = Find(spans, "load_partition", "data-processor");
  const FlatSpan* parse = Find(spans, "parse_rows", "data-processor");
  ASSERT_TRUE(ingress && call && server && load && parse);

  std::set<std::string> trace_ids;
  for (const auto& s : spans) trace_ids.insert(s.trace_id);
  EXPECT_EQ(trace_ids.size(), 1u);
  EXPECT_EQ(ingress->parent_span_id, "");
  EXPECT_EQ(call->parent_span_id, ingress->span_id);
  EXPECT_EQ(server->parent_span_id, call->span_id);
  EXPECT_EQ(load->parent_span_id, server->span_id);
  EXPECT_EQ(parse->parent_span_id, load->span_id);
  EXPECT_EQ(server->kind, 2);   // SERVER
  EXPECT_EQ(call->kind, 3);     // CLIENT
  EXPECT_EQ(parse->status, 2);  // ERROR
  EXPECT_EQ(parse->events, std::vector<std::string>{"exception"});
  EXPECT_NE(out.str().find("trace_id " + ingress->trace_id), std::string::npos);
}

TEST(DemoTest, WithEndpointExportsEveryServiceOverOtlpHttp) {
  std::mutex mu;
  std::vector<opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest> received;
  std::vector<std::string> content_types;
  net::HttpServerOptions options;
  auto server = net::HttpServer::Start(options, [&](const net::HttpRequest& request) {
    opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest decoded;
    net::HttpResponse response;
    if (request.target != "/v1/traces" || !decoded.ParseFromString(request.body)) {
      response.status = 400;
      return response;
    }
    std::lock_guard<std::mutex> lock(mu);
    received.push_back(decoded);
    content_types.emplace_back(request.headers.Get("content-type").value_or(""));
    return response;
  });
  ASSERT_TRUE(server.ok()) << server.status().ToString();

  std::ostringstream out;
  std::string endpoint = "http://127.0.0.1:" + std::to_string((*server)->port());
  ASSERT_EQ(RunDemo(out, EnvOf({{"OTEL_EXPORTER_OTLP_ENDPOINT", endpoint}})), 0) << out.str();
  (*server)->Stop();

  std::set<std::string> services;
  std::set<std::string> trace_ids;
  size_t span_count = 0;
  for (const auto& request : received) {
    for (const auto& rs : request.resource_spans()) {
      for (const auto& a : rs.resource().attributes()) {
        if (a.key() == "service.name") services.insert(a.value().string_value());
      }
      for (const auto& ss : rs.scope_spans()) {
        for (const auto& s : ss.spans()) {
          trace_ids.insert(s.trace_id());
          ++span_count;
        }
      }
    }
  }
  EXPECT_EQ(span_count, 5u);
  EXPECT_EQ(trace_ids.size(), 1u);
  EXPECT_EQ(services, (std::set<std::string>{"edge-gateway", "query-gateway", "data-processor"}));
  for (const auto& ct : content_types) EXPECT_EQ(ct, "application/x-protobuf");
}

}  // namespace
}  // namespace tracewire::apps
