#include "sidecar/config.h"

#include <gtest/gtest.h>

namespace tracewire::sidecar {
namespace {

TEST(SidecarConfigTest, EmptyTextGivesWorkingDefaults) {
  auto config = ParseSidecarConfig("");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_EQ(config->listeners.size(), 1u);
  EXPECT_EQ(config->listeners[0].name, "inbound");
  EXPECT_EQ(config->listeners[0].address.port, 15006);
  const ClusterConfig* local = config->FindCluster("local");
  ASSERT_NE(local, nullptr);
  ASSERT_EQ(local->endpoints.size(), 1u);
  EXPECT_EQ(local->endpoints[0].port, 8000);
  EXPECT_EQ(config->exporter.endpoint, "http://127.0.0.1:4318/v1/traces");
  EXPECT_EQ(config->admin_address, "127.0.0.1:15000");
}

TEST(SidecarConfigTest, ReadsEveryKey) {
  auto config = ParseSidecarConfig(R"(
service_name: svc-a-sidecar
listeners:
  in: {kind: inbound, address: "127.0.0.1:0", cluster: app, protocol: trpc}
  out: {kind: outbound, address: "127.0.0.1:0", cluster: b}
clusters:
  app: {endpoints: ["127.0.0.1:9000"], connect_timeout: 250ms, request_timeout: 2s,
        max_connections: 2, max_idle_connections: 0}
  b: {endpoints: ["127.0.0.1:9001", "localhost:9002"]}
exporter: {endpoint: "http://127.0.0.1:1/v1/traces", timeout: 500ms, max_queue_size: 16,
           schedule_delay: 100ms}
sampling: {ratio: 0.25, parent_based: false}
propagation: {inject: [tracecontext, grpc-trace-bin, b3]}
admin: {address: "127.0.0.1:0"}
limits: {max_frame_size: 1024, max_connections: 5}
)");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->service_name, "svc-a-sidecar");
  ASSERT_EQ(config->listeners.size(), 2u);
  EXPECT_EQ(config->listeners[0].protocol, ListenerProtocol::kTrpc);
  EXPECT_EQ(config->listeners[1].kind, ListenerKind::kOutbound);
  const ClusterConfig* app = config->FindCluster("app");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->connect_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(app->request_timeout, std::chrono::milliseconds(2000));
  EXPECT_EQ(app->max_connections, 2u);
  EXPECT_EQ(app->max_idle_connections, 0u);
  EXPECT_EQ(config->FindCluster("b")->max_idle_connections, 128u);
  EXPECT_EQ(config->FindCluster("b")->endpoints[1].host, "localhost");
  EXPECT_EQ(config->FindCluster("local"), nullptr);  // clusters given replace the default
  EXPECT_EQ(config->exporter.max_queue_size, 16u);
  EXPECT_DOUBLE_EQ(config->sampling.ratio, 0.25);
  EXPECT_FALSE(config->sampling.parent_based);
  EXPECT_TRUE(config->inject.grpc_trace_bin);
  EXPECT_TRUE(config->inject.b3_single);
  EXPECT_FALSE(config->inject.b3_multi);
  EXPECT_EQ(config->max_frame_size, 1024u);
  EXPECT_EQ(config->max_connections, 5u);
}

TEST(SidecarConfigTest, ReadsRoutesClusterProtocolThreadsAndSampling) {
  auto config = ParseSidecarConfig(R"(
threads: 4
listeners:
  out:
    kind: outbound
    routes:
      - match: {path_prefix: /trpc.}
        cluster: echo
      - match: {host: catalog, path_prefix: /v1/}
        cluster: web
      - match: {func_prefix: /trpc.test., callee: trpc.test.echo.Echo}
        cluster: echo
  in: {cluster: web, routes: [{match: {host: x}, cluster: echo}]}
clusters:
  echo: {endpoints: ["127.0.0.1:15201"], protocol: trpc}
  web: {endpoints: ["127.0.0.1:15202"], protocol: http}
sampling: {rate_limit: 50, force: [X-Debug, trpc-force]}
)");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->threads, 4u);
  const ListenerConfig& out = config->listeners[0];
  EXPECT_EQ(out.cluster, "");  // routes only: no fallback
  ASSERT_EQ(out.routes.size(), 3u);
  EXPECT_EQ(out.routes[0].path_prefix, "/trpc.");
  EXPECT_EQ(out.routes[0].cluster, "echo");
  EXPECT_EQ(out.routes[1].host, "catalog");
  EXPECT_EQ(out.routes[1].path_prefix, "/v1/");
  EXPECT_EQ(out.routes[2].func_prefix, "/trpc.test.");
  EXPECT_EQ(out.routes[2].callee, "trpc.test.echo.Echo");
  EXPECT_FALSE(out.routes[2].is_http());
  EXPECT_EQ(config->listeners[1].cluster, "web");
  EXPECT_EQ(config->FindCluster("echo")->protocol, ClusterProtocol::kTrpc);
  EXPECT_EQ(config->FindCluster("web")->protocol, ClusterProtocol::kHttp);
  EXPECT_EQ(config->sampling.rate_limit, 50);
  EXPECT_EQ(config->sampling.force, (std::vector<std::string>{"x-debug", "trpc-force"}));
  auto defaults = ParseSidecarConfig("");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->threads, 1u);
  EXPECT_EQ(defaults->clusters[0].protocol, ClusterProtocol::kSame);
  EXPECT_EQ(defaults->sampling.rate_limit, 0);
  EXPECT_TRUE(defaults->sampling.force.empty());
}

struct BadCase {
  const char* yaml;
  const char* path;  // must appear in the message
};

TEST(SidecarConfigTest, BadConfigsNameTheKeyPath) {
  const BadCase cases[] = {
      {"bogus: 1", "bogus"},
      {"listeners: {in: {kind: sideways}}", "listeners.in.kind"},
      {"listeners: {in: {cluster: nope}}", "listeners.in.cluster"},
      {"listeners: {in: {adress: x}}", "listeners.in.adress"},
      {"listeners: {in: {address: nohost}}", "listeners.in.address"},
      {"clusters: {c: {endpoints: [\"x:99999\"]}}", "clusters.c.endpoints[0]"},
      {"clusters: {c: {endpoints: []}}", "clusters.c.endpoints"},
      {"clusters: {c: {endpoints: [\"a:1\"], connect_timeout: soon}}",
       "clusters.c.connect_timeout"},
      {"clusters: {c: {endpoints: [\"a:1\"], max_connections: 0}}", "clusters.c.max_connections"},
      {"clusters: {c: {endpoints: [\"a:1\"], max_idle_connections: 70000}}",
       "clusters.c.max_idle_connections"},
      {"exporter: {timeout: 5}", "exporter.timeout"},
      {"exporter: {extra: 1}", "exporter.extra"},
      {"sampling: {ratio: 2}", "sampling.ratio"},
      {"propagation: {inject: [jaeger]}", "propagation.inject[0]"},
      {"admin: {address: \"::bad\"}", "admin.address"},
      {"limits: {max_frame_size: 1}", "limits.max_frame_size"},
      {"listeners: [1, 2]", "listeners"},
      {"[unclosed", "<config>"},
      {"threads: 0", "threads"},
      {"sampling: {rate_limit: -1}", "sampling.rate_limit"},
      {"sampling: {force: [\"\"]}", "sampling.force[0]"},
      {"clusters: {c: {endpoints: [\"a:1\"], protocol: grpc}}", "clusters.c.protocol"},
      {"clusters: {c: {endpoints: [\"a:1\"]}}\nlisteners: {o: {routes: {a: 1}}}",
       "listeners.o.routes"},
      {"clusters: {c: {endpoints: [\"a:1\"]}}\n"
       "listeners: {o: {routes: [{match: {host: h}, cluster: c}, {match: {host: h}}]}}",
       "listeners.o.routes[1].cluster"},
      {"clusters: {c: {endpoints: [\"a:1\"]}}\nlisteners: {o: {routes: [{cluster: c}]}}",
       "listeners.o.routes[0].match"},
      {"clusters: {c: {endpoints: [\"a:1\"]}}\n"
       "listeners: {o: {routes: [{match: {}, cluster: c}]}}",
       "listeners.o.routes[0].match"},
      {"clusters: {c: {endpoints: [\"a:1\"]}}\n"
       "listeners: {o: {routes: [{match: {path_prefix: /a, callee: x}, cluster: c}]}}",
       "listeners.o.routes[0].match"},
      {"clusters: {c: {endpoints: [\"a:1\"]}}\n"
       "listeners: {o: {routes: [{match: {paths: /a}, cluster: c}]}}",
       "listeners.o.routes[0].match.paths"},
      {"clusters: {c: {endpoints: [\"a:1\"]}}\n"
       "listeners: {o: {routes: [{match: {host: a}, cluster: nope}]}}",
       "listeners.o.routes[0].cluster"},
      {"clusters: {c: {endpoints: [\"a:1\"]}}\nlisteners: {o: {cluster: \"\"}}",
       "listeners.o.cluster"},
  };
  for (const BadCase& c : cases) {
    auto config = ParseSidecarConfig(c.yaml);
    ASSERT_FALSE(config.ok()) << c.yaml;
    EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument) << c.yaml;
    EXPECT_NE(config.status().message().find(c.path), std::string::npos)
        << c.yaml << " -> " << config.status().message();
  }
}

}  // namespace
}  // namespace tracewire::sidecar
