// OTLP request decode into the batch form and batch encode back to OTLP, per span, for a
// realistic 512-span request (10 attributes per span, 5% with an event): protobuf and JSON.
// The protobuf decode is also set against libprotobuf's generated ParseFromString (on an Arena).
// "per_span" counters read as time per span; "allocs_per_span" counts operator new calls.
// Decodes run on bodies mostly in the last-level cache; the "WarmBody" variants on a body written
// just before, as a receiver hands over what it has just read. Instructions per span:
//   valgrind --tool=callgrind bin/otlp_decode_bench --benchmark_filter='^BM_DecodeTracesProto$'
//   then the inclusive Ir of otlp::DecodeTracesProto / (its calls x 512).
#include <benchmark/benchmark.h>
#include <google/protobuf/arena.h>
#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "otlp/batch_encoder.h"
#include "otlp/otlp_decoder.h"
#include "otlp/testing/random_otlp.h"

namespace {

std::atomic<uint64_t> g_allocations{0};

}  // namespace

// Counting replacements of the global allocation functions (this program only).
void* operator new(size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace {

namespace otlp = tracewire::otlp;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;

constexpr size_t kSpans = 512;

const std::string& ProtoBody() {
  static const std::string body =
      otlp::testing::RealisticTracesRequest(kSpans, 1).SerializeAsString();
  return body;
}

const std::string& JsonBody() {
  static const std::string body = [] {
    auto decoded = otlp::DecodeTracesProto(ProtoBody());
    std::string json;
    otlp::EncodeTracesJson(*decoded->batch, &json);
    return json;
  }();
  return body;
}

void SetCounters(benchmark::State& state, uint64_t allocations, size_t body_bytes) {
  const double spans = static_cast<double>(state.iterations() * kSpans);
  state.counters["per_span"] =
      benchmark::Counter(spans, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["allocs_per_span"] = static_cast<double>(allocations) / spans;
  state.counters["bytes_per_span"] = static_cast<double>(body_bytes) / kSpans;
}

// Decoders take the body by value: copies are made outside the timed region, as a receiver
// hands over its buffer without copying. With a pool of 32 copies (7 MB) most bodies come from
// the last-level cache; with a pool of 1 ("WarmBody") each body was written just before, as a
// receiver that has just read or decompressed it would hand it over.
template <typename Decode>
void RunDecode(benchmark::State& state, const std::string& body, Decode decode,
               size_t pool_size = 32) {
  const size_t kPool = pool_size;
  std::vector<std::string> pool;
  uint64_t allocations = 0;
  for (auto _ : state) {
    if (pool.empty()) {
      state.PauseTiming();
      pool.assign(kPool, body);
      state.ResumeTiming();
    }
    std::string input = std::move(pool.back());
    pool.pop_back();
    const uint64_t before = g_allocations.load(std::memory_order_relaxed);
    auto decoded = decode(std::move(input));
    allocations += g_allocations.load(std::memory_order_relaxed) - before;
    if (!decoded.ok() || decoded->batch->spans.size() != kSpans)
      state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(decoded);
    state.PauseTiming();  // the batch's destruction is not decoding
    decoded = tracewire::InternalError("dropped");
    state.ResumeTiming();
  }
  SetCounters(state, allocations, body.size());
}

void BM_DecodeTracesProto(benchmark::State& state) {
  RunDecode(state, ProtoBody(),
            [](std::string b) { return otlp::DecodeTracesProto(std::move(b)); });
}
BENCHMARK(BM_DecodeTracesProto);

void BM_DecodeTracesProtoWarmBody(benchmark::State& state) {
  RunDecode(
      state, ProtoBody(), [](std::string b) { return otlp::DecodeTracesProto(std::move(b)); }, 1);
}
BENCHMARK(BM_DecodeTracesProtoWarmBody);

void BM_DecodeTracesJson(benchmark::State& state) {
  RunDecode(state, JsonBody(), [](std::string b) { return otlp::DecodeTracesJson(std::move(b)); });
}
BENCHMARK(BM_DecodeTracesJson);

void BM_DecodeTracesJsonWarmBody(benchmark::State& state) {
  RunDecode(
      state, JsonBody(), [](std::string b) { return otlp::DecodeTracesJson(std::move(b)); }, 1);
}
BENCHMARK(BM_DecodeTracesJsonWarmBody);

// For scale: libprotobuf's generated parser into an Arena (no validation of ids).
void BM_GeneratedParseOnArena(benchmark::State& state) {
  const std::string& body = ProtoBody();
  uint64_t allocations = 0;
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): the benchmark idiom
    const uint64_t before = g_allocations.load(std::memory_order_relaxed);
    google::protobuf::Arena arena;
    auto* req = google::protobuf::Arena::CreateMessage<ExportTraceServiceRequest>(&arena);
    if (!req->ParseFromString(body)) state.SkipWithError("parse failed");
    allocations += g_allocations.load(std::memory_order_relaxed) - before;
    benchmark::DoNotOptimize(req);
  }
  SetCounters(state, allocations, body.size());
}
BENCHMARK(BM_GeneratedParseOnArena);

template <typename Encode>
void RunEncode(benchmark::State& state, Encode encode) {
  auto decoded = otlp::DecodeTracesProto(ProtoBody());
  std::string out;
  encode(*decoded->batch, &out);  // warm up the output buffer and the scratch
  uint64_t allocations = 0;
  for (auto _ : state) {
    const uint64_t before = g_allocations.load(std::memory_order_relaxed);
    encode(*decoded->batch, &out);
    allocations += g_allocations.load(std::memory_order_relaxed) - before;
    benchmark::DoNotOptimize(out.data());
  }
  SetCounters(state, allocations, out.size());
}

void BM_EncodeTracesProto(benchmark::State& state) { RunEncode(state, otlp::EncodeTracesProto); }
BENCHMARK(BM_EncodeTracesProto);

void BM_EncodeTracesJson(benchmark::State& state) { RunEncode(state, otlp::EncodeTracesJson); }
BENCHMARK(BM_EncodeTracesJson);

}  // namespace

// glibc hands freed heap tops and large blocks back to the kernel, so a benchmark that frees each
// batch re-faults its pages on the next iteration; a server with batches in flight rarely does.
// TW_BENCH_KEEP_MALLOC_DEFAULTS=1 keeps glibc's defaults (to see that cost).
int main(int argc, char** argv) {
  if (std::getenv("TW_BENCH_KEEP_MALLOC_DEFAULTS") == nullptr) {
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
