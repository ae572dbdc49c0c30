// Zipkin v2 JSON → SpanBatch on arbitrary bytes: never crashes, and every batch it returns is
// consistent (indices in range, views readable — ASan checks the reads).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collector/receiver/zipkin_v2_decoder.h"

namespace {

size_t Touch(std::string_view s) {
  size_t sum = 0;
  for (char c : s) sum += static_cast<unsigned char>(c);
  return sum;
}

size_t Touch(std::span<const tracewire::model::KeyValue> attributes) {
  size_t sum = 0;
  for (const auto& kv : attributes) {
    sum += Touch(kv.key);
    if (kv.value.type() == tracewire::model::ValueType::kString) {
      sum += Touch(kv.value.string_value());
    }
  }
  return sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  tracewire::collector::ZipkinDecodeOptions options;
  options.parse_string_tags = size > 0 && (data[0] & 1) != 0;
  auto batch = tracewire::collector::DecodeZipkinV2Json(input, options);
  if (!batch.ok()) {
    if (batch.status().code() != tracewire::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  volatile size_t sink = 0;
  const auto& b = **batch;
  for (const auto& r : b.resources) sink = sink + Touch(r.attributes) + Touch(r.service_name);
  for (const auto& s : b.spans) {
    if (s.resource_index >= b.resources.size() || s.scope_index >= b.scopes.size()) std::abort();
    if (!s.trace_id.IsValid() || !s.span_id.IsValid()) std::abort();
    if (s.end_time_unix_nano < s.start_time_unix_nano) std::abort();
    sink =
        sink + Touch(s.name) + Touch(s.attributes) + Touch(s.status_message) + Touch(s.trace_state);
    for (const auto& e : s.events) sink = sink + Touch(e.name);
  }
  return 0;
}
