#include "collector/receiver/otlp_responses.h"

#include <nlohmann/json.hpp>

namespace tracewire::collector {
namespace {

void PutVarint(uint64_t v, std::string& out) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// A length-delimited field (wire type 2).
void PutBytesField(uint32_t field, std::string_view bytes, std::string& out) {
  PutVarint((uint64_t{field} << 3) | 2, out);
  PutVarint(bytes.size(), out);
  out.append(bytes);
}

void PutVarintField(uint32_t field, uint64_t v, std::string& out) {
  PutVarint(uint64_t{field} << 3, out);
  PutVarint(v, out);
}

std::string JsonString(std::string_view s) {
  // Invalid UTF-8 (messages may quote client bytes) becomes U+FFFD instead of throwing.
  return nlohmann::json(std::string(s))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ProtoStatus(StatusCode code, std::string_view message) {
  std::string out;
  if (code != StatusCode::kOk) PutVarintField(1, static_cast<uint64_t>(code), out);
  if (!message.empty()) PutBytesField(2, message, out);
  return out;
}

}  // namespace

std::string_view ContentTypeOf(OtlpEncoding encoding) {
  return encoding == OtlpEncoding::kJson ? "application/json" : "application/x-protobuf";
}

std::string EncodeExportResponse(OtlpEncoding encoding, bool spans, uint64_t rejected,
                                 std::string_view message) {
  bool partial = rejected > 0 || !message.empty();
  if (encoding == OtlpEncoding::kJson) {
    if (!partial) return "{}";
    std::string out = "{\"partialSuccess\":{";
    if (rejected > 0) {
      // int64 is a decimal string in the protobuf JSON mapping.
      out += spans ? "\"rejectedSpans\":\"" : "\"rejectedLogRecords\":\"";
      out += std::to_string(rejected) + "\"";
      if (!message.empty()) out += ",";
    }
    if (!message.empty()) out += "\"errorMessage\":" + JsonString(message);
    out += "}}";
    return out;
  }
  if (!partial) return {};
  std::string inner;
  if (rejected > 0) PutVarintField(1, rejected, inner);
  if (!message.empty()) PutBytesField(2, message, inner);
  std::string out;
  PutBytesField(1, inner, out);
  return out;
}

std::string EncodeRpcStatus(OtlpEncoding encoding, StatusCode code, std::string_view message) {
  if (encoding == OtlpEncoding::kJson) {
    return "{\"code\":" + std::to_string(static_cast<int>(code)) +
           ",\"message\":" + JsonString(message) + "}";
  }
  return ProtoStatus(code, message);
}

std::string EncodeRpcStatusWithRetryInfo(StatusCode code, std::string_view message,
                                         int64_t retry_delay_seconds) {
  std::string duration;
  if (retry_delay_seconds > 0)
    PutVarintField(1, static_cast<uint64_t>(retry_delay_seconds), duration);
  std::string retry_info;
  PutBytesField(1, duration, retry_info);
  std::string any;
  PutBytesField(1, "type.googleapis.com/google.rpc.RetryInfo", any);
  PutBytesField(2, retry_info, any);
  std::string out = ProtoStatus(code, message);
  PutBytesField(3, any, out);
  return out;
}

}  // namespace tracewire::collector
