// The bodies an OTLP server answers with (opentelemetry-proto collector/*/v1 and google.rpc),
// in protobuf or OTLP/JSON, written by hand: they are a few fields each.
//   ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
//   ExportTracePartialSuccess  { int64 rejected_spans = 1; string error_message = 2; }
//   (ExportLogsPartialSuccess: rejected_log_records = 1, same numbers.)
//   google.rpc.Status          { int32 code = 1; string message = 2; repeated Any details = 3; }
//   google.protobuf.Any        { string type_url = 1; bytes value = 2; }
//   google.rpc.RetryInfo       { google.protobuf.Duration retry_delay = 1; }
//   google.protobuf.Duration   { int64 seconds = 1; int32 nanos = 2; }
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace tracewire::collector {

enum class OtlpEncoding { kProtobuf, kJson };

// "application/x-protobuf" or "application/json".
std::string_view ContentTypeOf(OtlpEncoding encoding);

// Export{Trace,Logs}ServiceResponse. partial_success is left unset when rejected == 0 and
// `message` is empty (a full success: an empty protobuf body, "{}" in JSON). `spans` picks
// rejected_spans (true) or rejected_log_records (false).
std::string EncodeExportResponse(OtlpEncoding encoding, bool spans, uint64_t rejected,
                                 std::string_view message);

// google.rpc.Status{code, message}: the body of every OTLP/HTTP 4xx/5xx answer.
std::string EncodeRpcStatus(OtlpEncoding encoding, StatusCode code, std::string_view message);

// google.rpc.Status{code, message, details: [RetryInfo{retry_delay}]} in protobuf: the
// grpc-status-details-bin of a throttling answer (OTLP/gRPC Throttling).
std::string EncodeRpcStatusWithRetryInfo(StatusCode code, std::string_view message,
                                         int64_t retry_delay_seconds);

}  // namespace tracewire::collector
