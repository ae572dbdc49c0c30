// The store's row format: how a set of spans (or log records) becomes one self-contained byte
// string — the payload of a WAL record, and the way a query result is copied into a batch that
// owns its memory. Layout (all varints LEB128, strings varint length + bytes):
//
//   record   := version:u8(=1) count(resources) resource* count(scopes) scope* count(items) item*
//   resource := kvs dropped:varint schema_url:str service_name:str
//   scope    := name:str version:str kvs dropped:varint schema_url:str
//   span     := trace_id:16 span_id:8 parent_span_id:8 trace_state:str flags:varint name:str
//               kind:u8 status:u8 status_message:str start:fixed64 (end-start):zigzag
//               kvs dropped:varint count(events) event* dropped_events:varint
//               count(links) link* dropped_links:varint resource:varint scope:varint
//   event    := (time-start):zigzag name:str kvs dropped:varint
//   link     := trace_id:16 span_id:8 trace_state:str kvs dropped:varint flags:varint
//   log      := time:fixed64 observed:fixed64 severity:zigzag severity_text:str body:value kvs
//               dropped:varint flags:varint trace_id:16 span_id:8 event_name:str
//               resource:varint scope:varint
//   kvs      := count (key:str value)*;  value: see value_codec.h
//
// Resources and scopes are written once per record however many items share them.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"
#include "model/span_batch.h"

namespace tracewire::store::format {

inline constexpr uint8_t kRowFormatVersion = 1;

// One span (or log record) of a batch the caller keeps alive.
struct SpanRef {
  const model::SpanBatch* batch = nullptr;
  uint32_t index = 0;
  const model::Span& span() const { return batch->spans[index]; }
  const model::Resource& resource() const { return batch->resources[span().resource_index]; }
};
struct LogRef {
  const model::LogBatch* batch = nullptr;
  uint32_t index = 0;
  const model::LogRecord& record() const { return batch->records[index]; }
};

// Appends the encoding of every span of `batch` / of `refs` (in that order) to `out`.
void EncodeSpans(const model::SpanBatch& batch, std::string* out);
void EncodeSpans(std::span<const SpanRef> refs, std::string* out);
void EncodeLogs(const model::LogBatch& batch, std::string* out);
void EncodeLogs(std::span<const LogRef> refs, std::string* out);

// Decodes a record; the batch takes ownership of `bytes` and points into it.
// DATA_LOSS on any malformed or truncated input (never reads out of bounds).
StatusOr<std::unique_ptr<model::SpanBatch>> DecodeSpans(std::string bytes);
StatusOr<std::unique_ptr<model::LogBatch>> DecodeLogs(std::string bytes);

}  // namespace tracewire::store::format
