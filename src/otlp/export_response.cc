#include "otlp/export_response.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "otlp/internal/proto_wire.h"

namespace tracewire::otlp {

namespace {

using internal::WireReader;
using internal::WireType;

Status Malformed(std::string_view what) {
  return DataLossError("malformed OTLP response: " + std::string(what));
}

// Finds field `field` (length-delimited, last occurrence wins) in `message`. Returns false
// when `message` is malformed.
bool FindLengthDelimited(std::string_view message, uint32_t field, std::string_view* out,
                         bool* found) {
  WireReader r(message);
  while (!r.done()) {
    uint32_t f = 0;
    WireType t{};
    if (!r.ReadTag(&f, &t)) return false;
    if (f == field && t == WireType::kLen) {
      if (!r.ReadLengthDelimited(out)) return false;
      *found = true;
    } else if (!r.Skip(t)) {
      return false;
    }
  }
  return true;
}

}  // namespace

StatusOr<PartialSuccess> ParseExportTraceResponseProto(std::string_view body) {
  PartialSuccess result;
  std::string_view partial;
  bool has_partial = false;
  if (!FindLengthDelimited(body, 1, &partial, &has_partial)) return Malformed("response");
  if (!has_partial) return result;
  WireReader r(partial);
  while (!r.done()) {
    uint32_t f = 0;
    WireType t{};
    if (!r.ReadTag(&f, &t)) return Malformed("partial_success");
    if (f == 1 && t == WireType::kVarint) {  // int64 rejected_spans
      uint64_t v = 0;
      if (!r.ReadVarint(&v)) return Malformed("rejected_spans");
      result.rejected_spans = static_cast<int64_t>(v);
    } else if (f == 2 && t == WireType::kLen) {  // string error_message
      std::string_view s;
      if (!r.ReadLengthDelimited(&s)) return Malformed("error_message");
      result.error_message.assign(s);
    } else if (!r.Skip(t)) {
      return Malformed("partial_success");
    }
  }
  return result;
}

StatusOr<PartialSuccess> ParseExportTraceResponseJson(std::string_view body) {
  PartialSuccess result;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return result;
  const nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Malformed("not a JSON object");
  const auto partial = doc.find("partialSuccess");
  if (partial == doc.end() || partial->is_null()) return result;
  if (!partial->is_object()) return Malformed("partialSuccess is not an object");
  if (const auto rejected = partial->find("rejectedSpans"); rejected != partial->end()) {
    // proto3 JSON: int64 as a decimal string, numbers accepted too.
    if (rejected->is_number_integer()) {
      result.rejected_spans = rejected->get<int64_t>();
    } else if (rejected->is_string()) {
      const auto& s = rejected->get_ref<const std::string&>();
      const auto r = std::from_chars(s.data(), s.data() + s.size(), result.rejected_spans);
      if (r.ec != std::errc() || r.ptr != s.data() + s.size()) {
        return Malformed("rejectedSpans is not an integer");
      }
    } else if (!rejected->is_null()) {
      return Malformed("rejectedSpans is not an integer");
    }
  }
  if (const auto message = partial->find("errorMessage"); message != partial->end()) {
    if (message->is_string()) {
      result.error_message = message->get<std::string>();
    } else if (!message->is_null()) {
      return Malformed("errorMessage is not a string");
    }
  }
  return result;
}

std::string StatusMessageFromProto(std::string_view body) {
  std::string_view message;
  bool found = false;
  if (!FindLengthDelimited(body, 2, &message, &found) || !found) return {};
  return std::string(message);
}

std::string StatusMessageFromJson(std::string_view body) {
  const nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return {};
  const auto message = doc.find("message");
  if (message == doc.end() || !message->is_string()) return {};
  return message->get<std::string>();
}

}  // namespace tracewire::otlp
