// Builds SpanBatch / LogBatch values for tests, fuzz seeds and benchmarks (header-only; not
// part of tw_store).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/span_batch.h"

namespace tracewire::store::testing {

inline model::TraceId TraceIdOf(uint64_t hi, uint64_t lo) {
  uint8_t b[16];
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<uint8_t>(hi >> (56 - 8 * i));
    b[8 + i] = static_cast<uint8_t>(lo >> (56 - 8 * i));
  }
  return model::TraceId(std::span<const uint8_t, 16>(b, 16));
}
inline model::SpanId SpanIdOf(uint64_t v) {
  uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(v >> (56 - 8 * i));
  return model::SpanId(std::span<const uint8_t, 8>(b, 8));
}

class BatchBuilder {
 public:
  BatchBuilder() : batch_(std::make_unique<model::SpanBatch>()) {}

  std::string_view Str(std::string_view s) { return batch_->storage.arena().CopyString(s); }

  // Adds a resource with service.name = service (and `attrs`); returns its index.
  uint32_t Resource(std::string_view service, std::vector<model::KeyValue> attrs = {}) {
    attrs.insert(attrs.begin(), {Str("service.name"), model::AnyValue::String(Str(service))});
    model::Resource r;
    r.attributes = Kvs(attrs);
    r.service_name = Str(service);
    batch_->resources.push_back(r);
    if (batch_->scopes.empty()) {
      model::Scope s;
      s.name = Str("tracewire.test");
      s.version = Str("1.0");
      batch_->scopes.push_back(s);
    }
    return static_cast<uint32_t>(batch_->resources.size() - 1);
  }

  std::span<const model::KeyValue> Kvs(const std::vector<model::KeyValue>& kvs) {
    auto out = batch_->storage.arena().AllocateArray<model::KeyValue>(kvs.size());
    for (size_t i = 0; i < kvs.size(); ++i) out[i] = kvs[i];
    return out;
  }
  model::KeyValue Kv(std::string_view k, std::string_view v) {
    return {Str(k), model::AnyValue::String(Str(v))};
  }
  model::KeyValue KvInt(std::string_view k, int64_t v) { return {Str(k), model::AnyValue::Int(v)}; }

  // Adds a span; returns it for further edits (valid until the next Add).
  model::Span& Span(uint32_t resource, const model::TraceId& trace, uint64_t span_id,
                    uint64_t parent_id, std::string_view name, uint64_t start_ns,
                    uint64_t duration_ns, std::vector<model::KeyValue> attrs = {}) {
    model::Span s;
    s.trace_id = trace;
    s.span_id = SpanIdOf(span_id);
    if (parent_id != 0) s.parent_span_id = SpanIdOf(parent_id);
    s.name = Str(name);
    s.kind = parent_id == 0 ? model::SpanKind::kServer : model::SpanKind::kClient;
    s.start_time_unix_nano = start_ns;
    s.end_time_unix_nano = start_ns + duration_ns;
    s.attributes = Kvs(attrs);
    s.resource_index = resource;
    batch_->spans.push_back(s);
    return batch_->spans.back();
  }

  std::shared_ptr<const model::SpanBatch> Finish() {
    return std::shared_ptr<const model::SpanBatch>(std::move(batch_));
  }
  model::SpanBatch& batch() { return *batch_; }

 private:
  std::unique_ptr<model::SpanBatch> batch_;
};

// A log batch with one record per (trace, span, time, body).
struct LogSpec {
  model::TraceId trace;
  uint64_t span_id;
  uint64_t time_ns;
  std::string body;
};
inline std::shared_ptr<const model::LogBatch> MakeLogs(std::string_view service,
                                                       const std::vector<LogSpec>& specs) {
  auto b = std::make_unique<model::LogBatch>();
  auto& a = b->storage.arena();
  model::Resource r;
  r.service_name = a.CopyString(service);
  b->resources.push_back(r);
  b->scopes.emplace_back();
  for (const auto& s : specs) {
    model::LogRecord rec;
    rec.trace_id = s.trace;
    if (s.span_id != 0) rec.span_id = SpanIdOf(s.span_id);
    rec.time_unix_nano = s.time_ns;
    rec.observed_time_unix_nano = s.time_ns + 1;
    rec.severity_number = 9;
    rec.severity_text = a.CopyString("INFO");
    rec.body = model::AnyValue::String(a.CopyString(s.body));
    b->records.push_back(rec);
  }
  return std::shared_ptr<const model::LogBatch>(std::move(b));
}

}  // namespace tracewire::store::testing
