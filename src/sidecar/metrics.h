// Sidecar counters and the Prometheus text exposition of them (format 0.0.4). Counters are
// relaxed atomics written on the event loop and read by the admin thread. HOT PATH: Observe and
// the increments take no lock and allocate nothing.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace tracewire::sidecar {

// Request latency, upper bounds in µs (Prometheus `le` is printed in seconds).
inline constexpr std::array<uint64_t, 14> kLatencyBucketsUs = {
    100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 5000000,
};

class LatencyHistogram {
 public:
  void Observe(uint64_t micros);
  // Cumulative counts per bucket (then +Inf), the sum in µs and the count.
  void Snapshot(std::array<uint64_t, kLatencyBucketsUs.size() + 1>* cumulative, uint64_t* sum_us,
                uint64_t* count) const;

 private:
  std::array<std::atomic<uint64_t>, kLatencyBucketsUs.size() + 1> buckets_{};
  std::atomic<uint64_t> sum_us_{0};
};

// Per listener and protocol ("trpc", "http").
struct RequestMetrics {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> errors{0};  // ret != 0, 5xx, or an upstream failure
  LatencyHistogram latency;
};

struct ListenerMetrics {
  std::string name;
  std::string kind;  // inbound, outbound, edge
  std::atomic<uint64_t> connections_total{0};
  std::atomic<uint64_t> connections_active{0};
  std::atomic<uint64_t> relayed_connections{0};  // plain TCP (sniffed or fallen back)
  std::atomic<uint64_t> malformed_frames{0};     // frames that did not parse (relayed as is)
  std::atomic<uint64_t> upstream_connect_errors{0};
  std::atomic<uint64_t> upstream_timeouts{0};
  RequestMetrics trpc;
  RequestMetrics http;
};

// The span pipeline's figures, read when /metrics is rendered.
struct SpanFigures {
  uint64_t exported = 0;
  uint64_t dropped = 0;  // queue full
  uint64_t export_failed = 0;
  uint64_t queue_depth = 0;
};

// Renders every listener's metrics and the span figures as Prometheus text.
std::string RenderPrometheus(const std::vector<const ListenerMetrics*>& listeners,
                             const SpanFigures& spans);

}  // namespace tracewire::sidecar
