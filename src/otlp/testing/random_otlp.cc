#include "otlp/testing/random_otlp.h"

#include <cmath>
#include <limits>
#include <random>
#include <string>

namespace tracewire::otlp::testing {

namespace {

namespace common = opentelemetry::proto::common::v1;
namespace tracepb = opentelemetry::proto::trace::v1;
namespace logspb = opentelemetry::proto::logs::v1;

class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}

  uint64_t U64() { return rng_(); }
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(rng_() % n); }
  bool OneIn(uint32_t n) { return Below(n) == 0; }

  // Text with the characters that stress the JSON codec: quotes, escapes, controls, NUL,
  // two-, three- and four-byte UTF-8.
  std::string Text(size_t max_len = 12) {
    static const char* const kPieces[] = {"a",  "Z",  "0",    " ",    "\"",          "\\",
                                          "/",  "\n", "\t",   "\x01", "" /* NUL */,  "é",
                                          "中", "😀", "\x7f", "span", "service.name"};
    std::string s;
    const size_t n = Below(static_cast<uint32_t>(max_len + 1));
    for (size_t i = 0; i < n; ++i) {
      const uint32_t k = Below(std::size(kPieces));
      if (k == 10) {
        s.push_back('\0');
      } else {
        s.append(kPieces[k]);
      }
    }
    return s;
  }
  std::string NonEmptyText() {
    std::string s = Text();
    return s.empty() ? "x" : s;
  }
  std::string Bytes(size_t max_len = 10) {
    std::string s(Below(static_cast<uint32_t>(max_len + 1)), '\0');
    for (char& c : s) c = static_cast<char>(U64());
    return s;
  }
  // An id of n bytes, not all zero.
  std::string Id(size_t n) {
    std::string s(n, '\0');
    for (char& c : s) c = static_cast<char>(U64());
    s[0] = static_cast<char>(s[0] | 1);
    return s;
  }
  double Double() {
    switch (Below(6)) {
      case 0: return 0.0;
      case 1: return -0.0;
      case 2: return std::numeric_limits<double>::infinity();
      case 3: return std::numeric_limits<double>::quiet_NaN();
      case 4: return std::numeric_limits<double>::denorm_min();
      default:
        return std::ldexp(static_cast<double>(U64() >> 11), static_cast<int>(Below(80)) - 40);
    }
  }
  int64_t Int() {
    switch (Below(4)) {
      case 0: return std::numeric_limits<int64_t>::min();
      case 1: return std::numeric_limits<int64_t>::max();
      case 2: return static_cast<int64_t>(Below(100)) - 50;
      default: return static_cast<int64_t>(U64());
    }
  }
  uint32_t Count() { return OneIn(2) ? 0 : Below(1000); }

  void Value(common::AnyValue* v, int depth) {
    switch (Below(depth > 0 ? 9 : 7)) {
      case 0: v->set_string_value(Text()); break;
      case 1: v->set_bool_value(OneIn(2)); break;
      case 2: v->set_int_value(Int()); break;
      case 3: v->set_double_value(Double()); break;
      case 4: v->set_bytes_value(Bytes()); break;
      case 5: break;  // no member set: an empty value
      case 6: v->set_string_value(""); break;
      case 7: {
        auto* a = v->mutable_array_value();
        for (uint32_t i = Below(4); i > 0; --i) Value(a->add_values(), depth - 1);
        break;
      }
      default: {
        auto* kv = v->mutable_kvlist_value();
        for (uint32_t i = Below(4); i > 0; --i) KeyValue(kv->add_values(), depth - 1);
      }
    }
  }
  void KeyValue(common::KeyValue* kv, int depth) {
    kv->set_key(Text());
    Value(kv->mutable_value(), depth);
  }
  template <typename Repeated>
  void Attributes(Repeated* attributes, uint32_t max) {
    for (uint32_t i = Below(max + 1); i > 0; --i) KeyValue(attributes->Add(), 3);
  }

  template <typename ResourceX>
  void Resource(ResourceX* rs) {
    if (!OneIn(4)) {
      auto* r = rs->mutable_resource();
      auto* name = r->add_attributes();
      name->set_key("service.name");
      name->mutable_value()->set_string_value(NonEmptyText());
      Attributes(r->mutable_attributes(), 4);
      r->set_dropped_attributes_count(Count());
    }
    if (OneIn(2)) rs->set_schema_url(Text());
  }
  template <typename ScopeX>
  void Scope(ScopeX* ss) {
    if (!OneIn(4)) {
      auto* s = ss->mutable_scope();
      s->set_name(NonEmptyText());
      if (OneIn(2)) s->set_version(Text());
      Attributes(s->mutable_attributes(), 3);
      s->set_dropped_attributes_count(Count());
    }
    if (OneIn(2)) ss->set_schema_url(Text());
  }

  void Span(tracepb::Span* s) {
    s->set_trace_id(Id(16));
    s->set_span_id(Id(8));
    if (OneIn(2)) s->set_parent_span_id(Id(8));
    if (OneIn(3)) s->set_trace_state("k1=v1,vendor@x=" + std::to_string(Below(100)));
    s->set_flags(OneIn(2) ? 0x301 : static_cast<uint32_t>(U64()));
    s->set_name(Text(20));
    s->set_kind(static_cast<tracepb::Span::SpanKind>(Below(6)));
    s->set_start_time_unix_nano(U64());
    s->set_end_time_unix_nano(OneIn(5) ? 0 : U64());
    Attributes(s->mutable_attributes(), 12);
    s->set_dropped_attributes_count(Count());
    for (uint32_t i = Below(4); i > 0; --i) {
      auto* e = s->add_events();
      e->set_time_unix_nano(U64());
      e->set_name(Text());
      Attributes(e->mutable_attributes(), 3);
      e->set_dropped_attributes_count(Count());
    }
    s->set_dropped_events_count(Count());
    for (uint32_t i = Below(3); i > 0; --i) {
      auto* l = s->add_links();
      l->set_trace_id(Id(16));
      l->set_span_id(Id(8));
      if (OneIn(2)) l->set_trace_state("a=b");
      Attributes(l->mutable_attributes(), 3);
      l->set_dropped_attributes_count(Count());
      l->set_flags(static_cast<uint32_t>(Below(0x400)));
    }
    s->set_dropped_links_count(Count());
    if (OneIn(2)) {
      auto* st = s->mutable_status();
      st->set_code(static_cast<tracepb::Status::StatusCode>(1 + Below(2)));
      if (OneIn(2)) st->set_message(NonEmptyText());
    }
  }

  void Log(logspb::LogRecord* l) {
    l->set_time_unix_nano(OneIn(4) ? 0 : U64());
    l->set_observed_time_unix_nano(U64());
    l->set_severity_number(static_cast<logspb::SeverityNumber>(OneIn(10) ? -3 : Below(25)));
    l->set_severity_text(Text());
    if (!OneIn(4)) {
      do {
        l->mutable_body()->Clear();
        Value(l->mutable_body(), 3);
      } while (l->body().value_case() == common::AnyValue::VALUE_NOT_SET);
    }
    Attributes(l->mutable_attributes(), 8);
    l->set_dropped_attributes_count(Count());
    l->set_flags(static_cast<uint32_t>(Below(256)));
    if (!OneIn(3)) l->set_trace_id(Id(16));
    if (!OneIn(3)) l->set_span_id(Id(8));
    if (OneIn(2)) l->set_event_name(Text());
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace

opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest RandomTracesRequest(
    uint64_t seed) {
  Gen g(seed);
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest req;
  for (uint32_t r = 1 + g.Below(3); r > 0; --r) {
    auto* rs = req.add_resource_spans();
    g.Resource(rs);
    for (uint32_t s = 1 + g.Below(3); s > 0; --s) {
      auto* ss = rs->add_scope_spans();
      g.Scope(ss);
      for (uint32_t n = 1 + g.Below(5); n > 0; --n) g.Span(ss->add_spans());
    }
  }
  return req;
}

opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest RandomLogsRequest(
    uint64_t seed) {
  Gen g(seed);
  opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest req;
  for (uint32_t r = 1 + g.Below(3); r > 0; --r) {
    auto* rl = req.add_resource_logs();
    g.Resource(rl);
    for (uint32_t s = 1 + g.Below(3); s > 0; --s) {
      auto* sl = rl->add_scope_logs();
      g.Scope(sl);
      for (uint32_t n = 1 + g.Below(5); n > 0; --n) g.Log(sl->add_log_records());
    }
  }
  return req;
}

opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest RealisticTracesRequest(
    size_t spans, uint64_t seed) {
  std::mt19937_64 rng(seed);
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest req;
  auto* rs = req.add_resource_spans();
  auto add_string = [](auto* attrs, const char* key, std::string value) {
    auto* kv = attrs->Add();
    kv->set_key(key);
    kv->mutable_value()->set_string_value(std::move(value));
  };
  auto add_int = [](auto* attrs, const char* key, int64_t value) {
    auto* kv = attrs->Add();
    kv->set_key(key);
    kv->mutable_value()->set_int_value(value);
  };
  auto* resource_attrs = rs->mutable_resource()->mutable_attributes();
  add_string(resource_attrs, "service.name", "checkout-service");
  add_string(resource_attrs, "service.version", "1.42.0");
  add_string(resource_attrs, "telemetry.sdk.language", "cpp");
  add_string(resource_attrs, "host.name", "node-17.prod.example.internal");
  rs->set_schema_url("https://opentelemetry.io/schemas/1.24.0");
  auto* ss = rs->add_scope_spans();
  ss->mutable_scope()->set_name("tracewire.trpc");
  ss->mutable_scope()->set_version("0.4.0");
  std::string trace_id(16, '\0');
  uint64_t start = 1'700'000'000'000'000'000ull;
  for (size_t i = 0; i < spans; ++i) {
    if (i % 16 == 0) {
      for (char& c : trace_id) c = static_cast<char>(rng() | 1);
    }
    auto* s = ss->add_spans();
    std::string id(8, '\0');
    for (char& c : id) c = static_cast<char>(rng() | 1);
    s->set_trace_id(trace_id);
    s->set_span_id(id);
    if (i % 16 != 0) {
      for (char& c : id) c = static_cast<char>(rng() | 1);
      s->set_parent_span_id(id);
    }
    s->set_flags(0x301);
    const uint64_t method = rng() % 40;
    s->set_name("/trpc.shop.checkout.Checkout/Method" + std::to_string(method));
    s->set_kind(i % 2 == 0 ? tracepb::Span::SPAN_KIND_SERVER : tracepb::Span::SPAN_KIND_CLIENT);
    start += rng() % 1'000'000;
    s->set_start_time_unix_nano(start);
    s->set_end_time_unix_nano(start + 20'000 + rng() % 5'000'000);
    auto* a = s->mutable_attributes();
    add_string(a, "rpc.system", "trpc");
    add_string(a, "rpc.service", "trpc.shop.checkout.Checkout");
    add_string(a, "rpc.method", "Method" + std::to_string(method));
    add_string(a, "server.address", "10.1.2." + std::to_string(rng() % 250));
    add_int(a, "server.port", 8000 + static_cast<int64_t>(rng() % 100));
    add_string(a, "trpc.caller_service", "trpc.shop.gateway.Gateway");
    add_string(a, "trpc.callee_service", "trpc.shop.checkout.Checkout");
    add_int(a, "trpc.status_code", rng() % 20 == 0 ? 21 : 0);
    auto* sampled = a->Add();
    sampled->set_key("sampled");
    sampled->mutable_value()->set_bool_value(true);
    auto* size = a->Add();
    size->set_key("rpc.request.size_ratio");
    size->mutable_value()->set_double_value(static_cast<double>(rng() % 1000) / 7.0);
    if (rng() % 20 == 0) {
      auto* e = s->add_events();
      e->set_name("exception");
      e->set_time_unix_nano(start + 10'000);
      auto* ea = e->mutable_attributes();
      add_string(ea, "exception.type", "TimeoutError");
      add_string(ea, "exception.message", "downstream call timed out after 200 ms");
      s->mutable_status()->set_code(tracepb::Status::STATUS_CODE_ERROR);
      s->mutable_status()->set_message("timeout");
    }
  }
  return req;
}

}  // namespace tracewire::otlp::testing
