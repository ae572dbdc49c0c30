// store_bench: the embedded store on realistic generated spans (model batches built directly,
// no OTLP decode): append spans/s per core (durable under SyncPolicy::kAlways, indexed), bytes
// on disk per span after Flush, GetTrace and FindTraces latency p50/p99. Use a dir on a real
// disk (not tmpfs). Env: STORE_BENCH_HEAD_MB (head cut size), STORE_BENCH_APPEND_ONLY,
// STORE_BENCH_NO_QUERIES (stop after the append or after the flush: for profiles).
//   store_bench [spans=500000] [dir=/tmp/tw_store_bench]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "store/store.h"

namespace {

using namespace tracewire;  // NOLINT(google-build-using-namespace)

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Strings live here for the whole run; batches point into them.
struct Vocabulary {
  std::vector<std::string> services, operations, routes, users, hosts, methods;
  Vocabulary() {
    for (int s = 0; s < 50; ++s) services.push_back("service-" + std::to_string(s));
    for (int o = 0; o < 500; ++o)
      operations.push_back("/api.v1.Service" + std::to_string(o / 10) + "/Method" +
                           std::to_string(o));
    for (int r = 0; r < 200; ++r) routes.push_back("/v1/items/{id}/part" + std::to_string(r));
    for (int u = 0; u < 20000; ++u) users.push_back("user-" + std::to_string(u * 7919 % 100000));
    for (int h = 0; h < 200; ++h) hosts.push_back("pod-" + std::to_string(h) + ".svc.cluster");
    methods = {"GET", "POST", "PUT", "DELETE"};
  }
};

std::shared_ptr<const model::SpanBatch> MakeBatch(const Vocabulary& v, std::mt19937_64& rng,
                                                  size_t spans, std::vector<model::TraceId>* ids,
                                                  uint64_t* clock) {
  auto b = std::make_unique<model::SpanBatch>();
  auto& arena = b->storage.arena();
  for (int s = 0; s < 50; ++s) {
    auto kvs = arena.AllocateArray<model::KeyValue>(3);
    kvs[0] = {"service.name", model::AnyValue::String(v.services[s])};
    kvs[1] = {"host.name",
              model::AnyValue::String(v.hosts[(static_cast<uint64_t>(s) * 4 + rng() % 4) % 200])};
    kvs[2] = {"telemetry.sdk.language", model::AnyValue::String("cpp")};
    model::Resource r;
    r.attributes = kvs;
    r.service_name = v.services[s];
    b->resources.push_back(r);
  }
  model::Scope scope;
  scope.name = "tracewire";
  scope.version = "0.4.0";
  b->scopes.push_back(scope);
  b->spans.reserve(spans);
  while (b->spans.size() < spans) {
    // One trace of 1-200 spans (skewed small), a tree over a few services.
    const size_t n = std::min<size_t>(spans - b->spans.size(), 1 + (rng() % 64) * (rng() % 4));
    uint8_t tid[16];
    for (auto& x : tid) x = static_cast<uint8_t>(rng());
    const model::TraceId trace(std::span<const uint8_t, 16>(tid, 16));
    ids->push_back(trace);
    const uint64_t start = (*clock += 1000 + rng() % 100000);
    const size_t first = b->spans.size();
    for (size_t i = 0; i < n; ++i) {
      model::Span s;
      s.trace_id = trace;
      uint8_t sid[8];
      for (auto& x : sid) x = static_cast<uint8_t>(rng());
      s.span_id = model::SpanId(std::span<const uint8_t, 8>(sid, 8));
      if (i > 0) s.parent_span_id = b->spans[first + rng() % i].span_id;
      const size_t svc = (trace.data()[0] + i / 3) % 50;
      const size_t op = svc * 10 + rng() % 10;
      s.name = v.operations[op];
      s.kind = i == 0 ? model::SpanKind::kServer
                      : (i % 2 ? model::SpanKind::kClient : model::SpanKind::kServer);
      s.start_time_unix_nano = start + i * 20000 + rng() % 5000;
      s.end_time_unix_nano = s.start_time_unix_nano + 10000 + rng() % 5000000;
      const bool error = rng() % 50 == 0;
      s.status_code = error ? model::StatusCode::kError : model::StatusCode::kUnset;
      const size_t n_attrs = 8 + rng() % 8;
      auto kvs = arena.AllocateArray<model::KeyValue>(n_attrs);
      const char* keys[] = {"rpc.system",
                            "rpc.service",
                            "rpc.method",
                            "server.address",
                            "http.request.method",
                            "http.route",
                            "http.response.status_code",
                            "trpc.status_code",
                            "user.id",
                            "thread.id",
                            "net.peer.port",
                            "trpc.caller_service",
                            "component",
                            "retry.count",
                            "payload.bytes"};
      for (size_t k = 0; k < n_attrs; ++k) {
        kvs[k].key = keys[k];
        switch (k) {
          case 0: kvs[k].value = model::AnyValue::String("trpc"); break;
          case 1: kvs[k].value = model::AnyValue::String(v.services[svc]); break;
          case 2: kvs[k].value = model::AnyValue::String(v.operations[op]); break;
          case 3: kvs[k].value = model::AnyValue::String(v.hosts[rng() % 200]); break;
          case 4: kvs[k].value = model::AnyValue::String(v.methods[rng() % 4]); break;
          case 5: kvs[k].value = model::AnyValue::String(v.routes[op % 200]); break;
          case 6: kvs[k].value = model::AnyValue::Int(error ? 500 : 200); break;
          case 7: kvs[k].value = model::AnyValue::Int(error ? 21 : 0); break;
          case 8: kvs[k].value = model::AnyValue::String(v.users[rng() % v.users.size()]); break;
          case 9: kvs[k].value = model::AnyValue::Int(static_cast<int64_t>(rng() % 64)); break;
          case 10: kvs[k].value = model::AnyValue::Int(8000 + static_cast<int64_t>(svc)); break;
          case 11: kvs[k].value = model::AnyValue::String(v.services[(svc + 49) % 50]); break;
          case 12: kvs[k].value = model::AnyValue::String("grpc-client"); break;
          case 13: kvs[k].value = model::AnyValue::Int(static_cast<int64_t>(rng() % 2)); break;
          default: kvs[k].value = model::AnyValue::Int(static_cast<int64_t>(rng() % 100000));
        }
      }
      s.attributes = kvs;
      if (rng() % 20 == 0) {
        auto ev = arena.AllocateArray<model::Event>(1);
        ev[0].name = "exception";
        ev[0].time_unix_nano = s.start_time_unix_nano + 1000;
        auto ek = arena.AllocateArray<model::KeyValue>(1);
        ek[0] = {"exception.message", model::AnyValue::String("deadline exceeded")};
        ev[0].attributes = ek;
        s.events = ev;
      }
      s.resource_index = static_cast<uint32_t>(svc);
      b->spans.push_back(s);
    }
  }
  return std::shared_ptr<const model::SpanBatch>(std::move(b));
}

template <typename F>
void Latency(const char* what, int n, const F& f) {
  std::vector<double> us;
  for (int i = 0; i < n; ++i) {
    const double t = WallSeconds();
    f(i);
    us.push_back((WallSeconds() - t) * 1e6);
  }
  std::sort(us.begin(), us.end());
  std::printf("%-28s p50 %8.1f us   p99 %8.1f us\n", what, us[us.size() / 2],
              us[us.size() * 99 / 100]);
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

uint64_t DirBytes(const std::string& dir, const std::string& file_name) {
  uint64_t n = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file() && (file_name.empty() || e.path().filename() == file_name)) {
      n += e.file_size();
    }
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t total = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 500000;
  const std::string dir = argc > 2 ? argv[2] : "/tmp/tw_store_bench";
  std::filesystem::remove_all(dir);
  Vocabulary vocab;
  std::mt19937_64 rng(42);
  std::vector<model::TraceId> ids;
  // Spans from an hour ago, so retention (72 h by default) keeps them.
  uint64_t clock = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count()) -
                   3600ull * 1000000000ull;

  store::StoreOptions o;
  o.data_dir = dir;
  // STORE_BENCH_HEAD_MB: the head cut size (default: the store's, so blocks are cut and
  // compacted in the background during ingest, as in `tracewire serve`).
  if (const char* mb = std::getenv("STORE_BENCH_HEAD_MB")) {
    o.head_max_bytes = std::strtoull(mb, nullptr, 10) << 20;
  }
  auto opened = store::Store::Open(o);
  if (!opened.ok()) {
    std::fprintf(stderr, "open: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  auto& st = *opened;
  // Batches are generated on this thread while the store works; the generator's own CPU time
  // is subtracted from the process's, so "cpu" is the store's (WAL, head, blocks, compaction).
  std::mutex mu;
  std::condition_variable cv;
  size_t pending = 0;
  std::atomic<size_t> failed{0};
  double gen_cpu = 0;
  const double cpu0 = CpuSeconds();
  const double wall0 = WallSeconds();
  size_t spans = 0;
  for (size_t n = 0; n < total; n += 1000) {
    const double g0 = ThreadCpuSeconds();
    auto b = MakeBatch(vocab, rng, 1000, &ids, &clock);
    gen_cpu += ThreadCpuSeconds() - g0;
    spans += b->spans.size();
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return pending < 64; });
      ++pending;
    }
    st->AppendSpans(std::move(b), [&](const Status& s) {
      if (!s.ok()) ++failed;
      std::lock_guard<std::mutex> lock(mu);
      --pending;
      cv.notify_all();
    });
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return pending == 0; });
  }
  const double cpu = CpuSeconds() - cpu0 - gen_cpu;
  const auto n_spans = static_cast<double>(spans);
  const double wall = WallSeconds() - wall0;
  std::printf(
      "append (kAlways, indexed)  %zu spans  %.2f s wall  %.2f s cpu  %.0f spans/s/core"
      "  %.0f ns/span  (%zu failed, %llu wal syncs, %llu blocks cut meanwhile)\n",
      spans, wall, cpu, n_spans / cpu, cpu * 1e9 / n_spans, failed.load(),
      static_cast<unsigned long long>(st->Stats().wal_syncs),
      static_cast<unsigned long long>(st->Stats().blocks));
  if (std::getenv("STORE_BENCH_APPEND_ONLY") != nullptr) {  // for profiling the append alone
    std::fflush(stdout);
    std::_Exit(0);
  }
  Latency("GetTrace (head)", 300,
          [&](int i) { (void)st->GetTrace(ids[(static_cast<size_t>(i) * 7919) % ids.size()]); });

  const double f0 = WallSeconds();
  const double fc0 = CpuSeconds();
  if (Status s = st->Flush(); !s.ok()) std::fprintf(stderr, "flush: %s\n", s.ToString().c_str());
  const double fcpu = CpuSeconds() - fc0;
  std::printf("flush into blocks          %.2f s wall  %.2f s cpu  %.0f spans/s/core\n",
              WallSeconds() - f0, fcpu, n_spans / fcpu);
  std::printf("durable+indexed+blocked    %.0f spans/s/core  %.0f ns/span (append + flush cpu)\n",
              n_spans / (cpu + fcpu), (cpu + fcpu) * 1e9 / n_spans);
  const uint64_t block_bytes = DirBytes(dir + "/blocks", "");
  std::printf(
      "bytes on disk per span     %.1f (blocks %llu bytes, %llu blocks: spans.tw %.1f, "
      "index.tw %.1f B/span)\n",
      static_cast<double>(block_bytes) / static_cast<double>(spans),
      static_cast<unsigned long long>(block_bytes),
      static_cast<unsigned long long>(st->Stats().blocks),
      static_cast<double>(DirBytes(dir + "/blocks", "spans.tw")) / static_cast<double>(spans),
      static_cast<double>(DirBytes(dir + "/blocks", "index.tw")) / static_cast<double>(spans));
  if (std::getenv("STORE_BENCH_NO_QUERIES") != nullptr) {  // for profiling ingest + blocks
    std::fflush(stdout);
    std::_Exit(0);
  }
  Latency("GetTrace (blocks)", 1000,
          [&](int i) { (void)st->GetTrace(ids[(static_cast<size_t>(i) * 7919) % ids.size()]); });
  Latency("FindTraces service", 200, [&](int i) {
    store::TraceQuery q;
    q.service = vocab.services[i % 50];
    (void)st->FindTraces(q);
  });
  Latency("FindTraces service+op", 200, [&](int i) {
    store::TraceQuery q;
    q.service = vocab.services[i % 50];
    q.operation = vocab.operations[(i % 50) * 10 + i % 10];
    (void)st->FindTraces(q);
  });
  Latency("FindTraces svc+attr+errors", 200, [&](int i) {
    store::TraceQuery q;
    q.service = vocab.services[i % 50];
    q.attributes = {{"http.response.status_code", "500"}};
    q.errors_only = true;
    (void)st->FindTraces(q);
  });
  Latency("FindTraces svc+minDuration", 200, [&](int i) {
    store::TraceQuery q;
    q.service = vocab.services[i % 50];
    q.min_duration_ns = 4000000;
    (void)st->FindTraces(q);
  });
  // A full scan of every page: fewer runs on big stores.
  Latency("FindTraces non-indexed attr", spans > 2000000 ? 10 : 50, [&](int i) {
    store::TraceQuery q;
    q.attributes = {{"user.id", vocab.users[i]}};
    (void)st->FindTraces(q);
  });
  Latency("Dependencies", 20, [&](int) { (void)st->Dependencies(0, UINT64_MAX); });
  (void)st->Close();
  std::filesystem::remove_all(dir);
  return 0;
}
