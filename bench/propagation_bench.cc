// Context propagation costs per operation, through the propagator and a small carrier, the way
// a tRPC filter or HTTP handler pays them. Goals (Release, one core): traceparent extract
// <= 25 ns, inject <= 15 ns.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <new>
#include <string>

#include "trace/propagation/b3_propagator.h"
#include "trace/propagation/baggage_propagator.h"
#include "trace/propagation/binary_propagator.h"
#include "trace/propagation/carriers.h"
#include "trace/propagation/trace_context_propagator.h"
#include "trace/propagation/traceparent.h"

// Counts heap allocations so each benchmark reports allocs per operation ("allocs" counter).
// NOLINTBEGIN
static std::atomic<uint64_t> g_allocs{0};
void* operator new(size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
// NOLINTEND

namespace {

// Reports heap allocations per iteration since `start`.
void ReportAllocs(benchmark::State& state, uint64_t start) {
  state.counters["allocs"] = benchmark::Counter(static_cast<double>(g_allocs.load() - start) /
                                                static_cast<double>(state.iterations()));
}

using namespace tracewire::trace;               // NOLINT(google-build-using-namespace)
using namespace tracewire::trace::propagation;  // NOLINT(google-build-using-namespace)

// tRPC trans_info-like map; std::less<> lets lookups use string_view keys.
using TransInfo = std::map<std::string, std::string, std::less<>>;

constexpr const char* kTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

Context SampleContext() {
  return Context().WithSpanContext(SpanContext(TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736"),
                                               SpanId::FromHex("00f067aa0ba902b7"), TraceFlags(1),
                                               false));
}

void BM_TraceparentExtract(benchmark::State& state) {
  TransInfo info{{"traceparent", kTraceparent}, {"x-caller", "gateway"}};
  MapCarrier carrier(info);
  TraceContextPropagator prop;
  const Context empty;
  const uint64_t allocs_before = g_allocs.load();
  for (auto _ : state) benchmark::DoNotOptimize(prop.Extract(carrier, empty));
  ReportAllocs(state, allocs_before);
}
BENCHMARK(BM_TraceparentExtract);

void BM_TraceparentInject(benchmark::State& state) {
  TransInfo info{{"x-caller", "gateway"}};
  MapCarrier carrier(info);
  TraceContextPropagator prop;
  const Context ctx = SampleContext();
  const uint64_t allocs_before = g_allocs.load();
  for (auto _ : state) {
    prop.Inject(ctx, carrier);
    benchmark::ClobberMemory();
  }
  ReportAllocs(state, allocs_before);
}
BENCHMARK(BM_TraceparentInject);

void BM_TraceparentExtractHttpHeaders(benchmark::State& state) {
  HttpHeaders h{{"Host", "svc"},
                {"User-Agent", "x"},
                {"Accept", "*/*"},
                {"Traceparent", kTraceparent},
                {"Content-Type", "application/json"}};
  HttpHeaderCarrier carrier(h);
  TraceContextPropagator prop;
  const Context empty;
  const uint64_t allocs_before = g_allocs.load();
  for (auto _ : state) benchmark::DoNotOptimize(prop.Extract(carrier, empty));
  ReportAllocs(state, allocs_before);
}
BENCHMARK(BM_TraceparentExtractHttpHeaders);

void BM_TraceparentParseOnly(benchmark::State& state) {
  const uint64_t allocs_before = g_allocs.load();
  for (auto _ : state) benchmark::DoNotOptimize(ParseTraceparent(kTraceparent));
  ReportAllocs(state, allocs_before);
}
BENCHMARK(BM_TraceparentParseOnly);

void BM_BinaryExtract(benchmark::State& state) {
  TransInfo info;
  MapCarrier carrier(info);
  const bool base64 = state.range(0) != 0;
  BinaryPropagator(base64 ? BinaryValueEncoding::kBase64 : BinaryValueEncoding::kRaw)
      .Inject(SampleContext(), carrier);
  BinaryPropagator prop;
  const Context empty;
  const uint64_t allocs_before = g_allocs.load();
  for (auto _ : state) benchmark::DoNotOptimize(prop.Extract(carrier, empty));
  state.SetLabel(base64 ? "base64" : "raw");
  ReportAllocs(state, allocs_before);
}
BENCHMARK(BM_BinaryExtract)->Arg(0)->Arg(1);

void BM_BinaryInject(benchmark::State& state) {
  TransInfo info;
  MapCarrier carrier(info);
  const bool base64 = state.range(0) != 0;
  BinaryPropagator prop(base64 ? BinaryValueEncoding::kBase64 : BinaryValueEncoding::kRaw);
  const Context ctx = SampleContext();
  const uint64_t allocs_before = g_allocs.load();
  for (auto _ : state) {
    prop.Inject(ctx, carrier);
    benchmark::ClobberMemory();
  }
  state.SetLabel(base64 ? "base64" : "raw");
  ReportAllocs(state, allocs_before);
}
BENCHMARK(BM_BinaryInject)->Arg(0)->Arg(1);

Baggage TenEntries() {
  Baggage b;
  for (int i = 0; i < 10; ++i) {
    b = b.Set("key" + std::to_string(i), "value " + std::to_string(i * 1000));
  }
  return b;
}

void BM_BaggageExtract10(benchmark::State& state) {
  TransInfo info{{"baggage", TenEntries().ToHeader()}};
  MapCarrier carrier(info);
  BaggagePropagator prop;
  const Context empty;
  const uint64_t allocs_before = g_allocs.load();
  for (auto _ : state) benchmark::DoNotOptimize(prop.Extract(carrier, empty));
  ReportAllocs(state, allocs_before);
}
BENCHMARK(BM_BaggageExtract10);

void BM_BaggageInject10(benchmark::State& state) {
  TransInfo info;
  MapCarrier carrier(info);
  BaggagePropagator prop;
  const Context ctx = Context().WithBaggage(TenEntries());
  const uint64_t allocs_before = g_allocs.load();
  for (auto _ : state) {
    prop.Inject(ctx, carrier);
    benchmark::ClobberMemory();
  }
  ReportAllocs(state, allocs_before);
}
BENCHMARK(BM_BaggageInject10);

void BM_B3SingleExtract(benchmark::State& state) {
  TransInfo info{{"b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90"}};
  MapCarrier carrier(info);
  B3Propagator prop;
  const Context empty;
  const uint64_t allocs_before = g_allocs.load();
  for (auto _ : state) benchmark::DoNotOptimize(prop.Extract(carrier, empty));
  ReportAllocs(state, allocs_before);
}
BENCHMARK(BM_B3SingleExtract);

}  // namespace

BENCHMARK_MAIN();
