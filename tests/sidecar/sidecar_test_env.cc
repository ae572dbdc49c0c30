#include "tests/sidecar/sidecar_test_env.h"

#include <cstdlib>

namespace tracewire::sidecar::testing {

SidecarConfig OneListener(const std::string& service, const std::string& name, ListenerKind kind,
                          uint16_t upstream_port, const std::string& exporter, bool admin) {
  SidecarConfig config;
  config.service_name = service;
  ListenerConfig listener;
  listener.name = name;
  listener.kind = kind;
  listener.address = {"127.0.0.1", 0};
  listener.cluster = "up";
  config.listeners.push_back(listener);
  ClusterConfig cluster;
  cluster.name = "up";
  cluster.endpoints.push_back({"127.0.0.1", upstream_port});
  cluster.connect_timeout = std::chrono::milliseconds(500);
  cluster.request_timeout = std::chrono::milliseconds(2000);
  config.clusters.push_back(cluster);
  config.exporter.endpoint = exporter;
  config.exporter.schedule_delay = std::chrono::milliseconds(50);
  config.exporter.timeout = std::chrono::milliseconds(500);
  config.admin_address = admin ? "127.0.0.1:0" : "";
  return config;
}

std::unique_ptr<trpc::Client> PlainClient(uint16_t port, size_t connections) {
  trpc::ClientOptions options;
  options.address = "127.0.0.1:" + std::to_string(port);
  options.callee = apps::kEchoService;
  options.caller = "trpc.test.client";
  options.connections = connections;
  options.timeout = std::chrono::milliseconds(3000);
  auto client = trpc::Client::Create(options);
  if (!client.ok()) std::abort();
  return *std::move(client);
}

std::unique_ptr<EchoServer> StartEcho(uint16_t downstream_port) {
  auto echo = std::make_unique<EchoServer>();
  if (downstream_port != 0) echo->downstream = PlainClient(downstream_port);
  echo->service = std::make_unique<apps::EchoService>(echo->downstream.get());
  trpc::ServerOptions options;
  options.service_name = apps::kEchoService;
  auto server = trpc::Server::Start(options, echo->service->Handlers());
  if (!server.ok()) std::abort();
  echo->server = *std::move(server);
  return echo;
}

trpc::CallRequest EchoRequest(const std::string& method, const std::string& body) {
  trpc::CallRequest request;
  request.func = std::string("/") + apps::kEchoService + "/" + method;
  request.body = body;
  return request;
}

void SidecarTestBase::SetUp() {
  auto sink = tracewire::testing::SpanSink::Start();
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  sink_ = *std::move(sink);
}

std::unique_ptr<Sidecar> SidecarTestBase::StartSidecar(SidecarConfig config) {
  auto sidecar = Sidecar::Start(std::move(config));
  EXPECT_TRUE(sidecar.ok()) << sidecar.status().ToString();
  return sidecar.ok() ? *std::move(sidecar) : nullptr;
}

const SinkSpan* FindSpan(const std::vector<SinkSpan>& spans, const std::string& service, int kind) {
  for (const SinkSpan& s : spans) {
    if (s.service == service && s.kind == kind) return &s;
  }
  return nullptr;
}

std::vector<const SinkSpan*> ExpectChain(const std::vector<SinkSpan>& spans,
                                         const std::vector<Hop>& hops) {
  std::vector<const SinkSpan*> chain;
  for (const Hop& hop : hops) {
    const SinkSpan* span = FindSpan(spans, hop.service, hop.kind);
    EXPECT_NE(span, nullptr) << "no span of kind " << hop.kind << " from " << hop.service;
    if (span == nullptr) return {};
    if (chain.empty()) {
      EXPECT_EQ(span->parent_span_id, "") << hop.service << " should start the trace";
    } else {
      EXPECT_EQ(span->trace_id, chain.back()->trace_id) << hop.service;
      EXPECT_EQ(span->parent_span_id, chain.back()->span_id) << hop.service;
    }
    chain.push_back(span);
  }
  return chain;
}

}  // namespace tracewire::sidecar::testing
