#include "query/query_test_data.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <initializer_list>
#include <vector>

namespace tracewire::query::testing {
namespace {

using model::AnyValue;
using model::KeyValue;

model::TraceId TraceIdOf(uint8_t seed) {
  std::array<uint8_t, 16> b{};
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<uint8_t>(size_t{seed} * 16 + i);
  return model::TraceId(b);
}

model::SpanId SpanIdOf(uint8_t seed) {
  std::array<uint8_t, 8> b{};
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<uint8_t>(seed + i + 1);
  return model::SpanId(b);
}

// Builds views whose bytes live in one batch's arena.
class Builder {
 public:
  explicit Builder(model::Arena& arena) : arena_(arena) {}

  std::string_view Str(std::string_view s) { return arena_.CopyString(s); }

  std::span<const KeyValue> Attrs(std::initializer_list<KeyValue> kvs) {
    std::span<KeyValue> out = arena_.AllocateArray<KeyValue>(kvs.size());
    size_t i = 0;
    for (const KeyValue& kv : kvs) out[i++] = KeyValue{Str(kv.key), kv.value};
    return out;
  }
  KeyValue S(std::string_view k, std::string_view v) { return {k, AnyValue::String(Str(v))}; }

  template <typename T>
  std::span<const T> Array(std::initializer_list<T> items) {
    std::span<T> out = arena_.AllocateArray<T>(items.size());
    std::copy(items.begin(), items.end(), out.begin());
    return out;
  }

 private:
  model::Arena& arena_;
};

}  // namespace

std::string Hex(const model::TraceId& id) { return id.ToHex(); }
std::string Hex(const model::SpanId& id) { return id.ToHex(); }

uint64_t NowNs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

TestData MakeTestData(uint64_t base) {
  TestData d;
  d.base_ns = base;
  d.trace_a = TraceIdOf(0xa);
  d.trace_b = TraceIdOf(0xb);
  d.trace_c = TraceIdOf(0xc);
  d.a_root = SpanIdOf(0x10);
  d.a_client = SpanIdOf(0x20);
  d.a_charge = SpanIdOf(0x30);
  d.a_select = SpanIdOf(0x40);
  d.b_root = SpanIdOf(0x50);
  d.c_root = SpanIdOf(0x60);
  d.d_root = SpanIdOf(0x70);
  std::array<uint8_t, 16> short_id{};
  short_id[13] = 0xab;
  short_id[14] = 0xc1;
  short_id[15] = 0x23;
  d.trace_d = model::TraceId(short_id);

  d.spans = std::make_shared<model::SpanBatch>();
  model::SpanBatch& batch = *d.spans;
  Builder b(batch.storage.arena());

  model::Resource frontend;
  frontend.attributes = b.Attrs({b.S("service.name", "frontend"),
                                 b.S("host.name", "web-1"),
                                 {"process.pid", AnyValue::Int(42)}});
  frontend.service_name = frontend.attributes[0].value.string_value();
  model::Resource backend;
  backend.attributes =
      b.Attrs({b.S("service.name", "backend"), b.S("deployment.environment", "prod")});
  backend.service_name = backend.attributes[0].value.string_value();
  model::Resource job;
  job.attributes = b.Attrs({b.S("service.name", "batch-job")});
  job.service_name = job.attributes[0].value.string_value();
  batch.resources = {frontend, backend, job};

  model::Scope scope;
  scope.name = b.Str("tracewire.test");
  scope.version = b.Str("1.2.3");
  batch.scopes = {scope};

  auto span = [&](model::TraceId t, model::SpanId id, model::SpanId parent, std::string_view name,
                  model::SpanKind kind, uint32_t resource, uint64_t start, uint64_t end) {
    model::Span s;
    s.trace_id = t;
    s.span_id = id;
    s.parent_span_id = parent;
    s.name = b.Str(name);
    s.kind = kind;
    s.resource_index = resource;
    s.start_time_unix_nano = start;
    s.end_time_unix_nano = end;
    return s;
  };

  // Trace A.
  model::Span root = span(d.trace_a, d.a_root, {}, "GET /checkout", model::SpanKind::kServer, 0,
                          base, base + 100 * kMs);
  root.status_code = model::StatusCode::kOk;
  root.trace_state = b.Str("vendor=1");
  const auto array = b.Array<AnyValue>({AnyValue::String(b.Str("a")), AnyValue::Int(1)});
  const auto map = b.Attrs({b.S("k", "v")});
  root.attributes = b.Attrs({b.S("http.request.method", "GET"),
                             {"http.response.status_code", AnyValue::Int(200)},
                             {"ratio", AnyValue::Double(0.25)},
                             {"cache.hit", AnyValue::Bool(true)},
                             {"blob", AnyValue::Bytes(b.Str("\x01\x02\x03"))},
                             {"list", AnyValue::Array(array)},
                             {"map", AnyValue::KvList(map)},
                             {"big", AnyValue::Int(int64_t{1} << 60)},
                             {"unset", AnyValue()}});
  model::Event miss;
  miss.time_unix_nano = base + 1 * kMs;
  miss.name = b.Str("cache.miss");
  miss.attributes = b.Attrs({b.S("cache.key", "cart")});
  root.events = b.Array<model::Event>({miss});

  model::Span client = span(d.trace_a, d.a_client, d.a_root, "call backend",
                            model::SpanKind::kClient, 0, base + 10 * kMs, base + 80 * kMs);
  client.attributes = b.Attrs({b.S("rpc.method", "Charge")});

  model::Span charge = span(d.trace_a, d.a_charge, d.a_client, "POST /charge",
                            model::SpanKind::kServer, 1, base + 20 * kMs, base + 70 * kMs);
  charge.status_code = model::StatusCode::kError;
  charge.status_message = b.Str("card declined");
  charge.attributes = b.Attrs({b.S("rpc.method", "Charge"), b.S("payment.provider", "acme")});
  model::Event exception;
  exception.time_unix_nano = base + 60 * kMs;
  exception.name = b.Str("exception");
  exception.attributes = b.Attrs({b.S("exception.message", "declined")});
  charge.events = b.Array<model::Event>({exception});
  model::Link to_b;
  to_b.trace_id = d.trace_b;
  to_b.span_id = d.b_root;
  charge.links = b.Array<model::Link>({to_b});

  model::Span select = span(d.trace_a, d.a_select, d.a_charge, "SELECT", model::SpanKind::kClient,
                            1, base + 30 * kMs, base + 40 * kMs);
  model::Link to_root;
  to_root.trace_id = d.trace_a;
  to_root.span_id = d.a_root;
  to_root.attributes = b.Attrs({b.S("opentracing.ref_type", "child_of")});
  select.links = b.Array<model::Link>({to_root});

  // Traces B and C.
  model::Span b_root = span(d.trace_b, d.b_root, {}, "POST /charge", model::SpanKind::kServer, 1,
                            base + 1000 * kMs, base + 1005 * kMs);
  model::Span c_root = span(d.trace_c, d.c_root, {}, "GET /home", model::SpanKind::kServer, 0,
                            base - 60'000 * kMs, base - 59'700 * kMs);
  model::Span d_root = span(d.trace_d, d.d_root, {}, "nightly", model::SpanKind::kInternal, 2,
                            base - 7'200'000 * kMs, base - 7'199'000 * kMs);
  batch.spans = {select, charge, root, client, b_root, c_root, d_root};  // the store sorts

  d.logs = std::make_shared<model::LogBatch>();
  model::LogBatch& logs = *d.logs;
  Builder lb(logs.storage.arena());
  model::Resource log_frontend;
  log_frontend.attributes = lb.Attrs({lb.S("service.name", "frontend")});
  log_frontend.service_name = log_frontend.attributes[0].value.string_value();
  model::Resource log_backend;
  log_backend.attributes = lb.Attrs({lb.S("service.name", "backend")});
  log_backend.service_name = log_backend.attributes[0].value.string_value();
  logs.resources = {log_frontend, log_backend};
  logs.scopes = {model::Scope{}};
  auto record = [&](model::TraceId t, model::SpanId s, uint32_t resource, uint64_t time,
                    int32_t severity, std::string_view body) {
    model::LogRecord r;
    r.trace_id = t;
    r.span_id = s;
    r.resource_index = resource;
    r.time_unix_nano = time;
    r.observed_time_unix_nano = time;
    r.severity_number = severity;
    r.severity_text = lb.Str(severity >= 17 ? "ERROR" : "INFO");
    r.body = AnyValue::String(lb.Str(body));
    return r;
  };
  logs.records = {record(d.trace_a, d.a_charge, 1, base + 65 * kMs, 17, "charge failed"),
                  record(d.trace_a, d.a_root, 0, base + 2 * kMs, 9, "checkout started"),
                  record(d.trace_c, d.c_root, 0, base - 59'900 * kMs, 9, "home")};
  return d;
}

void Fill(store::Store& store, const TestData& data) {
  std::promise<Status> spans_done;
  std::promise<Status> logs_done;
  store.AppendSpans(data.spans, [&](Status s) { spans_done.set_value(std::move(s)); });
  store.AppendLogs(data.logs, [&](Status s) { logs_done.set_value(std::move(s)); });
  const Status spans = spans_done.get_future().get();
  const Status logs = logs_done.get_future().get();
  ASSERT_TRUE(spans.ok()) << spans.ToString();
  ASSERT_TRUE(logs.ok()) << logs.ToString();
}

}  // namespace tracewire::query::testing
