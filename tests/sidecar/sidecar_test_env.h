// Helpers of the sidecar integration tests: config snippets, echo servers without tracing, and
// small lookups over captured spans.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "apps/trpc_echo_server/echo_service.h"
#include "sidecar/sidecar.h"
#include "tests/interop/span_sink.h"
#include "trpc/client.h"
#include "trpc/server.h"

namespace tracewire::sidecar::testing {

using tracewire::testing::SinkSpan;

// One listener `name` of `kind` on 127.0.0.1:0 in front of 127.0.0.1:`upstream_port`, spans to
// `exporter` (a full URL, or "" for none), no admin listener unless `admin`.
SidecarConfig OneListener(const std::string& service, const std::string& name, ListenerKind kind,
                          uint16_t upstream_port, const std::string& exporter, bool admin = false);

// An echo server (no tracing filters: trans_info flows from its handler to `downstream`).
struct EchoServer {
  std::unique_ptr<trpc::Client> downstream;
  std::unique_ptr<apps::EchoService> service;
  std::unique_ptr<trpc::Server> server;
  uint16_t port() const { return server->port(); }
};
std::unique_ptr<EchoServer> StartEcho(uint16_t downstream_port = 0);

// A client without tracing filters to 127.0.0.1:`port`.
std::unique_ptr<trpc::Client> PlainClient(uint16_t port, size_t connections = 1);
trpc::CallRequest EchoRequest(const std::string& method, const std::string& body);

// Each test gets its own OTLP/HTTP sink; sidecars started here must start.
class SidecarTestBase : public ::testing::Test {
 protected:
  void SetUp() override;
  std::unique_ptr<Sidecar> StartSidecar(SidecarConfig config);

  std::unique_ptr<tracewire::testing::SpanSink> sink_;
};

const SinkSpan* FindSpan(const std::vector<SinkSpan>& spans, const std::string& service, int kind);

// One hop of a request's path: the span of `service` with OTLP span kind `kind`.
struct Hop {
  std::string service;
  int kind;
};
// Finds the span of each hop and checks (gtest failures) that they form one trace: the first
// a root, each next one the child of the one before. Empty when a hop has no span.
std::vector<const SinkSpan*> ExpectChain(const std::vector<SinkSpan>& spans,
                                         const std::vector<Hop>& hops);

}  // namespace tracewire::sidecar::testing
