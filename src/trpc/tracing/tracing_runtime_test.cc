// The tracing filters on a real server and client: the handler runs under the SERVER span, and
// a downstream call it makes without naming a parent continues the same trace.
#include <gtest/gtest.h>

#include <future>

#include "trace/sdk/context_scope.h"
#include "trace/sdk/sdk_test_util.h"
#include "trpc/client.h"
#include "trpc/server.h"
#include "trpc/tracing/tracing_filters.h"

namespace tracewire::trpc {
namespace {

using trace::testing::RecordingProvider;

std::unique_ptr<Client> TracedClient(uint16_t port, trace::TracerProvider* provider) {
  ClientOptions options;
  options.address = "127.0.0.1:" + std::to_string(port);
  options.callee = "trpc.test.echo.Echo";
  options.filters.push_back(MakeClientTracingFilter({.provider = provider}));
  auto client = Client::Create(std::move(options));
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return client.ok() ? std::move(*client) : nullptr;
}

TEST(TracingRuntimeTest, AHandlersImplicitDownstreamCallContinuesItsServerSpan) {
  RecordingProvider rec;
  ServerOptions back_options;
  back_options.filters.push_back(MakeServerTracingFilter({.provider = rec.provider.get()}));
  auto back = Server::Start(std::move(back_options),
                            {{"/trpc.test.echo.Echo/Echo", SyncHandler([](ServerCall& call) {
                                call.response().body.assign(call.body());
                              })}});
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  auto downstream = TracedClient((*back)->port(), rec.provider.get());

  trace::SpanContext seen_in_handler;
  ServerOptions front_options;
  front_options.filters.push_back(MakeServerTracingFilter({.provider = rec.provider.get()}));
  auto front =
      Server::Start(std::move(front_options),
                    {{"/trpc.test.echo.Echo/Echo", [&](const std::shared_ptr<ServerCall>& call) {
                        seen_in_handler = trace::CurrentContext().span_context();
                        CallRequest request;
                        request.func = "/trpc.test.echo.Echo/Echo";
                        request.body = std::string(call->body());
                        // No parent named: the thread's current CallContext is the inbound call's.
                        downstream->AsyncCall(std::move(request), [call](CallResult result) {
                          Response rsp;
                          rsp.body = std::move(result.body);
                          call->Reply(std::move(rsp));
                        });
                      }}});
  ASSERT_TRUE(front.ok()) << front.status().ToString();

  auto client = TracedClient((*front)->port(), rec.provider.get());
  CallRequest request;
  request.func = "/trpc.test.echo.Echo/Echo";
  request.body = "ping";
  CallResult result = client->Call(std::move(request));
  ASSERT_TRUE(result.ok()) << result.ret << " " << result.error_msg;
  EXPECT_EQ(result.body, "ping");
  (*front)->Shutdown(std::chrono::seconds(1));
  (*back)->Shutdown(std::chrono::seconds(1));

  // client CLIENT -> front SERVER -> front CLIENT -> back SERVER
  const auto& spans = rec.processor->ended();
  ASSERT_EQ(spans.size(), 4u);
  auto find = [&](trace::SpanKind kind, const trace::SpanId& parent) -> const trace::SpanData* {
    for (const auto& s : spans) {
      if (s->kind == kind && s->parent_span_id == parent) return s.get();
    }
    return nullptr;
  };
  const trace::SpanData* front_server =
      find(trace::SpanKind::kServer, result.client_span.span_id());
  ASSERT_NE(front_server, nullptr);
  EXPECT_EQ(seen_in_handler.span_id(), front_server->span_id);
  const trace::SpanData* front_client = find(trace::SpanKind::kClient, front_server->span_id);
  ASSERT_NE(front_client, nullptr);
  const trace::SpanData* back_server = find(trace::SpanKind::kServer, front_client->span_id);
  ASSERT_NE(back_server, nullptr);
  for (const auto& s : spans) EXPECT_EQ(s->trace_id, result.client_span.trace_id());
}

}  // namespace
}  // namespace tracewire::trpc
