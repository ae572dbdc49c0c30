#include "sidecar/metrics.h"

#include <gtest/gtest.h>

namespace tracewire::sidecar {
namespace {

TEST(MetricsTest, HistogramIsCumulative) {
  LatencyHistogram h;
  h.Observe(50);
  h.Observe(100);
  h.Observe(300);
  h.Observe(10'000'000);
  std::array<uint64_t, kLatencyBucketsUs.size() + 1> c;
  uint64_t sum = 0;
  uint64_t count = 0;
  h.Snapshot(&c, &sum, &count);
  EXPECT_EQ(c[0], 2u);  // <= 100 µs
  EXPECT_EQ(c[1], 2u);  // <= 250 µs
  EXPECT_EQ(c[2], 3u);  // <= 500 µs
  EXPECT_EQ(c.back(), 4u);
  EXPECT_EQ(count, 4u);
  EXPECT_EQ(sum, 10'000'450u);
}

TEST(MetricsTest, RendersPrometheusText) {
  ListenerMetrics m;
  m.name = "in";
  m.kind = "inbound";
  m.trpc.requests = 3;
  m.trpc.errors = 1;
  m.trpc.latency.Observe(200);
  m.connections_active = 2;
  SpanFigures spans;
  spans.exported = 7;
  spans.dropped = 4;
  spans.queue_depth = 1;
  const std::string text = RenderPrometheus({&m}, spans);
  EXPECT_NE(text.find("# TYPE tracewire_sidecar_requests_total counter"), std::string::npos);
  EXPECT_NE(text.find("tracewire_sidecar_requests_total{listener=\"in\",kind=\"inbound\","
                      "protocol=\"trpc\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("tracewire_sidecar_request_errors_total{listener=\"in\",kind=\"inbound\","
                      "protocol=\"trpc\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("tracewire_sidecar_request_duration_seconds_bucket{listener=\"in\","
                      "kind=\"inbound\",protocol=\"trpc\",le=\"0.00025\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("tracewire_sidecar_connections_active{listener=\"in\",kind=\"inbound\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("tracewire_sidecar_spans_exported_total 7\n"), std::string::npos);
  EXPECT_NE(text.find("tracewire_sidecar_spans_dropped_total 4\n"), std::string::npos);
  EXPECT_NE(text.find("tracewire_sidecar_span_queue_depth 1\n"), std::string::npos);
}

}  // namespace
}  // namespace tracewire::sidecar
