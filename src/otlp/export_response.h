// Parsing of OTLP/HTTP response bodies: ExportTraceServiceResponse (partial success) on 2xx,
// google.rpc.Status on failures. Both arrive in the request's encoding (protobuf or JSON).
// Untrusted input: errors are typed, never crashes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace tracewire::otlp {

// ExportTracePartialSuccess; all zero/empty for a full success.
struct PartialSuccess {
  int64_t rejected_spans = 0;
  std::string error_message;
};

// Parses an ExportTraceServiceResponse. An empty body is a full success.
// Errors: DATA_LOSS for a malformed body.
StatusOr<PartialSuccess> ParseExportTraceResponseProto(std::string_view body);
StatusOr<PartialSuccess> ParseExportTraceResponseJson(std::string_view body);

// The `message` of a google.rpc.Status body, or empty when the body is not one.
std::string StatusMessageFromProto(std::string_view body);
std::string StatusMessageFromJson(std::string_view body);

}  // namespace tracewire::otlp
