// ingest_load: the ingest benchmark's load generator. `--mode ingest` sends realistic OTLP/HTTP
// protobuf batches as fast as the server takes them; `--mode query` times trace-by-id and
// search requests against the query API; `--mode corpus` only describes the corpus. Prints
// JSON lines, then human lines; see bench/ingest/README.md.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ingest_corpus.h"
#include "ingest_http_load.h"
#include "ingest_query_load.h"

namespace tracewire::bench {
namespace {

double Ms(int64_t ns) { return static_cast<double>(ns) / 1e6; }

// CPU seconds (user + system) this process has used so far.
double SelfCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// The value at quantile q of sorted `v` (the ceil(q * n)-th smallest); 0 when empty.
int64_t Quantile(const std::vector<int64_t>& v, double q) {
  if (v.empty()) return 0;
  auto rank = static_cast<size_t>(q * static_cast<double>(v.size()) + 0.999999);
  rank = std::clamp<size_t>(rank, 1, v.size());
  return v[rank - 1];
}

double Mean(const std::vector<int64_t>& v) {
  double sum = 0;
  for (int64_t x : v) sum += static_cast<double>(x);
  return v.empty() ? 0 : sum / static_cast<double>(v.size());
}

bool ParseAddr(const std::string& addr, std::string* host, uint16_t* port) {
  const auto colon = addr.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  const int p = std::atoi(addr.c_str() + colon + 1);
  if (p <= 0 || p > 65535) return false;
  *host = addr.substr(0, colon);
  *port = static_cast<uint16_t>(p);
  return true;
}

void PrintCorpus(const Corpus& c, double build_s) {
  uint64_t bytes = 0;
  for (const auto& b : c.bodies) bytes += b.bytes.size();
  const auto spans = static_cast<double>(c.spans);
  std::printf("{\"mode\":\"corpus\",\"bodies\":%zu,\"spans\":%" PRIu64 ",\"traces\":%" PRIu64
              ",\"bytes\":%" PRIu64
              ",\"bytes_per_span\":%.1f,\"spans_per_request\":%.1f,"
              "\"spans_per_trace\":%.1f,\"attributes_per_span\":%.2f,\"event_fraction\":%.4f,"
              "\"error_fraction\":%.4f,\"services\":%zu,\"operations\":%zu,\"span_names\":%zu,"
              "\"build_s\":%.2f}\n",
              c.bodies.size(), c.spans, c.traces, bytes, static_cast<double>(bytes) / spans,
              spans / static_cast<double>(c.bodies.size()), spans / static_cast<double>(c.traces),
              static_cast<double>(c.attributes) / spans, static_cast<double>(c.events) / spans,
              static_cast<double>(c.errors) / spans, c.services, c.operations.size(), c.span_names,
              build_s);
}

void PrintIngest(const IngestOptions& o, const IngestResult& r, double cpu_s) {
  const double w = r.window_s > 0 ? r.window_s : 1;
  uint64_t non_2xx = 0;
  std::string codes;
  for (auto [code, n] : r.non_2xx) {
    non_2xx += n;
    codes += (codes.empty() ? "" : ",") + ("\"" + std::to_string(code) + "\":" + std::to_string(n));
  }
  const auto& l = r.latencies_ns;
  std::printf(
      "{\"mode\":\"ingest\",\"connections\":%d,\"gzip\":%s,\"window_s\":%.3f,\"requests\":%" PRIu64
      ",\"spans\":%" PRIu64 ",\"bytes\":%" PRIu64
      ",\"spans_per_s\":%.1f,\"requests_per_s\":%.1f,"
      "\"bytes_per_s\":%.1f,\"total_requests\":%" PRIu64 ",\"total_spans\":%" PRIu64
      ",\"total_bytes\":%" PRIu64 ",\"rejected_spans\":%" PRIu64 ",\"non_2xx\":%" PRIu64
      ",\"status_counts\":{%s},\"transport_errors\":%" PRIu64
      ",\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"mean_ms\":%.3f,\"recorded_traces\":%zu,"
      "\"loadgen_cpu_s\":%.3f}\n",
      o.connections, o.gzip ? "true" : "false", r.window_s, r.window_requests, r.window_spans,
      r.window_bytes, static_cast<double>(r.window_spans) / w,
      static_cast<double>(r.window_requests) / w, static_cast<double>(r.window_bytes) / w,
      r.total_requests, r.total_spans, r.total_bytes, r.rejected_spans, non_2xx, codes.c_str(),
      r.transport_errors, Ms(Quantile(l, 0.5)), Ms(Quantile(l, 0.99)), Ms(Quantile(l, 1.0)),
      Mean(l) / 1e6, r.trace_ids.size(), cpu_s);
  std::printf("ingest: %.0f spans/s, %.0f req/s, %.1f MB/s over %.1f s (%d conns); %" PRIu64
              " non-2xx, %" PRIu64 " transport errors; request p50 %.2f ms, p99 %.2f ms\n",
              static_cast<double>(r.window_spans) / w, static_cast<double>(r.window_requests) / w,
              static_cast<double>(r.window_bytes) / w / 1e6, r.window_s, o.connections, non_2xx,
              r.transport_errors, Ms(Quantile(l, 0.5)), Ms(Quantile(l, 0.99)));
}

void PrintQuery(const QueryResult& r) {
  const auto& l = r.latencies_ns;
  std::printf("{\"mode\":\"query\",\"kind\":\"%s\",\"requests\":%zu,\"ok\":%" PRIu64
              ",\"not_found\":%" PRIu64 ",\"empty\":%" PRIu64 ",\"errors\":%" PRIu64
              ",\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"mean_ms\":%.3f}\n",
              QueryKindName(r.kind).c_str(), l.size(), r.ok, r.not_found, r.empty, r.errors,
              Ms(Quantile(l, 0.5)), Ms(Quantile(l, 0.99)), Ms(Quantile(l, 1.0)), Mean(l) / 1e6);
}

}  // namespace
}  // namespace tracewire::bench

int main(int argc, char** argv) {
  using namespace tracewire::bench;  // NOLINT(google-build-using-namespace)
  CorpusOptions co;
  IngestOptions io;
  QueryOptions qo;
  std::string mode = "ingest";
  std::string addr;
  std::string record;
  std::string sample_path;
  std::string kinds = "jaeger-trace,native-trace,jaeger-search,native-search";
  std::string dump;
  CLI::App app{"ingest benchmark load generator (OTLP/HTTP protobuf ingest; query latency)"};
  app.add_option("--mode", mode, "ingest, query or corpus")
      ->check(CLI::IsMember({"ingest", "query", "corpus"}))
      ->capture_default_str();
  app.add_option("--addr", addr, "server HOST:PORT (OTLP/HTTP for ingest, query API for query)");
  app.add_option("--path", io.path, "ingest: request path")->capture_default_str();
  app.add_option("--connections", io.connections, "ingest: connections (one thread each)")
      ->capture_default_str();
  app.add_option("--duration-s", io.duration_s, "ingest: measured seconds")->capture_default_str();
  app.add_option("--warmup-s", io.warmup_s, "ingest: unmeasured seconds first")
      ->capture_default_str();
  app.add_option("--spans", io.max_spans, "ingest: send this many spans, then stop (0: timed)");
  app.add_flag("--gzip", io.gzip, "ingest: gzip each body (level 1) at send time");
  app.add_option("--timeout-ms", io.timeout_ms, "per-request timeout, ms")->capture_default_str();
  app.add_option("--record", record, "ingest: write sampled trace ids and operations here");
  app.add_option("--record-every", io.record_every, "ingest: sample 1 of N accepted requests")
      ->capture_default_str();
  app.add_option("--seed", co.seed, "corpus seed")->capture_default_str();
  app.add_option("--bodies", co.bodies, "distinct request bodies")->capture_default_str();
  app.add_option("--min-batch", co.min_batch_spans, "min spans per request")->capture_default_str();
  app.add_option("--max-batch", co.max_batch_spans, "max spans per request")->capture_default_str();
  app.add_option("--max-trace-spans", co.max_trace_spans, "max spans per trace")
      ->capture_default_str();
  app.add_option("--dump-body", dump, "corpus: write the first body (protobuf) to this file");
  app.add_option("--sample", sample_path, "query: the --record file of an ingest run");
  app.add_option("--requests", qo.requests, "query: measured requests per kind")
      ->capture_default_str();
  app.add_option("--query-warmup", qo.warmup, "query: unmeasured requests per kind")
      ->capture_default_str();
  app.add_option("--limit", qo.limit, "query: search limit")->capture_default_str();
  app.add_option("--kinds", kinds, "query: comma list of kinds")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  if (mode == "query") {
    if (!ParseAddr(addr, &qo.host, &qo.port) || sample_path.empty()) {
      std::fprintf(stderr, "ingest_load: --mode query needs --addr HOST:PORT and --sample\n");
      return 2;
    }
    auto sample = ReadQuerySample(sample_path);
    if (!sample.ok()) {
      std::fprintf(stderr, "ingest_load: %s\n", sample.status().ToString().c_str());
      return 2;
    }
    std::stringstream list(kinds);
    for (std::string k; std::getline(list, k, ',');) {
      const std::vector<std::pair<std::string, QueryKind>> all = {
          {"jaeger-trace", QueryKind::kJaegerTrace},
          {"native-trace", QueryKind::kNativeTrace},
          {"jaeger-search", QueryKind::kJaegerSearch},
          {"native-search", QueryKind::kNativeSearch}};
      auto it = std::find_if(all.begin(), all.end(), [&](const auto& p) { return p.first == k; });
      if (it == all.end()) {
        std::fprintf(stderr, "ingest_load: unknown query kind %s\n", k.c_str());
        return 2;
      }
      auto r = RunQueries(it->second, *sample, qo);
      if (!r.ok()) {
        std::fprintf(stderr, "ingest_load: %s\n", r.status().ToString().c_str());
        return 1;
      }
      PrintQuery(*r);
    }
    return 0;
  }

  const auto t0 = std::chrono::steady_clock::now();
  auto corpus = BuildCorpus(co);
  if (!corpus.ok()) {
    std::fprintf(stderr, "ingest_load: %s\n", corpus.status().ToString().c_str());
    return 2;
  }
  PrintCorpus(*corpus,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  std::fflush(stdout);
  if (mode == "corpus") {
    if (!dump.empty()) std::ofstream(dump, std::ios::binary) << corpus->bodies[0].bytes;
    return 0;
  }
  if (!ParseAddr(addr, &io.host, &io.port) || io.connections < 1 || io.connections > 1024) {
    std::fprintf(stderr, "ingest_load: --mode ingest needs --addr HOST:PORT, 1..1024 conns\n");
    return 2;
  }
  const double cpu0 = SelfCpuSeconds();
  auto result = RunIngest(*corpus, io);
  if (!result.ok()) {
    std::fprintf(stderr, "ingest_load: %s\n", result.status().ToString().c_str());
    return 1;
  }
  PrintIngest(io, *result, SelfCpuSeconds() - cpu0);
  if (!record.empty()) {
    QuerySample s{result->trace_ids, corpus->operations};
    if (auto st = WriteQuerySample(record, s); !st.ok()) {
      std::fprintf(stderr, "ingest_load: %s\n", st.ToString().c_str());
      return 1;
    }
  }
  return 0;
}
