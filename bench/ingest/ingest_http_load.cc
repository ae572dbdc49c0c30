#include "ingest_http_load.h"

#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "net/http_client.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace tracewire::bench {
namespace {

using Clock = std::chrono::steady_clock;

int64_t UnixNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// gzip at zlib level 1 (the cheapest a sender would use); false if zlib fails.
bool GzipFast(const std::string& in, std::string& out) {
  z_stream z{};
  if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
  out.resize(deflateBound(&z, in.size()) + 32);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return rc == Z_STREAM_END;
}

// Rejected spans of an OTLP partial-success response body (protobuf); 0 when none.
uint64_t RejectedSpans(const net::HttpResponse& r) {
  if (r.body.empty()) return 0;
  const auto type = r.headers.Get("Content-Type");
  if (!type || type->find("protobuf") == std::string_view::npos) return 0;
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse resp;
  if (!resp.ParseFromString(r.body)) return 0;
  return static_cast<uint64_t>(resp.partial_success().rejected_spans());
}

struct Shared {
  const Corpus& corpus;
  const IngestOptions& o;
  Clock::time_point window_start;
  Clock::time_point window_end;
  std::atomic<uint64_t> next_send{0};
  std::atomic<uint64_t> spans_claimed{0};
};

void Worker(Shared& sh, IngestResult& r) {
  const IngestOptions& o = sh.o;
  auto client = net::HttpClient::Create(o.host, o.port);
  net::HttpRequest req;
  req.method = "POST";
  req.target = o.path;
  req.headers.Add("Content-Type", "application/x-protobuf");
  if (o.gzip) req.headers.Add("Content-Encoding", "gzip");
  std::string raw;
  const auto timeout = std::chrono::milliseconds(o.timeout_ms);
  const size_t n_bodies = sh.corpus.bodies.size();
  while (true) {
    if (o.max_spans == 0 && Clock::now() >= sh.window_end) break;
    const uint64_t g = sh.next_send.fetch_add(1, std::memory_order_relaxed);
    const CorpusBody& body = sh.corpus.bodies[g % n_bodies];
    if (o.max_spans > 0 &&
        sh.spans_claimed.fetch_add(body.spans, std::memory_order_relaxed) >= o.max_spans)
      break;
    const int64_t sent_unix = UnixNs();
    std::string& plain = o.gzip ? raw : req.body;
    MaterializeBody(sh.corpus, body, g / n_bodies, sent_unix - sh.corpus.base_time_ns, plain);
    if (o.gzip && !GzipFast(raw, req.body)) {
      ++r.transport_errors;
      continue;
    }
    const auto t0 = Clock::now();
    auto resp = client->Send(req, timeout);
    const auto t1 = Clock::now();
    if (!resp.ok()) {
      ++r.transport_errors;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    if (resp->status < 200 || resp->status > 299) {
      ++r.non_2xx[resp->status];
      if (resp->status == 429 || resp->status == 503)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    const uint64_t rejected = std::min<uint64_t>(RejectedSpans(*resp), body.spans);
    r.rejected_spans += rejected;
    ++r.total_requests;
    r.total_spans += body.spans - rejected;
    r.total_bytes += req.body.size();
    if (r.first_send_unix_ns == 0) r.first_send_unix_ns = sent_unix;
    r.last_send_unix_ns = sent_unix;
    if (o.max_spans > 0 || (t1 >= sh.window_start && t1 <= sh.window_end)) {
      ++r.window_requests;
      r.window_spans += body.spans - rejected;
      r.window_bytes += req.body.size();
      r.latencies_ns.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
    }
    if (o.record_every > 0 && g % static_cast<uint64_t>(o.record_every) == 0 &&
        !body.trace_patches.empty())
      r.trace_ids.push_back(
          TraceIdHexAt(plain, body.trace_patches[(g * 7919) % body.trace_patches.size()]));
  }
}

}  // namespace

StatusOr<IngestResult> RunIngest(const Corpus& corpus, const IngestOptions& o) {
  if (corpus.bodies.empty()) return InvalidArgumentError("empty corpus");
  {  // Fail fast when nothing listens.
    auto probe = net::HttpClient::Create(o.host, o.port);
    net::HttpRequest req;
    req.method = "GET";
    req.target = o.path;
    auto r = probe->Send(req, std::chrono::milliseconds(5000));
    if (!r.ok() && r.status().code() == StatusCode::kUnavailable) return r.status();
  }
  const auto start = Clock::now();
  const auto warm =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.warmup_s));
  const auto dur =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration_s));
  Shared sh{corpus, o, start + warm, start + warm + dur};
  std::vector<IngestResult> parts(static_cast<size_t>(std::max(1, o.connections)));
  std::vector<std::thread> threads;
  threads.reserve(parts.size());
  for (auto& part : parts) threads.emplace_back([&sh, &part] { Worker(sh, part); });
  for (auto& t : threads) t.join();
  const auto finish = Clock::now();

  IngestResult total;
  total.window_s =
      o.max_spans > 0 ? std::chrono::duration<double>(finish - start).count() : o.duration_s;
  for (IngestResult& p : parts) {
    total.window_requests += p.window_requests;
    total.window_spans += p.window_spans;
    total.window_bytes += p.window_bytes;
    total.total_requests += p.total_requests;
    total.total_spans += p.total_spans;
    total.total_bytes += p.total_bytes;
    total.rejected_spans += p.rejected_spans;
    total.transport_errors += p.transport_errors;
    for (auto [code, n] : p.non_2xx) total.non_2xx[code] += n;
    total.latencies_ns.insert(total.latencies_ns.end(), p.latencies_ns.begin(),
                              p.latencies_ns.end());
    total.trace_ids.insert(total.trace_ids.end(), p.trace_ids.begin(), p.trace_ids.end());
    if (p.first_send_unix_ns != 0 &&
        (total.first_send_unix_ns == 0 || p.first_send_unix_ns < total.first_send_unix_ns))
      total.first_send_unix_ns = p.first_send_unix_ns;
    total.last_send_unix_ns = std::max(total.last_send_unix_ns, p.last_send_unix_ns);
  }
  std::sort(total.latencies_ns.begin(), total.latencies_ns.end());
  return total;
}

}  // namespace tracewire::bench
