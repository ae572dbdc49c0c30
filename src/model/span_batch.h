// SpanBatch and LogBatch: what a receiver decodes, the pipeline carries, the store persists and
// the query API returns. Views (string_view / span) into buffers the batch owns: the request
// bytes it was decoded from, and its Arena for anything that had to be built (JSON unescaping,
// arrays of attributes). Decoding a request therefore allocates per batch, never per span.
//
// Thread-safety: a batch is built by one thread, then shared read-only (shared_ptr<const ...>).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/any_value.h"
#include "model/arena.h"
#include "trace/ids.h"

namespace tracewire::model {

using trace::SpanId;
using trace::TraceId;

// OTLP trace.v1 enums, numbered as in the proto.
enum class SpanKind : uint8_t {
  kUnspecified = 0,
  kInternal = 1,
  kServer = 2,
  kClient = 3,
  kProducer = 4,
  kConsumer = 5,
};
enum class StatusCode : uint8_t { kUnset = 0, kOk = 1, kError = 2 };

// One ResourceSpans / ResourceLogs. service_name is the string value of "service.name" among the
// attributes ("" when absent), found once by the decoder.
struct Resource {
  std::span<const KeyValue> attributes;
  uint32_t dropped_attributes_count = 0;
  std::string_view schema_url;  // of the ResourceSpans / ResourceLogs
  std::string_view service_name;
};

// One ScopeSpans / ScopeLogs.
struct Scope {
  std::string_view name;
  std::string_view version;
  std::span<const KeyValue> attributes;
  uint32_t dropped_attributes_count = 0;
  std::string_view schema_url;  // of the ScopeSpans / ScopeLogs
};

struct Event {
  uint64_t time_unix_nano = 0;
  std::string_view name;
  std::span<const KeyValue> attributes;
  uint32_t dropped_attributes_count = 0;
};

struct Link {
  TraceId trace_id;
  SpanId span_id;
  std::string_view trace_state;
  std::span<const KeyValue> attributes;
  uint32_t dropped_attributes_count = 0;
  uint32_t flags = 0;
};

struct Span {
  TraceId trace_id;
  SpanId span_id;
  SpanId parent_span_id;  // invalid (all zero) for a root
  std::string_view trace_state;
  uint32_t flags = 0;
  std::string_view name;
  SpanKind kind = SpanKind::kUnspecified;
  StatusCode status_code = StatusCode::kUnset;
  std::string_view status_message;
  uint64_t start_time_unix_nano = 0;
  uint64_t end_time_unix_nano = 0;
  std::span<const KeyValue> attributes;
  uint32_t dropped_attributes_count = 0;
  std::span<const Event> events;
  uint32_t dropped_events_count = 0;
  std::span<const Link> links;
  uint32_t dropped_links_count = 0;
  uint32_t resource_index = 0;  // into SpanBatch::resources
  uint32_t scope_index = 0;     // into SpanBatch::scopes
};

struct LogRecord {
  uint64_t time_unix_nano = 0;
  uint64_t observed_time_unix_nano = 0;
  int32_t severity_number = 0;  // SeverityNumber, 0..24
  std::string_view severity_text;
  AnyValue body;
  std::span<const KeyValue> attributes;
  uint32_t dropped_attributes_count = 0;
  uint32_t flags = 0;
  TraceId trace_id;  // invalid when the record is not tied to a trace
  SpanId span_id;
  std::string_view event_name;
  uint32_t resource_index = 0;  // into LogBatch::resources
  uint32_t scope_index = 0;     // into LogBatch::scopes
};

// Owned storage behind a batch's views. Buffers are heap strings that never move (a moved
// std::string could move its short-string bytes), so views into them survive Absorb().
class BatchStorage {
 public:
  BatchStorage() = default;
  BatchStorage(const BatchStorage&) = delete;
  BatchStorage& operator=(const BatchStorage&) = delete;
  BatchStorage(BatchStorage&&) noexcept = default;
  BatchStorage& operator=(BatchStorage&&) noexcept = default;

  // Takes ownership of `bytes` and returns a stable view of them.
  std::string_view AdoptBuffer(std::string bytes);
  Arena& arena() { return arena_; }
  // Buffers plus arena chunks (bytes).
  size_t bytes_reserved() const { return buffer_bytes_ + arena_.bytes_reserved(); }
  // Moves everything `other` owns into this storage.
  void Absorb(BatchStorage&& other);

 private:
  std::vector<std::unique_ptr<std::string>> buffers_;
  size_t buffer_bytes_ = 0;
  Arena arena_;
};

struct SpanBatch {
  BatchStorage storage;
  std::vector<Resource> resources;
  std::vector<Scope> scopes;
  std::vector<Span> spans;

  // Appends every span of `other` (indices rebased) and takes its storage.
  void Absorb(SpanBatch&& other);
  size_t bytes_reserved() const;
};

struct LogBatch {
  BatchStorage storage;
  std::vector<Resource> resources;
  std::vector<Scope> scopes;
  std::vector<LogRecord> records;

  void Absorb(LogBatch&& other);
  size_t bytes_reserved() const;
};

}  // namespace tracewire::model
