#include "trpc/tracing/tracing_filters.h"

#include <gtest/gtest.h>

#include <string>

#include "trace/sdk/sdk_test_util.h"
#include "trpc/client.h"
#include "trpc/ret_code.h"
#include "trpc/server_call.h"

namespace tracewire::trpc {
namespace {

using trace::testing::Find;
using trace::testing::RecordingProvider;

constexpr std::string_view kParentTraceparent =
    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

// A ServerCall as the server would hand it to the filters, without a network.
class FakeServerCall final : public ServerCall {
 public:
  explicit FakeServerCall(TransInfo trans_info) : trans_info_(std::move(trans_info)) {
    head_.func = "/trpc.test.echo.Echo/Echo";
    head_.caller = "trpc.test.gateway.Gateway";
    head_.callee = "trpc.test.echo.Echo";
    head_.trans_info = ViewOf(trans_info_);
    context_.trans_info = trans_info_;
    ends_ = {"127.0.0.1", 8000, "10.0.0.9", 41000};
  }
  const RequestHead& head() const override { return head_; }
  std::string_view body() const override { return "hi"; }
  std::string_view attachment() const override { return {}; }
  const Endpoints& endpoints() const override { return ends_; }
  bool Reply() override { return true; }
  bool Reply(Response) override { return true; }
  void Throw(std::string type, std::string message) {
    exception_type_ = std::move(type);
    exception_message_ = std::move(message);
  }

 private:
  TransInfo trans_info_;
  RequestHead head_;
  Endpoints ends_;
};

class FakeClientCall final : public ClientCall {
 public:
  FakeClientCall(CallRequest request, const CallContext* parent)
      : request_(std::move(request)), parent_(parent) {
    if (parent != nullptr) trace_parent_ = parent->trace;
  }
  CallRequest& request() override { return request_; }
  const CallContext* parent() const override { return parent_; }
  const trace::Context& trace_parent() const override { return trace_parent_; }
  const std::string& target_host() const override { return host_; }
  uint16_t target_port() const override { return 9000; }
  const std::string& peer_address() const override { return host_; }
  uint16_t peer_port() const override { return 9000; }
  CallResult& result() override { return result_; }

 private:
  CallRequest request_;
  const CallContext* parent_;
  trace::Context trace_parent_;
  std::string host_ = "127.0.0.1";
  CallResult result_;
};

std::string Hex(const auto& id) { return id.ToHex(); }

// A grpc-trace-bin value in the 29-byte OpenCensus layout: trace id 0x11.., span id 0x22..,
// sampled.
std::string GrpcTraceBin() {
  std::string bin = {0, 0};
  bin += std::string(16, '\x11');
  bin += '\x01';
  bin += std::string(8, '\x22');
  bin += {'\x02', '\x01'};
  return bin;
}

TEST(ServerTracingFilterTest, ContinuesTheW3CContextFromTransInfo) {
  RecordingProvider rec;
  auto filter = MakeServerTracingFilter({.provider = rec.provider.get()});
  FakeServerCall call({{"traceparent", std::string(kParentTraceparent)}, {"user", "42"}});

  ASSERT_EQ(filter->OnRequest(call), FilterStatus::kContinue);
  EXPECT_EQ(Hex(call.context().trace.span_context().trace_id()),
            "0af7651916cd43dd8448eb211c80319c");
  filter->OnResponse(call);

  const trace::SpanData& span = rec.Only();
  EXPECT_EQ(span.span_id, call.context().trace.span_context().span_id())
      << "the handler's context is the SERVER span";
  EXPECT_EQ(span.name, "/trpc.test.echo.Echo/Echo");
  EXPECT_EQ(span.kind, trace::SpanKind::kServer);
  EXPECT_EQ(Hex(span.trace_id), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(Hex(span.parent_span_id), "b7ad6b7169203331");
  EXPECT_TRUE(span.parent_is_remote);
  EXPECT_EQ(span.status.code, trace::SpanStatusCode::kUnset);
}

TEST(ServerTracingFilterTest, SetsTheRpcAndTrpcAttributes) {
  RecordingProvider rec;
  auto filter = MakeServerTracingFilter({.provider = rec.provider.get()});
  FakeServerCall call({});
  ASSERT_EQ(filter->OnRequest(call), FilterStatus::kContinue);
  filter->OnResponse(call);

  const trace::Attributes& a = rec.Only().attributes;
  auto str = [&](std::string_view k) { return std::get<std::string>(*Find(a, k)); };
  auto num = [&](std::string_view k) { return std::get<int64_t>(*Find(a, k)); };
  EXPECT_EQ(str("rpc.system"), "trpc");
  EXPECT_EQ(str("rpc.service"), "trpc.test.echo.Echo");
  EXPECT_EQ(str("rpc.method"), "Echo");
  EXPECT_EQ(str("server.address"), "127.0.0.1");
  EXPECT_EQ(num("server.port"), 8000);
  EXPECT_EQ(str("network.peer.address"), "10.0.0.9");
  EXPECT_EQ(num("network.peer.port"), 41000);
  EXPECT_EQ(str("trpc.caller_service"), "trpc.test.gateway.Gateway");
  EXPECT_EQ(str("trpc.callee_service"), "trpc.test.echo.Echo");
  EXPECT_EQ(str("trpc.callee_method"), "Echo");
  EXPECT_EQ(num("trpc.status_code"), 0);
  EXPECT_TRUE(rec.Only().parent_span_id == trace::SpanId());  // no inbound context: a root
}

TEST(ServerTracingFilterTest, FallsBackToGrpcTraceBinThenB3) {
  RecordingProvider rec;
  auto filter = MakeServerTracingFilter({.provider = rec.provider.get()});
  std::string bin = GrpcTraceBin();
  FakeServerCall binary_call(
      {{"grpc-trace-bin", bin}, {"b3", "33333333333333333333333333333333-4444444444444444-1"}});
  ASSERT_EQ(filter->OnRequest(binary_call), FilterStatus::kContinue);
  filter->OnResponse(binary_call);
  FakeServerCall b3_call({{"b3", "33333333333333333333333333333333-4444444444444444-1"}});
  ASSERT_EQ(filter->OnRequest(b3_call), FilterStatus::kContinue);
  filter->OnResponse(b3_call);

  ASSERT_EQ(rec.processor->ended().size(), 2u);
  EXPECT_EQ(Hex(rec.processor->ended()[0]->trace_id), std::string(32, '1'));
  EXPECT_EQ(Hex(rec.processor->ended()[0]->parent_span_id), std::string(16, '2'));
  EXPECT_EQ(Hex(rec.processor->ended()[1]->trace_id), std::string(32, '3'));
}

TEST(ServerTracingFilterTest, PrefersW3COverADisagreeingBinaryContext) {
  RecordingProvider rec;
  auto filter = MakeServerTracingFilter({.provider = rec.provider.get()});
  std::string bin = GrpcTraceBin();
  FakeServerCall call({{"grpc-trace-bin", bin}, {"traceparent", std::string(kParentTraceparent)}});
  ASSERT_EQ(filter->OnRequest(call), FilterStatus::kContinue);
  filter->OnResponse(call);
  EXPECT_EQ(Hex(rec.Only().trace_id), "0af7651916cd43dd8448eb211c80319c");
}

TEST(ServerTracingFilterTest, MarksAFailedCallAsAnError) {
  RecordingProvider rec;
  auto filter = MakeServerTracingFilter({.provider = rec.provider.get()});
  FakeServerCall call({});
  ASSERT_EQ(filter->OnRequest(call), FilterStatus::kContinue);
  call.response().func_ret = 1;
  call.response().error_msg = "echo: failure requested";
  filter->OnResponse(call);

  const trace::SpanData& span = rec.Only();
  EXPECT_EQ(span.status.code, trace::SpanStatusCode::kError);
  EXPECT_EQ(span.status.message, "echo: failure requested");
  EXPECT_EQ(std::get<int64_t>(*Find(span.attributes, "trpc.status_code")), 1);
  EXPECT_EQ(std::get<int64_t>(*Find(span.attributes, "trpc.status_type")), 2);
  EXPECT_TRUE(span.events.empty());
}

TEST(ServerTracingFilterTest, RecordsAnExceptionEventWhenTheHandlerThrew) {
  RecordingProvider rec;
  auto filter = MakeServerTracingFilter({.provider = rec.provider.get()});
  FakeServerCall call({});
  ASSERT_EQ(filter->OnRequest(call), FilterStatus::kContinue);
  call.Throw("std::runtime_error", "boom");
  call.response().ret = kRetServerSystemError;
  call.response().error_msg = "boom";
  filter->OnResponse(call);

  const trace::SpanData& span = rec.Only();
  EXPECT_EQ(span.status.code, trace::SpanStatusCode::kError);
  ASSERT_EQ(span.events.size(), 1u);
  EXPECT_EQ(span.events[0].name, "exception");
  EXPECT_EQ(std::get<std::string>(*Find(span.events[0].attributes, "exception.type")),
            "std::runtime_error");
  EXPECT_EQ(std::get<std::string>(*Find(span.events[0].attributes, "exception.message")), "boom");
}

CallContext ParentContext() {
  CallContext parent;
  trace::SpanContext sc(trace::TraceId::FromHex("0af7651916cd43dd8448eb211c80319c"),
                        trace::SpanId::FromHex("b7ad6b7169203331"), trace::TraceFlags(1),
                        /*is_remote=*/false);
  parent.trace = trace::Context(sc, trace::Baggage());
  parent.service_name = "trpc.test.gateway.Gateway";
  // What the inbound call carried: a business key, and trace keys of the inbound hop.
  parent.trans_info = {{"user", "42"},
                       {"traceparent", "00-11111111111111111111111111111111-2222222222222222-01"},
                       {"b3", "11111111111111111111111111111111-2222222222222222-1"}};
  return parent;
}

CallRequest EchoRequest(const CallContext& parent) {
  CallRequest req;
  req.func = "/trpc.test.echo.Echo/Echo";
  req.callee = "trpc.test.echo.Echo";
  req.trans_info = parent.trans_info;  // as the client merges them before the filters run
  req.parent = &parent;
  return req;
}

TEST(ClientTracingFilterTest, InjectsAChildOfTheParentAsTraceparent) {
  RecordingProvider rec;
  auto filter = MakeClientTracingFilter({.provider = rec.provider.get()});
  CallContext parent = ParentContext();
  FakeClientCall call(EchoRequest(parent), &parent);

  ASSERT_EQ(filter->OnRequest(call), FilterStatus::kContinue);
  const TransInfo& sent = call.request().trans_info;
  const trace::SpanContext& client_span = call.result().client_span;
  ASSERT_TRUE(client_span.IsValid());
  EXPECT_EQ(sent.at("traceparent"),
            "00-0af7651916cd43dd8448eb211c80319c-" + Hex(client_span.span_id()) + "-01");
  EXPECT_EQ(sent.at("user"), "42");
  EXPECT_FALSE(sent.contains("b3"));  // the inbound hop's keys do not leak on
  EXPECT_FALSE(sent.contains("grpc-trace-bin"));
  filter->OnResponse(call);

  const trace::SpanData& span = rec.Only();
  EXPECT_EQ(span.kind, trace::SpanKind::kClient);
  EXPECT_EQ(Hex(span.parent_span_id), "b7ad6b7169203331");
  EXPECT_EQ(span.span_id, client_span.span_id());
  EXPECT_EQ(std::get<std::string>(*Find(span.attributes, "trpc.caller_service")),
            "trpc.test.gateway.Gateway");
  EXPECT_EQ(std::get<std::string>(*Find(span.attributes, "server.address")), "127.0.0.1");
}

TEST(ClientTracingFilterTest, InjectsOnlyGrpcTraceBinInBinaryFormat) {
  RecordingProvider rec;
  auto filter = MakeClientTracingFilter(
      {.provider = rec.provider.get(), .inject = TraceInjectFormat::kBinary});
  CallContext parent = ParentContext();
  FakeClientCall call(EchoRequest(parent), &parent);
  ASSERT_EQ(filter->OnRequest(call), FilterStatus::kContinue);
  const TransInfo& sent = call.request().trans_info;
  EXPECT_FALSE(sent.contains("traceparent"));
  ASSERT_TRUE(sent.contains("grpc-trace-bin"));
  EXPECT_EQ(sent.at("grpc-trace-bin").size(), 29u);
  filter->OnResponse(call);
}

TEST(ClientTracingFilterTest, InjectsBothFormatsWhenAsked) {
  RecordingProvider rec;
  auto filter =
      MakeClientTracingFilter({.provider = rec.provider.get(), .inject = TraceInjectFormat::kBoth});
  CallContext parent = ParentContext();
  FakeClientCall call(EchoRequest(parent), &parent);
  ASSERT_EQ(filter->OnRequest(call), FilterStatus::kContinue);
  EXPECT_TRUE(call.request().trans_info.contains("traceparent"));
  EXPECT_TRUE(call.request().trans_info.contains("grpc-trace-bin"));
  filter->OnResponse(call);
}

TEST(ClientTracingFilterTest, EndsWithErrorWhenTheCallFailed) {
  RecordingProvider rec;
  auto filter = MakeClientTracingFilter({.provider = rec.provider.get()});
  FakeClientCall call(EchoRequest(CallContext()), nullptr);
  call.request().parent = nullptr;
  ASSERT_EQ(filter->OnRequest(call), FilterStatus::kContinue);
  call.result().ret = kRetClientInvokeTimeout;
  call.result().error_msg = "client timeout";
  filter->OnResponse(call);

  const trace::SpanData& span = rec.Only();
  EXPECT_EQ(span.status.code, trace::SpanStatusCode::kError);
  EXPECT_EQ(std::get<int64_t>(*Find(span.attributes, "trpc.status_code")), 101);
  EXPECT_EQ(std::get<int64_t>(*Find(span.attributes, "trpc.status_type")), 1);
  EXPECT_TRUE(span.parent_span_id == trace::SpanId());  // no parent: a root
}

TEST(ParseTraceInjectFormatTest, AcceptsTheThreeNamesOnly) {
  EXPECT_EQ(*ParseTraceInjectFormat("text"), TraceInjectFormat::kText);
  EXPECT_EQ(*ParseTraceInjectFormat("binary"), TraceInjectFormat::kBinary);
  EXPECT_EQ(*ParseTraceInjectFormat("both"), TraceInjectFormat::kBoth);
  EXPECT_FALSE(ParseTraceInjectFormat("w3c").ok());
}

}  // namespace
}  // namespace tracewire::trpc
