#include "tests/interop/span_sink.h"

#include <thread>

#include "base/hex.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace tracewire::testing {
namespace {

namespace otlp_proto = opentelemetry::proto;

std::string Hex(const std::string& bytes) {
  return EncodeHex(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

std::string ValueText(const otlp_proto::common::v1::AnyValue& v) {
  switch (v.value_case()) {
    case otlp_proto::common::v1::AnyValue::kStringValue: return v.string_value();
    case otlp_proto::common::v1::AnyValue::kIntValue: return std::to_string(v.int_value());
    case otlp_proto::common::v1::AnyValue::kBoolValue: return v.bool_value() ? "true" : "false";
    case otlp_proto::common::v1::AnyValue::kDoubleValue: return std::to_string(v.double_value());
    default: return v.ShortDebugString();
  }
}

}  // namespace

StatusOr<std::unique_ptr<SpanSink>> SpanSink::Start() {
  auto sink = std::unique_ptr<SpanSink>(new SpanSink());
  auto server = net::HttpServer::Start(
      {}, [s = sink.get()](const net::HttpRequest& r) { return s->Handle(r); });
  if (!server.ok()) return server.status();
  sink->server_ = std::move(*server);
  return sink;
}

SpanSink::~SpanSink() {
  if (server_) server_->Stop();
}

std::string SpanSink::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(port()) + "/v1/traces";
}

net::HttpResponse SpanSink::Handle(const net::HttpRequest& request) {
  net::HttpResponse response;
  otlp_proto::collector::trace::v1::ExportTraceServiceRequest export_request;
  if (request.method != "POST" || request.target != "/v1/traces" ||
      !export_request.ParseFromString(request.body)) {
    response.status = 400;
    return response;
  }
  std::vector<SinkSpan> received;
  for (const auto& rs : export_request.resource_spans()) {
    std::string service;
    for (const auto& kv : rs.resource().attributes()) {
      if (kv.key() == "service.name") service = kv.value().string_value();
    }
    for (const auto& ss : rs.scope_spans()) {
      for (const auto& s : ss.spans()) {
        SinkSpan span;
        span.service = service;
        span.trace_id = Hex(s.trace_id());
        span.span_id = Hex(s.span_id());
        span.parent_span_id = Hex(s.parent_span_id());
        span.name = s.name();
        span.kind = s.kind();
        span.status_code = s.status().code();
        for (const auto& kv : s.attributes()) span.attributes[kv.key()] = ValueText(kv.value());
        received.push_back(std::move(span));
      }
    }
  }
  {
    std::lock_guard lock(mu_);
    for (SinkSpan& s : received) spans_.push_back(std::move(s));
  }
  response.headers.Set("Content-Type", "application/x-protobuf");
  return response;
}

std::vector<SinkSpan> SpanSink::Spans() const {
  std::lock_guard lock(mu_);
  return spans_;
}

std::vector<SinkSpan> SpanSink::WaitFor(
    const std::function<bool(const std::vector<SinkSpan>&)>& done,
    std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    std::vector<SinkSpan> spans = Spans();
    if (done(spans) || std::chrono::steady_clock::now() > deadline) return spans;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace tracewire::testing
