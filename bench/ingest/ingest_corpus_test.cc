#include "ingest_corpus.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <set>
#include <unordered_set>

#include "ingest_http_load.h"
#include "ingest_query_load.h"
#include "net/http_server.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace tracewire::bench {
namespace {

using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;

// Few and small bodies: the tests run under ASan.
CorpusOptions Small(int bodies = 2, int min_batch = 100, int max_batch = 300) {
  CorpusOptions o;
  o.bodies = bodies;
  o.min_batch_spans = min_batch;
  o.max_batch_spans = max_batch;
  return o;
}

ExportTraceServiceRequest Parse(const std::string& bytes) {
  ExportTraceServiceRequest req;
  EXPECT_TRUE(req.ParseFromString(bytes));
  return req;
}

template <typename F>
void ForEachSpan(const ExportTraceServiceRequest& req, F&& f) {
  for (const auto& rs : req.resource_spans())
    for (const auto& ss : rs.scope_spans())
      for (const auto& s : ss.spans()) f(rs, s);
}

TEST(IngestCorpus, BodiesAreValidRequestsOfRealisticSpans) {
  auto c = BuildCorpus(Small(2, 512, 2048));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->bodies.size(), 2u);
  for (const CorpusBody& b : c->bodies) {
    const auto req = Parse(b.bytes);
    uint32_t spans = 0;
    std::set<std::string> ids;
    ForEachSpan(req, [&](const auto& rs, const auto& s) {
      ++spans;
      EXPECT_GE(s.attributes_size(), 8);
      EXPECT_LE(s.attributes_size(), 15);
      EXPECT_EQ(s.trace_id().size(), 16u);
      EXPECT_EQ(s.span_id().size(), 8u);
      EXPECT_FALSE(s.name().empty());
      EXPECT_LE(s.start_time_unix_nano(), s.end_time_unix_nano());
      EXPECT_EQ(rs.resource().attributes(0).key(), "service.name");
      ids.insert(s.trace_id() + s.span_id());
    });
    EXPECT_EQ(spans, b.spans);
    EXPECT_GE(spans, 512u);
    EXPECT_LE(spans, 2048u + 200u);
    EXPECT_EQ(ids.size(), spans);  // (trace, span) pairs are unique
    // Every parent is a span of the same trace in the same body.
    ForEachSpan(req, [&](const auto&, const auto& s) {
      if (!s.parent_span_id().empty()) EXPECT_TRUE(ids.count(s.trace_id() + s.parent_span_id()));
    });
    EXPECT_EQ(b.trace_patches.size(), spans);
    EXPECT_GE(b.span_patches.size(), spans);
  }
  EXPECT_EQ(c->services, 50u);
  EXPECT_GT(c->operations.size(), 100u);
}

TEST(IngestCorpus, SameSeedGivesTheSameBytes) {
  auto a = BuildCorpus(Small(2));
  auto b = BuildCorpus(Small(2));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->bodies[1].bytes, b->bodies[1].bytes);
}

TEST(IngestCorpus, EventAndErrorSharesAreAsConfigured) {
  CorpusOptions o = Small(6, 800, 800);  // ~5,000 spans; the seed is fixed
  auto c = BuildCorpus(o);
  ASSERT_TRUE(c.ok());
  const double spans = static_cast<double>(c->spans);
  EXPECT_NEAR(static_cast<double>(c->events) / spans, 0.05, 0.015);
  EXPECT_NEAR(static_cast<double>(c->errors) / spans, 0.01, 0.006);
  EXPECT_NEAR(static_cast<double>(c->spans) / static_cast<double>(c->traces), 35, 15);
}

TEST(IngestCorpus, GenerationZeroWithoutShiftIsTheCorpusItself) {
  auto c = BuildCorpus(Small(1));
  ASSERT_TRUE(c.ok());
  std::string out;
  MaterializeBody(*c, c->bodies[0], 0, 0, out);
  EXPECT_EQ(out, c->bodies[0].bytes);
}

TEST(IngestCorpus, EverySendGetsNewIdsKeepsParentageAndShiftsTime) {
  auto c = BuildCorpus(Small(2));
  ASSERT_TRUE(c.ok());
  std::unordered_set<std::string> traces;
  std::unordered_set<std::string> spans;
  uint64_t trace_count = 0;
  const int64_t shift = 123'456'789;
  for (uint64_t gen = 0; gen < 3; ++gen) {
    for (const CorpusBody& b : c->bodies) {
      std::string out;
      MaterializeBody(*c, b, gen, shift, out);
      const auto before = Parse(b.bytes);
      const auto req = Parse(out);
      std::set<std::string> body_traces;
      std::set<std::string> body_spans;
      ForEachSpan(req, [&](const auto&, const auto& s) {
        body_traces.insert(s.trace_id());
        EXPECT_TRUE(spans.insert(s.span_id()).second);
        body_spans.insert(s.span_id());
      });
      for (const auto& t : body_traces) EXPECT_TRUE(traces.insert(t).second);
      trace_count += body_traces.size();
      ForEachSpan(req, [&](const auto&, const auto& s) {
        if (!s.parent_span_id().empty()) EXPECT_TRUE(body_spans.count(s.parent_span_id()));
      });
      const auto& s0 = before.resource_spans(0).scope_spans(0).spans(0);
      const auto& s1 = req.resource_spans(0).scope_spans(0).spans(0);
      EXPECT_EQ(s1.start_time_unix_nano(), s0.start_time_unix_nano() + shift);
      EXPECT_EQ(s1.end_time_unix_nano(), s0.end_time_unix_nano() + shift);
    }
  }
  EXPECT_EQ(trace_count, 3 * c->traces);
}

TEST(IngestCorpus, RejectsBadOptions) {
  CorpusOptions o;
  o.bodies = 0;
  EXPECT_FALSE(BuildCorpus(o).ok());
  o = CorpusOptions{};
  o.min_batch_spans = 10;
  o.max_batch_spans = 5;
  EXPECT_FALSE(BuildCorpus(o).ok());
}

TEST(IngestQuery, UrlEncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(UrlEncode("GET /api/v1/{id}"), "GET%20%2Fapi%2Fv1%2F%7Bid%7D");
  EXPECT_EQ(UrlEncode("trpc.shop-a_b~"), "trpc.shop-a_b~");
}

TEST(IngestQuery, SampleFileRoundTrips) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("ingest_sample_" + std::to_string(getpid())))
          .string();
  QuerySample s{{std::string(32, 'a')}, {{"trpc.shop.api", "GET /x {id}"}}};
  ASSERT_TRUE(WriteQuerySample(path, s).ok());
  auto back = ReadQuerySample(path);
  std::remove(path.c_str());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->trace_ids, s.trace_ids);
  EXPECT_EQ(back->operations, s.operations);
}

// The load generator against a local OTLP/HTTP server: every accepted span arrives, and the
// recorded trace ids are ones the server saw.
TEST(IngestLoad, SendsTheRequestedSpansToAServer) {
  std::mutex mu;
  std::unordered_set<std::string> seen;
  std::atomic<uint64_t> spans{0};
  net::HttpServerOptions so;
  so.limits.max_body_bytes = 64u << 20;
  auto server = net::HttpServer::Start(so, [&](const net::HttpRequest& r) {
    net::HttpResponse resp;
    ExportTraceServiceRequest req;
    if (r.method != "POST" || !req.ParseFromString(r.body)) {
      resp.status = 400;
      return resp;
    }
    std::lock_guard<std::mutex> lock(mu);
    ForEachSpan(req, [&](const auto&, const auto& s) {
      ++spans;
      seen.insert(s.trace_id());
    });
    resp.headers.Add("Content-Type", "application/x-protobuf");
    return resp;
  });
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto c = BuildCorpus(Small(2));
  ASSERT_TRUE(c.ok());
  IngestOptions o;
  o.port = (*server)->port();
  o.connections = 2;
  o.max_spans = 6000;
  o.record_every = 1;
  auto r = RunIngest(*c, o);
  (*server)->Stop();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GE(r->total_spans, 6000u);
  EXPECT_EQ(r->total_spans, spans.load());
  EXPECT_EQ(r->non_2xx.size(), 0u);
  EXPECT_EQ(r->transport_errors, 0u);
  ASSERT_EQ(r->trace_ids.size(), r->total_requests);
  for (const auto& hex : r->trace_ids) {
    std::string bytes;
    for (size_t i = 0; i < 32; i += 2)
      bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    EXPECT_TRUE(seen.count(bytes)) << hex;
  }
}

}  // namespace
}  // namespace tracewire::bench
