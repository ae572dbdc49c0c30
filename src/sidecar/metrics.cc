#include "sidecar/metrics.h"

#include <cstdio>
#include <string_view>

namespace tracewire::sidecar {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

std::string Labels(const ListenerMetrics& m) {
  return "listener=\"" + m.name + "\",kind=\"" + m.kind + "\"";
}

void Line(std::string* out, std::string_view name, const std::string& labels, uint64_t value) {
  out->append(name).append("{").append(labels).append("} ").append(std::to_string(value));
  out->push_back('\n');
}

void Help(std::string* out, std::string_view name, std::string_view type, std::string_view help) {
  out->append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ");
  out->append(name).append(" ").append(type).append("\n");
}

std::string Seconds(uint64_t micros) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", static_cast<double>(micros) / 1e6);
  return buf;
}

void Histogram(std::string* out, const std::string& labels, const LatencyHistogram& h) {
  std::array<uint64_t, kLatencyBucketsUs.size() + 1> cumulative;
  uint64_t sum_us = 0;
  uint64_t count = 0;
  h.Snapshot(&cumulative, &sum_us, &count);
  constexpr std::string_view kName = "tracewire_sidecar_request_duration_seconds";
  for (size_t i = 0; i < kLatencyBucketsUs.size(); ++i) {
    Line(out, std::string(kName) + "_bucket",
         labels + ",le=\"" + Seconds(kLatencyBucketsUs[i]) + "\"", cumulative[i]);
  }
  Line(out, std::string(kName) + "_bucket", labels + ",le=\"+Inf\"", cumulative.back());
  out->append(kName).append("_sum{").append(labels).append("} ").append(Seconds(sum_us));
  out->push_back('\n');
  Line(out, std::string(kName) + "_count", labels, count);
}

}  // namespace

void LatencyHistogram::Observe(uint64_t micros) {
  size_t i = 0;
  while (i < kLatencyBucketsUs.size() && micros > kLatencyBucketsUs[i]) ++i;
  buckets_[i].fetch_add(1, kRelaxed);
  sum_us_.fetch_add(micros, kRelaxed);
}

void LatencyHistogram::Snapshot(std::array<uint64_t, kLatencyBucketsUs.size() + 1>* cumulative,
                                uint64_t* sum_us, uint64_t* count) const {
  uint64_t running = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    running += buckets_[i].load(kRelaxed);
    (*cumulative)[i] = running;
  }
  *count = running;
  *sum_us = sum_us_.load(kRelaxed);
}

std::string RenderPrometheus(const std::vector<const ListenerMetrics*>& listeners,
                             const SpanFigures& spans) {
  std::string out;
  struct Counter {
    std::string_view name;
    std::string_view type;
    std::string_view help;
    const std::atomic<uint64_t> ListenerMetrics::*field;
  };
  static constexpr Counter kCounters[] = {
      {"tracewire_sidecar_connections_total", "counter", "Downstream connections accepted.",
       &ListenerMetrics::connections_total},
      {"tracewire_sidecar_connections_active", "gauge", "Downstream connections open.",
       &ListenerMetrics::connections_active},
      {"tracewire_sidecar_relayed_connections_total", "counter",
       "Connections relayed as plain TCP (not traced).", &ListenerMetrics::relayed_connections},
      {"tracewire_sidecar_malformed_frames_total", "counter",
       "Frames that did not parse; their connection fell back to relaying.",
       &ListenerMetrics::malformed_frames},
      {"tracewire_sidecar_upstream_connect_errors_total", "counter",
       "Upstream connections that could not be opened.", &ListenerMetrics::upstream_connect_errors},
      {"tracewire_sidecar_upstream_timeouts_total", "counter",
       "Requests answered with a timeout by the sidecar.", &ListenerMetrics::upstream_timeouts},
  };
  for (const Counter& c : kCounters) {
    Help(&out, c.name, c.type, c.help);
    for (const ListenerMetrics* m : listeners)
      Line(&out, c.name, Labels(*m), (m->*c.field).load(kRelaxed));
  }
  Help(&out, "tracewire_sidecar_requests_total", "counter", "Requests proxied.");
  for (const ListenerMetrics* m : listeners) {
    Line(&out, "tracewire_sidecar_requests_total", Labels(*m) + ",protocol=\"trpc\"",
         m->trpc.requests.load(kRelaxed));
    Line(&out, "tracewire_sidecar_requests_total", Labels(*m) + ",protocol=\"http\"",
         m->http.requests.load(kRelaxed));
  }
  Help(&out, "tracewire_sidecar_request_errors_total", "counter",
       "Requests that ended in error (tRPC ret != 0, HTTP 5xx, upstream failure).");
  for (const ListenerMetrics* m : listeners) {
    Line(&out, "tracewire_sidecar_request_errors_total", Labels(*m) + ",protocol=\"trpc\"",
         m->trpc.errors.load(kRelaxed));
    Line(&out, "tracewire_sidecar_request_errors_total", Labels(*m) + ",protocol=\"http\"",
         m->http.errors.load(kRelaxed));
  }
  Help(&out, "tracewire_sidecar_request_duration_seconds", "histogram",
       "Time from a request's last byte in to its response's first byte out.");
  for (const ListenerMetrics* m : listeners) {
    Histogram(&out, Labels(*m) + ",protocol=\"trpc\"", m->trpc.latency);
    Histogram(&out, Labels(*m) + ",protocol=\"http\"", m->http.latency);
  }
  auto plain = [&](std::string_view name, std::string_view type, std::string_view help,
                   uint64_t value) {
    Help(&out, name, type, help);
    out.append(name).append(" ").append(std::to_string(value)).append("\n");
  };
  plain("tracewire_sidecar_spans_exported_total", "counter", "Spans the exporter delivered.",
        spans.exported);
  plain("tracewire_sidecar_spans_dropped_total", "counter", "Spans dropped: export queue full.",
        spans.dropped);
  plain("tracewire_sidecar_spans_export_failed_total", "counter", "Spans whose export failed.",
        spans.export_failed);
  plain("tracewire_sidecar_span_queue_depth", "gauge", "Spans waiting for export.",
        spans.queue_depth);
  return out;
}

}  // namespace tracewire::sidecar
