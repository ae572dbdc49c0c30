#include "collector/receiver/zipkin_v2_decoder.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/text.h"

namespace tracewire::collector {
namespace {

using nlohmann::json;

constexpr std::string_view kAbsentStartTime = "otel.zipkin.absentField.startTime";
constexpr uint64_t kMaxMicros = std::numeric_limits<uint64_t>::max() / 1000;

// Deepest [ / { nesting outside strings; stops counting past `limit`.
size_t NestingDepth(std::string_view text, size_t limit) {
  size_t depth = 0;
  size_t deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

// Up to n*2 hex digits of either case, right-aligned into out[0..n).
bool ParseHexId(std::string_view hex, uint8_t* out, size_t n) {
  if (hex.empty() || hex.size() > 2 * n) return false;
  std::memset(out, 0, n);
  size_t start = 2 * n - hex.size();
  for (size_t i = 0; i < hex.size(); ++i) {
    int v = HexDigitValue(hex[i]);
    if (v < 0) return false;
    size_t pos = start + i;
    out[pos / 2] = static_cast<uint8_t>(out[pos / 2] | (pos % 2 == 0 ? v << 4 : v));
  }
  return true;
}

// A non-negative integer count of µs: a JSON number or a string of digits.
std::optional<uint64_t> Micros(const json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) {
    int64_t i = v.get<int64_t>();
    return i >= 0 ? std::optional<uint64_t>(static_cast<uint64_t>(i)) : std::nullopt;
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (!std::isfinite(d) || d < 0 || d >= 1.8e19) return std::nullopt;
    return static_cast<uint64_t>(d);
  }
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    uint64_t out = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && ptr == s.data() + s.size() && !s.empty()) return out;
  }
  return std::nullopt;
}

class Decoder {
 public:
  explicit Decoder(const ZipkinDecodeOptions& options)
      : options_(options), batch_(std::make_unique<model::SpanBatch>()) {}

  Status DecodeAll(const json& spans) {
    batch_->spans.reserve(spans.size());
    for (size_t i = 0; i < spans.size(); ++i) {
      where_ = "span[" + std::to_string(i) + "]";
      TW_RETURN_IF_ERROR(DecodeSpan(spans[i]));
    }
    return OkStatus();
  }
  std::unique_ptr<model::SpanBatch> Take() { return std::move(batch_); }

 private:
  Status Bad(std::string_view field, std::string_view what) const {
    return InvalidArgumentError(where_ + "." + std::string(field) + ": " + std::string(what));
  }
  std::string_view Copy(std::string_view s) { return batch_->storage.arena().CopyString(s); }
  void AddString(std::string_view key, std::string_view value) {
    attributes_.push_back({Copy(key), model::AnyValue::String(Copy(value))});
  }

  // Sets *out to the string under `key`: "" when absent or null; an error when another type.
  // (A Status and an out-parameter: clang-tidy 16's analyzer misreads StatusOr::status() here.)
  Status OptString(const json& object, std::string_view key, std::string_view* out) const {
    *out = {};
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return OkStatus();
    if (!it->is_string()) return Bad(key, "must be a string");
    *out = it->get_ref<const std::string&>();
    return OkStatus();
  }

  Status DecodeSpan(const json& s);
  Status DecodeEndpoint(const json& span, std::string_view key, bool local,
                        std::string_view* service);
  void AddTag(std::string_view key, std::string_view value);
  uint32_t ResourceFor(std::string_view service);
  uint32_t ScopeFor(std::string_view name, std::string_view version);

  const ZipkinDecodeOptions& options_;
  std::unique_ptr<model::SpanBatch> batch_;
  std::string where_;
  std::vector<model::KeyValue> attributes_;  // scratch, reused across spans
  std::vector<model::Event> events_;         // scratch
};

Status Decoder::DecodeEndpoint(const json& span, std::string_view key, bool local,
                               std::string_view* service) {
  auto it = span.find(key);
  if (it == span.end() || it->is_null()) return OkStatus();
  if (!it->is_object()) return Bad(key, "must be an object");
  const json& e = *it;
  std::string_view name;
  std::string_view ipv4;
  std::string_view ipv6;
  for (const Status& s : {OptString(e, "serviceName", &name), OptString(e, "ipv4", &ipv4),
                          OptString(e, "ipv6", &ipv6)}) {
    if (!s.ok()) return Bad(key, s.message());
  }
  *service = name;
  std::string_view address = !ipv6.empty() ? ipv6 : ipv4;
  if (!address.empty())
    AddString(local ? "network.local.address" : "network.peer.address", address);
  auto port = e.find("port");
  if (port != e.end() && !port->is_null()) {
    if (!port->is_number_integer() || port->get<int64_t>() < 0 || port->get<int64_t>() > 65535) {
      return Bad(std::string(key) + ".port", "must be 0..65535");
    }
    if (int64_t p = port->get<int64_t>(); p > 0) {
      attributes_.push_back(
          {local ? "network.local.port" : "network.peer.port", model::AnyValue::Int(p)});
    }
  }
  if (!local && !name.empty()) AddString("peer.service", name);
  return OkStatus();
}

void Decoder::AddTag(std::string_view key, std::string_view value) {
  if (options_.parse_string_tags && !value.empty()) {
    int64_t i = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), i);
    if (ec == std::errc() && ptr == value.data() + value.size()) {
      attributes_.push_back({Copy(key), model::AnyValue::Int(i)});
      return;
    }
    if (EqualsIgnoreCase(value, "true") || EqualsIgnoreCase(value, "false")) {
      attributes_.push_back({Copy(key), model::AnyValue::Bool(EqualsIgnoreCase(value, "true"))});
      return;
    }
    double d = 0;
    auto [dptr, dec] = std::from_chars(value.data(), value.data() + value.size(), d);
    if (dec == std::errc() && dptr == value.data() + value.size() && std::isfinite(d)) {
      attributes_.push_back({Copy(key), model::AnyValue::Double(d)});
      return;
    }
  }
  AddString(key, value);
}

uint32_t Decoder::ResourceFor(std::string_view service) {
  for (size_t i = 0; i < batch_->resources.size(); ++i) {
    if (batch_->resources[i].service_name == service) return static_cast<uint32_t>(i);
  }
  model::Resource resource;
  if (!service.empty()) {
    std::span<model::KeyValue> attrs = batch_->storage.arena().AllocateArray<model::KeyValue>(1);
    resource.service_name = Copy(service);
    attrs[0] = {"service.name", model::AnyValue::String(resource.service_name)};
    resource.attributes = attrs;
  }
  batch_->resources.push_back(resource);
  return static_cast<uint32_t>(batch_->resources.size() - 1);
}

uint32_t Decoder::ScopeFor(std::string_view name, std::string_view version) {
  for (size_t i = 0; i < batch_->scopes.size(); ++i) {
    if (batch_->scopes[i].name == name && batch_->scopes[i].version == version) {
      return static_cast<uint32_t>(i);
    }
  }
  model::Scope scope;
  scope.name = Copy(name);
  scope.version = Copy(version);
  batch_->scopes.push_back(scope);
  return static_cast<uint32_t>(batch_->scopes.size() - 1);
}

Status Decoder::DecodeSpan(const json& s) {
  if (!s.is_object()) return InvalidArgumentError(where_ + ": must be an object");
  attributes_.clear();
  events_.clear();
  model::Span span;

  std::string_view trace_id;
  TW_RETURN_IF_ERROR(OptString(s, "traceId", &trace_id));
  if (!ParseHexId(trace_id, span.trace_id.mutable_data(), model::TraceId::kSize) ||
      !span.trace_id.IsValid()) {
    return Bad("traceId", "must be 16 or 32 hex digits, not all zero");
  }
  std::string_view id;
  TW_RETURN_IF_ERROR(OptString(s, "id", &id));
  if (!ParseHexId(id, span.span_id.mutable_data(), model::SpanId::kSize) ||
      !span.span_id.IsValid()) {
    return Bad("id", "must be 16 hex digits, not all zero");
  }
  std::string_view parent;
  TW_RETURN_IF_ERROR(OptString(s, "parentId", &parent));
  if (!parent.empty()) {
    if (!ParseHexId(parent, span.parent_span_id.mutable_data(), model::SpanId::kSize)) {
      return Bad("parentId", "must be 16 hex digits");
    }
    if (span.parent_span_id == span.span_id) span.parent_span_id = model::SpanId();
  }
  std::string_view name;
  TW_RETURN_IF_ERROR(OptString(s, "name", &name));
  span.name = Copy(name);
  std::string_view kind;
  TW_RETURN_IF_ERROR(OptString(s, "kind", &kind));
  if (kind == "CLIENT") span.kind = model::SpanKind::kClient;
  if (kind == "SERVER") span.kind = model::SpanKind::kServer;
  if (kind == "PRODUCER") span.kind = model::SpanKind::kProducer;
  if (kind == "CONSUMER") span.kind = model::SpanKind::kConsumer;

  std::optional<uint64_t> timestamp;
  uint64_t duration = 0;
  if (auto it = s.find("timestamp"); it != s.end() && !it->is_null()) {
    timestamp = Micros(*it);
    if (!timestamp || *timestamp > kMaxMicros) return Bad("timestamp", "must be a count of µs");
  }
  if (auto it = s.find("duration"); it != s.end() && !it->is_null()) {
    std::optional<uint64_t> d = Micros(*it);
    if (!d || *d > kMaxMicros - timestamp.value_or(0))
      return Bad("duration", "must be a count of µs");
    duration = *d;
  }
  span.start_time_unix_nano = timestamp.value_or(0) * 1000;
  span.end_time_unix_nano = span.start_time_unix_nano + duration * 1000;
  if (!timestamp) attributes_.push_back({kAbsentStartTime, model::AnyValue::Bool(true)});

  bool shared = false;
  if (auto it = s.find("shared"); it != s.end() && !it->is_null()) {
    if (!it->is_boolean()) return Bad("shared", "must be true or false");
    shared = it->get<bool>();
  }
  if (auto it = s.find("debug"); it != s.end() && !it->is_null() && !it->is_boolean()) {
    return Bad("debug", "must be true or false");
  }

  std::string_view local_service;
  std::string_view remote_service;
  TW_RETURN_IF_ERROR(DecodeEndpoint(s, "localEndpoint", true, &local_service));
  TW_RETURN_IF_ERROR(DecodeEndpoint(s, "remoteEndpoint", false, &remote_service));

  std::string_view scope_name;
  std::string_view scope_version;
  if (auto it = s.find("tags"); it != s.end() && !it->is_null()) {
    if (!it->is_object()) return Bad("tags", "must be an object of strings");
    for (auto tag = it->begin(); tag != it->end(); ++tag) {
      const std::string& key = tag.key();
      std::string text;
      if (tag->is_string()) {
        text = tag->get<std::string>();
      } else if (tag->is_number() || tag->is_boolean()) {
        text = tag->dump();  // tolerated: Zipkin tags are strings, some senders forget
      } else {
        return Bad("tags." + key.substr(0, 64), "must be a string");
      }
      if (key == "error") {
        span.status_code = model::StatusCode::kError;
        if (text != "true" && !text.empty() && span.status_message.empty()) {
          span.status_message = Copy(text);
        }
      } else if (key == "otel.status_code") {
        if (EqualsIgnoreCase(text, "ERROR") || text == "STATUS_CODE_ERROR") {
          span.status_code = model::StatusCode::kError;
        } else if ((EqualsIgnoreCase(text, "OK") || text == "STATUS_CODE_OK") &&
                   span.status_code != model::StatusCode::kError) {
          span.status_code = model::StatusCode::kOk;
        }
      } else if (key == "otel.status_description") {
        span.status_message = Copy(text);
      } else if (key == "w3c.tracestate") {
        span.trace_state = Copy(text);
      } else if (key == "otel.scope.name" || key == "otel.library.name") {
        scope_name = Copy(text);
      } else if (key == "otel.scope.version" || key == "otel.library.version") {
        scope_version = Copy(text);
      } else if (key == "span.kind" && span.kind == model::SpanKind::kUnspecified) {
        if (text == "internal") span.kind = model::SpanKind::kInternal;
      } else {
        AddTag(key, text);
      }
    }
  }

  if (auto it = s.find("annotations"); it != s.end() && !it->is_null()) {
    if (!it->is_array()) return Bad("annotations", "must be an array");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& a = (*it)[i];
      std::string field = "annotations[" + std::to_string(i) + "]";
      if (!a.is_object()) return Bad(field, "must be an object");
      auto ts = a.find("timestamp");
      std::optional<uint64_t> micros = ts == a.end() ? std::nullopt : Micros(*ts);
      if (!micros || *micros > kMaxMicros)
        return Bad(field + ".timestamp", "must be a count of µs");
      std::string_view value;
      if (Status st = OptString(a, "value", &value); !st.ok()) return Bad(field, st.message());
      model::Event event;
      event.time_unix_nano = *micros * 1000;
      event.name = Copy(value);
      events_.push_back(event);
    }
  }

  if (shared && span.kind == model::SpanKind::kServer) {
    span.parent_span_id = span.span_id;
    span.span_id = SharedServerSpanId(span.span_id);
  }

  model::Arena& arena = batch_->storage.arena();
  std::span<model::KeyValue> attrs = arena.AllocateArray<model::KeyValue>(attributes_.size());
  std::copy(attributes_.begin(), attributes_.end(), attrs.begin());
  span.attributes = attrs;
  std::span<model::Event> events = arena.AllocateArray<model::Event>(events_.size());
  std::copy(events_.begin(), events_.end(), events.begin());
  span.events = events;
  span.resource_index = ResourceFor(local_service);
  span.scope_index = ScopeFor(scope_name, scope_version);
  batch_->spans.push_back(span);
  return OkStatus();
}

}  // namespace

model::SpanId SharedServerSpanId(const model::SpanId& id) {
  uint64_t x = 0;
  for (size_t i = 0; i < 8; ++i) x = (x << 8) | id.data()[i];
  uint64_t original = x;
  // splitmix64's finalizer: a bijection, so distinct ids stay distinct.
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  x ^= x >> 31;
  if (x == 0 || x == original) x = ~original;
  model::SpanId out;
  for (size_t i = 0; i < 8; ++i) out.mutable_data()[7 - i] = static_cast<uint8_t>(x >> (8 * i));
  return out;
}

StatusOr<std::unique_ptr<model::SpanBatch>> DecodeZipkinV2Json(std::string_view body,
                                                               const ZipkinDecodeOptions& options) {
  if (NestingDepth(body, options.max_depth) > options.max_depth) {
    return InvalidArgumentError("JSON nested deeper than " + std::to_string(options.max_depth));
  }
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return InvalidArgumentError("not valid JSON");
  if (!doc.is_array()) return InvalidArgumentError("must be a JSON list of spans");
  Decoder decoder(options);
  TW_RETURN_IF_ERROR(decoder.DecodeAll(doc));
  return decoder.Take();
}

}  // namespace tracewire::collector
