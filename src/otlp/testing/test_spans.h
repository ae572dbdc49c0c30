// Hand-built spans for otlp tests and benchmarks: every field of the model set to a
// non-default value, so encoders are checked field by field.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "trace/span_data.h"

namespace tracewire::otlp::testing {

inline trace::TraceId TraceIdFromSeed(uint8_t seed) {
  uint8_t b[16];
  for (int i = 0; i < 16; ++i) b[i] = static_cast<uint8_t>(seed + i * 17 + 1);
  return trace::TraceId(std::span<const uint8_t, 16>(b));
}

inline trace::SpanId SpanIdFromSeed(uint8_t seed) {
  uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(seed * 3 + i * 29 + 1);
  return trace::SpanId(std::span<const uint8_t, 8>(b));
}

// Owns a resource, a scope and spans pointing at them.
struct SpanSet {
  trace::Resource resource;
  trace::InstrumentationScope scope;
  std::vector<std::unique_ptr<trace::SpanData>> spans;

  std::vector<const trace::SpanData*> Pointers() const {
    std::vector<const trace::SpanData*> out;
    out.reserve(spans.size());
    for (const auto& s : spans) out.push_back(s.get());
    return out;
  }
};

inline trace::Attributes EveryValueType() {
  return {
      {"str", std::string("value")},
      {"empty.str", std::string()},
      {"bool.true", true},
      {"bool.false", false},
      {"int", int64_t{-42}},
      {"int.max", std::numeric_limits<int64_t>::max()},
      {"int.zero", int64_t{0}},
      {"double", 3.25},
      {"double.nan", std::numeric_limits<double>::quiet_NaN()},
      {"double.inf", -std::numeric_limits<double>::infinity()},
      {"strs", std::vector<std::string>{"a", "", "c\"\\\n"}},
      {"bools", std::vector<bool>{true, false}},
      {"ints", std::vector<int64_t>{1, -2, std::numeric_limits<int64_t>::min()}},
      {"doubles", std::vector<double>{0.5, -1e300}},
      {"empty.ints", std::vector<int64_t>{}},
      {"unicode", std::string("h\xC3\xA9llo \xE2\x9C\x93")},
  };
}

// A span with every field set; `seed` varies ids and names.
inline std::unique_ptr<trace::SpanData> FullSpan(const SpanSet& set, uint8_t seed) {
  auto s = std::make_unique<trace::SpanData>();
  s->trace_id = TraceIdFromSeed(seed);
  s->span_id = SpanIdFromSeed(seed);
  s->parent_span_id = SpanIdFromSeed(static_cast<uint8_t>(seed + 100));
  s->trace_state = trace::TraceState().Set("vendor", "v1").Set("rojo", "00f067aa0ba902b7");
  s->flags = trace::TraceFlags(0x01);
  s->parent_is_remote = true;
  s->name = "GET /api/users/" + std::to_string(seed);
  s->kind = trace::SpanKind::kServer;
  s->start_unix_nano = 1'700'000'000'000'000'000ull + seed;
  s->end_unix_nano = s->start_unix_nano + 1'234'567;
  s->attributes = EveryValueType();
  s->dropped_attributes_count = 3;
  trace::SpanEvent event;
  event.name = "exception";
  event.time_unix_nano = s->start_unix_nano + 1000;
  event.attributes = {{"exception.type", std::string("std::runtime_error")},
                      {"exception.escaped", false}};
  event.dropped_attributes_count = 1;
  s->events.push_back(event);
  s->events.push_back(trace::SpanEvent{"retry", s->start_unix_nano + 2000, {}, 0});
  s->dropped_events_count = 4;
  trace::SpanLink link;
  link.context =
      trace::SpanContext(TraceIdFromSeed(static_cast<uint8_t>(seed + 7)),
                         SpanIdFromSeed(static_cast<uint8_t>(seed + 7)), trace::TraceFlags(0x01),
                         /*is_remote=*/true, trace::TraceState().Set("k", "v"));
  link.attributes = {{"link.kind", std::string("follows_from")}};
  link.dropped_attributes_count = 2;
  s->links.push_back(link);
  s->dropped_links_count = 5;
  s->status = {trace::SpanStatusCode::kError, "deadline exceeded"};
  s->resource = &set.resource;
  s->scope = &set.scope;
  return s;
}

inline void FillResourceAndScope(SpanSet& set) {
  set.resource.attributes = {{"service.name", std::string("checkout")},
                             {"telemetry.sdk.name", std::string("tracewire")},
                             {"process.pid", int64_t{4242}}};
  set.resource.schema_url = "https://opentelemetry.io/schemas/1.24.0";
  set.scope.name = "tracewire.trpc";
  set.scope.version = "0.1.0";
  set.scope.schema_url = "https://opentelemetry.io/schemas/1.21.0";
  set.scope.attributes = {{"scope.attr", true}};
}

// A realistic RPC span for benchmarks: 10 attributes, `events` events.
inline std::unique_ptr<trace::SpanData> RealisticSpan(const SpanSet& set, uint32_t i, int events) {
  auto s = std::make_unique<trace::SpanData>();
  s->trace_id = TraceIdFromSeed(static_cast<uint8_t>(i));
  s->span_id = SpanIdFromSeed(static_cast<uint8_t>(i));
  s->parent_span_id = SpanIdFromSeed(static_cast<uint8_t>(i + 1));
  s->flags = trace::TraceFlags(0x01);
  s->name = "trpc.app.server.Greeter/SayHello";
  s->kind = trace::SpanKind::kServer;
  s->start_unix_nano = 1'700'000'000'000'000'000ull + i * 1000ull;
  s->end_unix_nano = s->start_unix_nano + 250'000;
  s->attributes = {
      {"rpc.system", std::string("trpc")},
      {"rpc.service", std::string("trpc.app.server.Greeter")},
      {"rpc.method", std::string("SayHello")},
      {"server.address", std::string("10.0.12.7")},
      {"server.port", int64_t{8000}},
      {"trpc.caller_service", std::string("trpc.app.gateway.Gateway")},
      {"trpc.callee_service", std::string("trpc.app.server.Greeter")},
      {"trpc.status_code", int64_t{0}},
      {"net.sock.peer.addr", std::string("10.0.3.21")},
      {"sampled.ratio", 0.25},
  };
  for (int e = 0; e < events; ++e) {
    s->events.push_back(trace::SpanEvent{
        "message",
        s->start_unix_nano + 1000ull * (e + 1),
        {{"message.type", std::string(e ? "RECEIVED" : "SENT")}, {"message.id", int64_t{e + 1}}},
        0});
  }
  s->resource = &set.resource;
  s->scope = &set.scope;
  return s;
}

}  // namespace tracewire::otlp::testing
