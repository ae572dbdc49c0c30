// Hot-path figures of the tracing SDK (src/trace/sdk): span start + 5 attributes + end
// through the BatchSpanProcessor (1 and 2 producing threads), bare start+end, id generation
// and the span clock. The exporter counts spans and does nothing else.
#include <benchmark/benchmark.h>

#include <atomic>
#include <memory>

#include "trace/sdk/batch_span_processor.h"
#include "trace/sdk/clock.h"
#include "trace/sdk/id_generator.h"
#include "trace/sdk/tracer.h"

namespace tracewire::trace {
namespace {

class CountingExporter final : public SpanExporter {
 public:
  Status Export(std::span<const SpanData* const> batch) override {
    count.fetch_add(batch.size(), std::memory_order_relaxed);
    return OkStatus();
  }
  std::atomic<uint64_t> count{0};
};

struct Pipeline {
  Pipeline() {
    auto exporter = std::make_unique<CountingExporter>();
    auto bsp = BatchSpanProcessor::Create(std::move(exporter));
    processor = bsp->get();
    TracerProviderOptions o;
    o.processor = std::move(*bsp);
    provider = std::make_unique<TracerProvider>(std::move(o));
    tracer = &provider->GetTracer("sdk_bench", "1.0");
  }
  BatchSpanProcessor* processor;
  std::unique_ptr<TracerProvider> provider;
  Tracer* tracer;
};

Pipeline& SharedPipeline() {
  static Pipeline* p = new Pipeline();  // lives for the whole program, shared by threads
  return *p;
}

void ReportDrops(benchmark::State& state, const BatchSpanProcessorStats& before) {
  const BatchSpanProcessorStats after = SharedPipeline().processor->stats();
  const double spans =
      static_cast<double>((after.queued - before.queued) + (after.dropped - before.dropped));
  state.counters["dropped%"] =
      spans > 0 ? 100.0 * static_cast<double>(after.dropped - before.dropped) / spans : 0;
}

void BM_SpanStartEnd5AttrsBatch(benchmark::State& state) {
  Pipeline& p = SharedPipeline();
  const BatchSpanProcessorStats before = p.processor->stats();
  for (auto _ : state) {
    Span span = p.tracer->StartSpan("helloworld.Greeter/SayHello", {.kind = SpanKind::kServer});
    span.SetAttribute("rpc.system", "trpc");
    span.SetAttribute("rpc.service", "helloworld.Greeter");
    span.SetAttribute("rpc.method", "SayHello");
    span.SetAttribute("server.port", 8000);
    span.SetAttribute("trpc.status_code", 0);
    span.End();
  }
  if (state.thread_index() == 0) ReportDrops(state, before);
}
BENCHMARK(BM_SpanStartEnd5AttrsBatch)->Threads(1)->Threads(2)->UseRealTime();

void BM_SpanStartEndBareBatch(benchmark::State& state) {
  Pipeline& p = SharedPipeline();
  const BatchSpanProcessorStats before = p.processor->stats();
  for (auto _ : state) {
    Span span = p.tracer->StartSpan("op");
    span.End();
  }
  if (state.thread_index() == 0) ReportDrops(state, before);
}
BENCHMARK(BM_SpanStartEndBareBatch)->Threads(1)->Threads(2)->UseRealTime();

void BM_SpanStartEndNotSampled(benchmark::State& state) {
  static TracerProvider* provider = [] {
    TracerProviderOptions o;
    o.sampler = MakeAlwaysOffSampler();
    o.processor = std::move(*BatchSpanProcessor::Create(std::make_unique<CountingExporter>()));
    return new TracerProvider(std::move(o));
  }();
  Tracer& tracer = provider->GetTracer("sdk_bench");
  for (auto _ : state) {
    Span span = tracer.StartSpan("op");
    span.SetAttribute("rpc.system", "trpc");
    span.End();
  }
}
BENCHMARK(BM_SpanStartEndNotSampled);

void BM_NewTraceId(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(NewRandomTraceId());
}
BENCHMARK(BM_NewTraceId);

void BM_NewSpanId(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(NewRandomSpanId());
}
BENCHMARK(BM_NewSpanId);

void BM_IdGeneratorInterface(benchmark::State& state) {
  auto gen = MakeRandomIdGenerator();
  for (auto _ : state) {
    benchmark::DoNotOptimize(gen->NewTraceId());
    benchmark::DoNotOptimize(gen->NewSpanId());
  }
}
BENCHMARK(BM_IdGeneratorInterface);

void BM_FastClock(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(FastNowUnixNano());
}
BENCHMARK(BM_FastClock);

void BM_SystemClock(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(SystemNowUnixNano());
}
BENCHMARK(BM_SystemClock);

}  // namespace
}  // namespace tracewire::trace

BENCHMARK_MAIN();
