// OTLP request decoders: ExportTraceServiceRequest / ExportLogsServiceRequest, as protobuf or as
// OTLP/JSON, straight into a model::SpanBatch / LogBatch. The batch adopts the request body, and
// its views point into it (protobuf) or into its arena (JSON strings that needed unescaping,
// every attribute array), so decoding allocates per request, never per span.
//
// Validation follows the OTLP spec: a malformed message is INVALID_ARGUMENT (the message names the
// field); a well-formed span or record that cannot be stored (trace id not 16 bytes, span id not 8,
// all-zero ids) is left out and counted in `rejected`, the partial-success answer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "model/span_batch.h"

namespace tracewire::otlp {

struct DecodeOptions {
  // AnyValue nesting (arrays and maps inside values) beyond this is INVALID_ARGUMENT.
  size_t max_value_depth = 16;
};

template <typename Batch>
struct Decoded {
  std::unique_ptr<Batch> batch;
  uint64_t rejected = 0;        // spans / log records left out
  std::string rejected_reason;  // the first reason, for the partial-success error_message
};

// HOT PATH (one call per request): no allocation per span.
StatusOr<Decoded<model::SpanBatch>> DecodeTracesProto(std::string body,
                                                      const DecodeOptions& options = {});
StatusOr<Decoded<model::LogBatch>> DecodeLogsProto(std::string body,
                                                   const DecodeOptions& options = {});
StatusOr<Decoded<model::SpanBatch>> DecodeTracesJson(std::string body,
                                                     const DecodeOptions& options = {});
StatusOr<Decoded<model::LogBatch>> DecodeLogsJson(std::string body,
                                                  const DecodeOptions& options = {});

}  // namespace tracewire::otlp
