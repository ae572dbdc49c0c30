// OTLP/HTTP response parsing: ExportTraceServiceResponse (protobuf and JSON),
// google.rpc.Status bodies and Retry-After values. Untrusted server bytes must never crash.
#include <chrono>
#include <cstdint>
#include <string_view>

#include "otlp/export_response.h"
#include "otlp/retry_after.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tracewire::otlp;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)ParseExportTraceResponseProto(body);
  (void)ParseExportTraceResponseJson(body);
  (void)StatusMessageFromProto(body);
  (void)StatusMessageFromJson(body);
  (void)ParseRetryAfter(body, std::chrono::system_clock::time_point{});
  return 0;
}
