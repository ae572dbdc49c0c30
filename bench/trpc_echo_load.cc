// trpc_echo_load: a tRPC (or HTTP/1.1, --protocol http) echo load generator, closed loop (max
// throughput) or open loop (fixed rate, latency from the scheduled send time so a slow server
// cannot hide its queueing). Prints one JSON line and one human line; see bench/README.md.
#include <CLI/CLI.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <cinttypes>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include "trpc_echo_load_connection.h"
#include "trpc_echo_load_http.h"
#include "trpc_echo_load_options.h"

namespace tracewire::bench {
namespace {

struct Worker {
  asio::io_context io{1};
  WorkerStats stats;
  std::vector<std::unique_ptr<LoadConnection>> connections;  // destroyed before io
  std::thread thread;
};

double Us(int64_t ns) { return static_cast<double>(ns) / 1000.0; }

void PrintReport(const LoadOptions& o, const WorkerStats& s) {
  const double rps = static_cast<double>(s.ok) / o.duration_s;
  const auto& h = s.latency;
  const bool open = o.mode == LoadMode::kOpen;
  std::printf(
      "{\"protocol\":\"%s\",\"mode\":\"%s\",\"connections\":%d,\"pipeline\":%d,\"target_rps\":%.0f,"
      "\"body_size\":%zu,\"duration_s\":%.3f,\"threads\":%d,\"sent\":%" PRIu64
      ",\"requests\":%" PRIu64 ",\"rps\":%.1f,\"errors\":%" PRIu64 ",\"timeouts\":%" PRIu64
      ",\"bad_ret\":%" PRIu64 ",\"bad_body\":%" PRIu64 ",\"protocol_errors\":%" PRIu64
      ",\"lost\":%" PRIu64 ",\"disconnects\":%" PRIu64 ",\"late\":%" PRIu64
      ",\"mean_us\":%.1f,\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,"
      "\"max_us\":%.1f}\n",
      o.protocol == LoadProtocol::kHttp ? "http" : "trpc", open ? "open" : "closed", o.connections,
      open ? 0 : o.pipeline, open ? o.rate : 0.0, o.body_size, o.duration_s, o.threads, s.sent,
      s.ok, rps, s.errors(), s.timeouts, s.bad_ret, s.bad_body, s.protocol, s.lost, s.disconnects,
      s.late, h.mean_ns() / 1000.0, Us(h.ValueAtQuantile(0.5)), Us(h.ValueAtQuantile(0.9)),
      Us(h.ValueAtQuantile(0.99)), Us(h.ValueAtQuantile(0.999)), Us(h.max_ns()));
  std::printf("%s %d conns body %zu B: %" PRIu64 " requests in %.1f s = %.0f req/s, %" PRIu64
              " errors; latency p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us\n",
              open ? "open-loop" : "closed-loop", o.connections, o.body_size, s.ok, o.duration_s,
              rps, s.errors(), Us(h.ValueAtQuantile(0.5)), Us(h.ValueAtQuantile(0.99)),
              Us(h.ValueAtQuantile(0.999)), Us(h.max_ns()));
  std::fflush(stdout);
}

int Run(LoadOptions o) {
  asio::io_context resolver_io;
  asio::ip::tcp::resolver resolver(resolver_io);
  asio::error_code ec;
  const auto results = resolver.resolve(o.host, std::to_string(o.port), ec);
  if (ec || results.empty()) {
    std::fprintf(stderr, "trpc_echo_load: cannot resolve %s: %s\n", o.host.c_str(),
                 ec.message().c_str());
    return 1;
  }
  const asio::ip::tcp::endpoint endpoint = *results.begin();

  o.threads = std::min(o.threads, o.connections);  // every worker needs a connection
  LoadWindow window;
  std::vector<std::unique_ptr<Worker>> workers;
  workers.reserve(o.threads);
  for (int t = 0; t < o.threads; ++t) workers.push_back(std::make_unique<Worker>());
  for (int i = 0; i < o.connections; ++i) {
    Worker& w = *workers[i % o.threads];
    std::unique_ptr<LoadConnection> conn;
    if (o.protocol == LoadProtocol::kHttp) {
      conn = std::make_unique<HttpEchoConnection>(w.io, o, window, w.stats, i);
    } else {
      conn = std::make_unique<EchoConnection>(w.io, o, window, w.stats, i);
    }
    if (Status st = conn->Connect(endpoint); !st.ok()) {
      std::fprintf(stderr, "trpc_echo_load: %s:%u: %s\n", o.host.c_str(), o.port,
                   st.ToString().c_str());
      return 1;
    }
    w.connections.push_back(std::move(conn));
  }

  window.start_ns = NowNs();
  window.warm_end_ns = window.start_ns + static_cast<int64_t>(o.warmup_s * 1e9);
  window.end_ns = window.warm_end_ns + static_cast<int64_t>(o.duration_s * 1e9);
  for (auto& w : workers) {
    for (auto& c : w->connections) c->Start();
    w->thread = std::thread([&io = w->io] { io.run(); });
  }
  std::this_thread::sleep_for(std::chrono::nanoseconds(window.end_ns - NowNs()));
  for (auto& w : workers) w->io.stop();
  WorkerStats total;
  for (auto& w : workers) {
    w->thread.join();
    for (auto& c : w->connections) c->Finish();
    w->connections.clear();
    total.Merge(w->stats);
  }
  PrintReport(o, total);
  return 0;
}

}  // namespace
}  // namespace tracewire::bench

int main(int argc, char** argv) {
  using tracewire::bench::LoadMode;
  using tracewire::bench::LoadProtocol;
  tracewire::bench::LoadOptions o;
  std::string addr;
  std::string mode = "closed";
  std::string protocol = "trpc";
  CLI::App app{
      "tRPC / HTTP echo load generator: closed loop (max throughput) or open loop (fixed rate)"};
  app.add_option("--addr", addr, "server HOST:PORT")->required();
  app.add_option("--connections", o.connections, "TCP connections")->capture_default_str();
  app.add_option("--body-size", o.body_size, "request body bytes")->capture_default_str();
  app.add_option("--duration-s", o.duration_s, "measured seconds")->capture_default_str();
  app.add_option("--warmup-s", o.warmup_s, "unmeasured seconds first")->capture_default_str();
  app.add_option("--mode", mode, "closed or open")
      ->check(CLI::IsMember({"closed", "open"}))
      ->capture_default_str();
  app.add_option("--rate", o.rate, "open loop: requests/s over all connections");
  app.add_option("--pipeline", o.pipeline, "closed loop: requests in flight per connection")
      ->capture_default_str();
  app.add_option("--protocol", protocol, "trpc (echo frames) or http (HTTP/1.1 keep-alive POSTs)")
      ->check(CLI::IsMember({"trpc", "http"}))
      ->capture_default_str();
  app.add_option("--path", o.path, "HTTP: request target")->capture_default_str();
  app.add_option("--func", o.func, "tRPC func")->capture_default_str();
  app.add_option("--content-type", o.content_type, "content_type field")->capture_default_str();
  app.add_option("--timeout-ms", o.timeout_ms, "request timeout, ms")->capture_default_str();
  app.add_option("--threads", o.threads, "load generator threads")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  o.mode = mode == "open" ? LoadMode::kOpen : LoadMode::kClosed;
  o.protocol = protocol == "http" ? LoadProtocol::kHttp : LoadProtocol::kTrpc;
  tracewire::Status st = tracewire::bench::ParseAddress(addr, &o);
  if (st.ok()) st = tracewire::bench::ValidateLoadOptions(o);
  if (!st.ok()) {
    std::fprintf(stderr, "trpc_echo_load: %s\n", st.message().c_str());
    return 2;
  }
  return tracewire::bench::Run(std::move(o));
}
