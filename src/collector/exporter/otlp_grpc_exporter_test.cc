#include "collector/exporter/otlp_grpc_exporter.h"

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "collector/testing/fake_components.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace tracewire::collector {
namespace {

using namespace std::chrono_literals;
using testing::MakeSpans;

// A real local gRPC server taking any method as raw bytes; answers from a script of codes.
class GrpcSink final : public grpc::CallbackGenericService {
 public:
  struct Call {
    std::string method;
    std::string body;
    std::multimap<std::string, std::string> metadata;
    std::string compression;
  };

  GrpcSink() {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterCallbackGenericService(this);
    server_ = builder.BuildAndStart();
  }
  ~GrpcSink() override { server_->Shutdown(std::chrono::system_clock::now() + 1s); }

  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }
  void Script(std::vector<grpc::Status> answers) {
    std::lock_guard lock(mutex_);
    script_ = std::move(answers);
  }
  std::vector<Call> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override {
    return new Reactor(this, ctx);
  }

 private:
  class Reactor final : public grpc::ServerGenericBidiReactor {
   public:
    Reactor(GrpcSink* sink, grpc::GenericCallbackServerContext* ctx) : sink_(sink), ctx_(ctx) {
      StartRead(&request_);
    }
    void OnReadDone(bool ok) override {
      if (!ok) return Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request"));
      Call call;
      call.method = ctx_->method();
      std::vector<grpc::Slice> slices;
      (void)request_.Dump(&slices);
      for (const grpc::Slice& s : slices) {
        call.body.append(reinterpret_cast<const char*>(s.begin()), s.size());
      }
      for (const auto& [k, v] : ctx_->client_metadata()) {
        call.metadata.emplace(std::string(k.data(), k.size()), std::string(v.data(), v.size()));
      }
      grpc::Status answer = grpc::Status::OK;
      {
        std::lock_guard lock(sink_->mutex_);
        sink_->calls_.push_back(std::move(call));
        if (!sink_->script_.empty()) {
          answer = sink_->script_.front();
          sink_->script_.erase(sink_->script_.begin());
        }
      }
      if (!answer.ok()) return Finish(answer);
      grpc::Slice empty(std::string{});
      response_ = grpc::ByteBuffer(&empty, 1);
      StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
    }
    void OnDone() override { delete this; }

   private:
    GrpcSink* sink_;
    grpc::GenericCallbackServerContext* ctx_;
    grpc::ByteBuffer request_;
    grpc::ByteBuffer response_;  // empty ExportTraceServiceResponse: full success
  };

  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  std::mutex mutex_;
  std::vector<grpc::Status> script_;
  std::vector<Call> calls_;
};

struct Waiter {
  std::mutex mutex;
  std::condition_variable cv;
  std::optional<Status> result;
  ConsumeDone Callback() {
    return [this](Status s) {
      std::lock_guard lock(mutex);
      result = std::move(s);
      cv.notify_all();
    };
  }
  Status Wait() {
    std::unique_lock lock(mutex);
    cv.wait_for(lock, 10s, [this] { return result.has_value(); });
    return result.value_or(Status(StatusCode::kDeadlineExceeded, "no answer"));
  }
};

OtlpGrpcExporterConfig BaseConfig(const GrpcSink& sink) {
  OtlpGrpcExporterConfig c;
  c.target = sink.target();
  c.timeout = 2s;
  c.queue.enabled = false;
  c.queue.num_consumers = 1;
  c.retry.initial_interval = 10ms;
  c.retry.max_interval = 20ms;
  c.log = [](std::string_view) {};
  return c;
}

std::unique_ptr<Exporter> Make(const OtlpGrpcExporterConfig& c) {
  StatusOr<std::unique_ptr<Exporter>> e = NewOtlpGrpcExporter("otlp/test", c);
  EXPECT_TRUE(e.ok());
  EXPECT_TRUE((*e)->Start().ok());
  return std::move(*e);
}

TEST(OtlpGrpcExporterTest, ExportsTracesWithMetadataToARealServer) {
  GrpcSink sink;
  OtlpGrpcExporterConfig c = BaseConfig(sink);
  c.headers = {{"authorization", "Bearer abc"}};
  auto e = Make(c);
  Waiter w;
  e->ConsumeTraces(MakeSpans(4), w.Callback());
  ASSERT_TRUE(w.Wait().ok());
  auto calls = sink.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "/opentelemetry.proto.collector.trace.v1.TraceService/Export");
  auto auth = calls[0].metadata.find("authorization");
  ASSERT_NE(auth, calls[0].metadata.end());
  EXPECT_EQ(auth->second, "Bearer abc");
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest req;
  ASSERT_TRUE(req.ParseFromString(calls[0].body));  // gzip is undone by gRPC itself
  EXPECT_EQ(req.resource_spans(0).scope_spans(0).spans_size(), 4);
  EXPECT_EQ(req.resource_spans(0).resource().attributes(0).value().string_value(), "svc");
}

TEST(OtlpGrpcExporterTest, ExportsLogsToTheLogsService) {
  GrpcSink sink;
  auto e = Make(BaseConfig(sink));
  Waiter w;
  e->ConsumeLogs(testing::MakeLogs(3), w.Callback());
  ASSERT_TRUE(w.Wait().ok());
  auto calls = sink.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "/opentelemetry.proto.collector.logs.v1.LogsService/Export");
  opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest req;
  ASSERT_TRUE(req.ParseFromString(calls[0].body));
  EXPECT_EQ(req.resource_logs(0).scope_logs(0).log_records_size(), 3);
}

TEST(OtlpGrpcExporterTest, RetriesUnavailableButNotInvalidArgument) {
  GrpcSink sink;
  sink.Script({grpc::Status(grpc::StatusCode::UNAVAILABLE, "busy"), grpc::Status::OK});
  auto e = Make(BaseConfig(sink));
  Waiter w;
  e->ConsumeTraces(MakeSpans(1), w.Callback());
  ASSERT_TRUE(w.Wait().ok());
  EXPECT_EQ(sink.calls().size(), 2u);

  sink.Script({grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad span")});
  Waiter w2;
  e->ConsumeTraces(MakeSpans(1), w2.Callback());
  Status s = w2.Wait();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("bad span"), std::string::npos);
  EXPECT_EQ(sink.calls().size(), 3u);
}

TEST(OtlpGrpcExporterTest, ResourceExhaustedIsRetriedOnlyWithRetryInfo) {
  GrpcSink sink;
  // google.rpc.Status{code 8, details [Any{RetryInfo{retry_delay {nanos: 20ms}}}]}
  std::string duration = std::string("\x10", 1);   // field 2 (nanos), varint
  duration += std::string("\x80\xDA\xC4\x09", 4);  // 20'000'000
  std::string retry_info = "\x0A" + std::string(1, static_cast<char>(duration.size())) + duration;
  const std::string type = "type.googleapis.com/google.rpc.RetryInfo";
  std::string any = "\x0A" + std::string(1, static_cast<char>(type.size())) + type + "\x12" +
                    std::string(1, static_cast<char>(retry_info.size())) + retry_info;
  std::string details =
      std::string("\x08\x08", 2) + "\x1A" + std::string(1, static_cast<char>(any.size())) + any;
  EXPECT_EQ(RetryInfoDelay(details), std::chrono::milliseconds(20));

  sink.Script(
      {grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "slow down", details), grpc::Status::OK});
  auto e = Make(BaseConfig(sink));
  Waiter w;
  e->ConsumeTraces(MakeSpans(1), w.Callback());
  ASSERT_TRUE(w.Wait().ok());
  EXPECT_EQ(sink.calls().size(), 2u);

  sink.Script({grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "no")});
  Waiter w2;
  e->ConsumeTraces(MakeSpans(1), w2.Callback());
  EXPECT_EQ(w2.Wait().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(sink.calls().size(), 3u);
}

TEST(OtlpGrpcExporterConfigTest, AcceptsOnlyPlaintext) {
  auto ok = ParseOtlpGrpcExporterConfig(
      YAML::Load("{endpoint: 'collector:4317', tls: {insecure: true}, headers: {X-Token: a}}"),
      "exporters.otlp");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ((*ok)->target, "collector:4317");
  EXPECT_EQ((*ok)->headers[0].first, "x-token");  // gRPC metadata keys are lower case
  EXPECT_EQ((*ok)->timeout, std::chrono::seconds(5));
  auto http = ParseOtlpGrpcExporterConfig(YAML::Load("{endpoint: 'http://c:4317'}"), "e");
  ASSERT_TRUE(http.ok());
  EXPECT_EQ((*http)->target, "c:4317");
  auto tls = ParseOtlpGrpcExporterConfig(YAML::Load("{endpoint: 'c:4317'}"), "exporters.otlp");
  ASSERT_FALSE(tls.ok());
  EXPECT_NE(tls.status().message().find("only"), std::string::npos);
}

}  // namespace
}  // namespace tracewire::collector
