// OTLP encoding cost: a batch of 512 realistic RPC spans (10 attributes, 2 events on every
// fourth span) to OTLP/protobuf (hand-written encoder, and the generated classes for
// comparison), to OTLP/JSON, and gzip of the protobuf body; and a batch of 512 SERVER spans
// shaped like the tRPC server tracing filter's (11 attributes, no events), the exporter's
// hot path. Reported per span (ns).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otlp/gzip.h"
#include "otlp/testing/test_spans.h"
#include "otlp/trace_json_encoder.h"
#include "otlp/trace_proto_encoder.h"

namespace {

using namespace tracewire;

constexpr int kBatch = 512;

struct Batch {
  otlp::testing::SpanSet set;
  std::vector<const trace::SpanData*> pointers;

  Batch() {
    set.resource.attributes = {{"service.name", std::string("greeter")},
                               {"service.version", std::string("1.4.2")},
                               {"host.name", std::string("node-17")},
                               {"telemetry.sdk.name", std::string("tracewire")}};
    set.scope.name = "tracewire.trpc";
    set.scope.version = "0.1.0";
    for (uint32_t i = 0; i < kBatch; ++i) {
      set.spans.push_back(otlp::testing::RealisticSpan(set, i, i % 4 == 0 ? 2 : 0));
    }
    pointers = set.Pointers();
  }
};

const Batch& TheBatch() {
  static const Batch* batch = new Batch();
  return *batch;
}

// One SERVER span as src/trpc/tracing/server_tracing_filter.cc records it.
std::unique_ptr<trace::SpanData> RpcServerSpan(const otlp::testing::SpanSet& set, uint32_t i) {
  auto s = std::make_unique<trace::SpanData>();
  s->trace_id = otlp::testing::TraceIdFromSeed(static_cast<uint8_t>(i));
  s->span_id = otlp::testing::SpanIdFromSeed(static_cast<uint8_t>(i));
  s->parent_span_id = otlp::testing::SpanIdFromSeed(static_cast<uint8_t>(i + 1));
  s->parent_is_remote = true;
  s->flags = trace::TraceFlags(0x01);
  s->name = "/trpc.app.server.Greeter/SayHello";
  s->kind = trace::SpanKind::kServer;
  s->start_unix_nano = 1'700'000'000'000'000'000ull + i * 1000ull;
  s->end_unix_nano = s->start_unix_nano + 180'000 + i;
  s->attributes = {
      {"rpc.system", std::string("trpc")},
      {"rpc.service", std::string("trpc.app.server.Greeter")},
      {"rpc.method", std::string("SayHello")},
      {"server.address", std::string("10.0.12.7")},
      {"server.port", int64_t{8000}},
      {"network.peer.address", std::string("10.0.3.21")},
      {"network.peer.port", int64_t{41000 + i % 1000}},
      {"trpc.caller_service", std::string("trpc.app.gateway.Gateway")},
      {"trpc.callee_service", std::string("trpc.app.server.Greeter")},
      {"trpc.callee_method", std::string("SayHello")},
      {"trpc.status_code", int64_t{0}},
  };
  s->resource = &set.resource;
  s->scope = &set.scope;
  return s;
}

struct RpcBatch {
  otlp::testing::SpanSet set;
  std::vector<const trace::SpanData*> pointers;

  RpcBatch() {
    set.resource.attributes = {{"service.name", std::string("trpc.app.server")},
                               {"telemetry.sdk.name", std::string("tracewire")},
                               {"telemetry.sdk.language", std::string("cpp")},
                               {"process.pid", int64_t{4242}}};
    set.scope.name = "tracewire.trpc";
    for (uint32_t i = 0; i < kBatch; ++i) set.spans.push_back(RpcServerSpan(set, i));
    pointers = set.Pointers();
  }
};

const RpcBatch& TheRpcBatch() {
  static const RpcBatch* batch = new RpcBatch();
  return *batch;
}

void SetCounters(benchmark::State& state, size_t bytes) {
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["ns_per_span"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kBatch,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["bytes_per_span"] = static_cast<double>(bytes) / kBatch;
}

void BM_EncodeProtobuf(benchmark::State& state) {
  const Batch& batch = TheBatch();
  otlp::TraceProtoEncoder encoder;
  std::string out;
  for (auto _ : state) {
    if (!encoder.Encode(batch.pointers, out).ok()) state.SkipWithError("encode failed");
    benchmark::DoNotOptimize(out.data());
  }
  SetCounters(state, out.size());
}
BENCHMARK(BM_EncodeProtobuf);

void BM_EncodeProtobufRpcServerSpans(benchmark::State& state) {
  const RpcBatch& batch = TheRpcBatch();
  otlp::TraceProtoEncoder encoder;
  std::string out;
  for (auto _ : state) {
    if (!encoder.Encode(batch.pointers, out).ok()) state.SkipWithError("encode failed");
    benchmark::DoNotOptimize(out.data());
  }
  SetCounters(state, out.size());
}
BENCHMARK(BM_EncodeProtobufRpcServerSpans);

void BM_EncodeJson(benchmark::State& state) {
  const Batch& batch = TheBatch();
  otlp::TraceJsonEncoder encoder;
  std::string out;
  for (auto _ : state) {
    encoder.Encode(batch.pointers, out);
    benchmark::DoNotOptimize(out.data());
  }
  SetCounters(state, out.size());
}
BENCHMARK(BM_EncodeJson);

// Peer: the same request through the generated protobuf classes (build message + serialize),
// the way an exporter built on libprotobuf does it.
void BM_EncodeGeneratedProtobuf(benchmark::State& state) {
  const Batch& batch = TheBatch();
  namespace pb = opentelemetry::proto;
  std::string out;
  for (auto _ : state) {
    pb::collector::trace::v1::ExportTraceServiceRequest request;
    auto* rs = request.add_resource_spans();
    for (const auto& a : batch.set.resource.attributes) {
      auto* kv = rs->mutable_resource()->add_attributes();
      kv->set_key(a.key);
      kv->mutable_value()->set_string_value(std::get<std::string>(a.value));
    }
    auto* ss = rs->add_scope_spans();
    ss->mutable_scope()->set_name(batch.set.scope.name);
    ss->mutable_scope()->set_version(batch.set.scope.version);
    for (const trace::SpanData* s : batch.pointers) {
      auto* span = ss->add_spans();
      span->set_trace_id(s->trace_id.data(), 16);
      span->set_span_id(s->span_id.data(), 8);
      span->set_parent_span_id(s->parent_span_id.data(), 8);
      span->set_flags(s->flags.bits() | 0x100);
      span->set_name(s->name);
      span->set_kind(static_cast<pb::trace::v1::Span::SpanKind>(s->kind));
      span->set_start_time_unix_nano(s->start_unix_nano);
      span->set_end_time_unix_nano(s->end_unix_nano);
      auto put = [](auto* kv, const trace::Attribute& a) {
        kv->set_key(a.key);
        if (auto* str = std::get_if<std::string>(&a.value)) {
          kv->mutable_value()->set_string_value(*str);
        } else if (auto* i = std::get_if<int64_t>(&a.value)) {
          kv->mutable_value()->set_int_value(*i);
        } else if (auto* d = std::get_if<double>(&a.value)) {
          kv->mutable_value()->set_double_value(*d);
        }
      };
      for (const auto& a : s->attributes) put(span->add_attributes(), a);
      for (const auto& e : s->events) {
        auto* event = span->add_events();
        event->set_time_unix_nano(e.time_unix_nano);
        event->set_name(e.name);
        for (const auto& a : e.attributes) put(event->add_attributes(), a);
      }
    }
    request.SerializeToString(&out);
    benchmark::DoNotOptimize(out.data());
  }
  SetCounters(state, out.size());
}
BENCHMARK(BM_EncodeGeneratedProtobuf);

void BM_EncodeProtobufAndGzip(benchmark::State& state) {
  const Batch& batch = TheBatch();
  otlp::TraceProtoEncoder encoder;
  std::string out, compressed;
  for (auto _ : state) {
    if (!encoder.Encode(batch.pointers, out).ok() || !otlp::GzipCompress(out, compressed).ok()) {
      state.SkipWithError("encode failed");
    }
    benchmark::DoNotOptimize(compressed.data());
  }
  SetCounters(state, compressed.size());
}
BENCHMARK(BM_EncodeProtobufAndGzip);

}  // namespace

BENCHMARK_MAIN();
