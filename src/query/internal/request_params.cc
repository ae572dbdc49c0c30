#include "query/internal/request_params.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "query/internal/param_values.h"

namespace tracewire::query::internal {
namespace {

Status ParamError(std::string_view name, const Status& cause) {
  return InvalidArgumentError("unable to parse param '" + std::string(name) +
                              "': " + cause.message());
}

// Multiplies a count of `unit_ns` into ns, saturating at UINT64_MAX - 1 (so "+ 1" cannot wrap).
uint64_t ToNs(uint64_t count, uint64_t unit_ns) {
  constexpr uint64_t kCeiling = UINT64_MAX - 1;
  return count > kCeiling / unit_ns ? kCeiling : count * unit_ns;
}

// An optional time in `unit_ns` units since the epoch, into *out (unset when absent).
Status ParseEpoch(const QueryParams& params, std::string_view name, uint64_t unit_ns,
                  std::optional<uint64_t>* out) {
  out->reset();
  const std::string* v = params.Find(name);
  if (v == nullptr) return OkStatus();
  StatusOr<uint64_t> n = ParseUint(*v);
  if (!n.ok()) return ParamError(name, n.status());
  *out = ToNs(*n, unit_ns);
  return OkStatus();
}

// An optional native time: decimal ns, or RFC 3339.
Status ParseNativeTime(const QueryParams& params, std::string_view name,
                       std::optional<uint64_t>* out) {
  out->reset();
  const std::string* v = params.Find(name);
  if (v == nullptr) return OkStatus();
  const bool numeric =
      std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; });
  StatusOr<uint64_t> t = numeric ? ParseUint(*v) : ParseRfc3339Ns(*v);
  if (!t.ok()) return ParamError(name, t.status());
  *out = std::min<uint64_t>(*t, UINT64_MAX - 1);
  return OkStatus();
}

// Sets min/max duration (0 means "not set", as in Jaeger) and checks max ≥ min.
Status ParseDurations(const QueryParams& params, uint64_t integer_unit_ns,
                      store::TraceQuery* query) {
  for (std::string_view name : {"minDuration", "maxDuration"}) {
    const std::string* v = params.Find(name);
    if (v == nullptr) continue;
    StatusOr<uint64_t> d = ParseDurationNs(*v, integer_unit_ns);
    if (!d.ok()) return ParamError(name, d.status());
    if (*d == 0) continue;
    (name == "minDuration" ? query->min_duration_ns : query->max_duration_ns) = *d;
  }
  if (query->min_duration_ns && query->max_duration_ns &&
      *query->max_duration_ns < *query->min_duration_ns) {
    return InvalidArgumentError("'maxDuration' should be greater than 'minDuration'");
  }
  return OkStatus();
}

Status ParseLimit(const QueryParams& params, size_t default_limit, size_t max_limit,
                  store::TraceQuery* query) {
  query->limit = default_limit;
  const std::string* v = params.Find("limit");
  if (v != nullptr) {
    StatusOr<int64_t> n = ParseInt(*v);
    if (!n.ok()) return ParamError("limit", n.status());
    if (*n < 0) return ParamError("limit", InvalidArgumentError("must not be negative"));
    if (*n > 0) query->limit = static_cast<size_t>(*n);
  }
  query->limit = std::min(query->limit, std::max<size_t>(max_limit, 1));
  return OkStatus();
}

// Jaeger's tag=k:v and tags={json}, merged by key (a later value wins), sorted by key.
Status ParseJaegerTags(const QueryParams& params, std::map<std::string, std::string>* tags) {
  for (std::string_view tag : params.All("tag")) {
    const size_t colon = tag.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return InvalidArgumentError("malformed 'tag' parameter, expecting key:value, received: " +
                                  std::string(tag.substr(0, 256)));
    }
    (*tags)[std::string(tag.substr(0, colon))] = std::string(tag.substr(colon + 1));
  }
  for (std::string_view text : params.All("tags")) {
    if (text.empty()) continue;
    const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object()) {
      return InvalidArgumentError(
          "malformed 'tags' parameter, expecting a JSON object of string values");
    }
    for (const auto& [key, value] : json.items()) {
      if (!value.is_string()) {
        return InvalidArgumentError("malformed 'tags' parameter, the value of '" +
                                    key.substr(0, 256) + "' is not a string");
      }
      (*tags)[key] = value.get<std::string>();
    }
  }
  if (tags->size() > kMaxTagFilters) {
    return InvalidArgumentError("more than " + std::to_string(kMaxTagFilters) + " tag filters");
  }
  return OkStatus();
}

}  // namespace

StatusOr<JaegerSearch> ParseJaegerSearch(const QueryParams& params, uint64_t now_ns,
                                         size_t max_limit) {
  JaegerSearch search;
  store::TraceQuery& q = search.query;
  if (const std::string* s = params.Find("service")) q.service = *s;
  if (const std::string* s = params.Find("operation")) q.operation = *s;

  std::optional<uint64_t> start;
  std::optional<uint64_t> end;
  TW_RETURN_IF_ERROR(ParseEpoch(params, "start", kNanosPerMicro, &start));
  TW_RETURN_IF_ERROR(ParseEpoch(params, "end", kNanosPerMicro, &end));
  // "end" is inclusive at µs precision: every span starting within that µs.
  q.end_ns =
      end.has_value() ? std::min(*end, UINT64_MAX - kNanosPerMicro) + kNanosPerMicro : now_ns + 1;
  if (start.has_value()) {
    q.start_ns = *start;
  } else {
    uint64_t lookback_ns = kJaegerSearchLookbackNs;
    uint64_t base_ns = now_ns;
    const std::string* lookback = params.Find("lookback");
    if (lookback != nullptr && *lookback != "custom") {
      StatusOr<uint64_t> d = ParseDurationNs(*lookback, kNanosPerMicro, /*allow_days=*/true);
      if (!d.ok()) return ParamError("lookback", d.status());
      lookback_ns = *d;
      if (end.has_value()) base_ns = *end;
    }
    q.start_ns = base_ns > lookback_ns ? base_ns - lookback_ns : 0;
  }

  std::map<std::string, std::string> tags;
  TW_RETURN_IF_ERROR(ParseJaegerTags(params, &tags));
  for (auto& [key, value] : tags) {
    // Jaeger's OTLP translator writes these two tags from the span status; search them so.
    if ((key == "error" && value == "true") || (key == "otel.status_code" && value == "ERROR")) {
      q.errors_only = true;
      continue;
    }
    q.attributes.emplace_back(key, std::move(value));
  }
  TW_RETURN_IF_ERROR(ParseLimit(params, kJaegerDefaultLimit, max_limit, &q));
  TW_RETURN_IF_ERROR(ParseDurations(params, kNanosPerMicro, &q));

  for (std::string_view id : params.All("traceID")) {
    if (search.trace_ids.size() == kMaxTraceIdParams) {
      return InvalidArgumentError("more than " + std::to_string(kMaxTraceIdParams) +
                                  " traceID parameters");
    }
    StatusOr<model::TraceId> parsed = ParseTraceId(id);
    if (!parsed.ok()) {
      return InvalidArgumentError("cannot parse traceID param: " + parsed.status().message());
    }
    search.trace_ids.push_back(*parsed);
  }
  if (search.trace_ids.empty() && q.service.empty()) {
    return InvalidArgumentError("parameter 'service' is required");
  }
  return search;
}

StatusOr<TimeRange> ParseJaegerDependencies(const QueryParams& params, uint64_t now_ns) {
  std::optional<uint64_t> end;
  TW_RETURN_IF_ERROR(ParseEpoch(params, "endTs", kNanosPerMilli, &end));
  uint64_t lookback_ns = kDependencyLookbackNs;
  if (const std::string* v = params.Find("lookback")) {
    StatusOr<uint64_t> d = ParseDurationNs(*v, kNanosPerMilli);
    if (!d.ok()) return ParamError("lookback", d.status());
    lookback_ns = *d;
  }
  const uint64_t end_ns = end.value_or(now_ns);
  TimeRange range;
  range.end_ns = end_ns + 1;
  range.start_ns = end_ns >= lookback_ns ? end_ns - lookback_ns : 0;
  return range;
}

Status CheckJaegerTraceParams(const QueryParams& params) {
  for (std::string_view name : {"start", "end"}) {
    std::optional<uint64_t> t;
    TW_RETURN_IF_ERROR(ParseEpoch(params, name, kNanosPerMicro, &t));
  }
  return OkStatus();
}

StatusOr<store::TraceQuery> ParseNativeSearch(const QueryParams& params, size_t max_limit) {
  store::TraceQuery q;
  if (const std::string* s = params.Find("service")) q.service = *s;
  if (const std::string* s = params.Find("operation")) q.operation = *s;
  for (std::string_view attr : params.All("attr")) {
    const size_t eq = attr.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return InvalidArgumentError("malformed 'attr' parameter, expecting key=value, received: " +
                                  std::string(attr.substr(0, 256)));
    }
    if (q.attributes.size() == kMaxTagFilters) {
      return InvalidArgumentError("more than " + std::to_string(kMaxTagFilters) + " attr filters");
    }
    q.attributes.emplace_back(std::string(attr.substr(0, eq)), std::string(attr.substr(eq + 1)));
  }
  if (const std::string* v = params.Find("errors")) {
    StatusOr<bool> b = ParseBool(*v);
    if (!b.ok()) return ParamError("errors", b.status());
    q.errors_only = *b;
  }
  TW_RETURN_IF_ERROR(ParseDurations(params, 1, &q));
  std::optional<uint64_t> start;
  std::optional<uint64_t> end;
  TW_RETURN_IF_ERROR(ParseNativeTime(params, "start", &start));
  TW_RETURN_IF_ERROR(ParseNativeTime(params, "end", &end));
  q.start_ns = start.value_or(0);
  q.end_ns = end.value_or(UINT64_MAX);
  if (q.end_ns <= q.start_ns) return InvalidArgumentError("'end' must be after 'start'");
  TW_RETURN_IF_ERROR(ParseLimit(params, kNativeDefaultLimit, max_limit, &q));
  return q;
}

StatusOr<TimeRange> ParseNativeDependencies(const QueryParams& params, uint64_t now_ns) {
  std::optional<uint64_t> start;
  std::optional<uint64_t> end;
  TW_RETURN_IF_ERROR(ParseNativeTime(params, "start", &start));
  TW_RETURN_IF_ERROR(ParseNativeTime(params, "end", &end));
  TimeRange range;
  range.end_ns = end.value_or(now_ns + 1);
  range.start_ns =
      start.has_value()
          ? *start
          : (range.end_ns > kDependencyLookbackNs ? range.end_ns - kDependencyLookbackNs : 0);
  if (range.end_ns <= range.start_ns) return InvalidArgumentError("'end' must be after 'start'");
  return range;
}

}  // namespace tracewire::query::internal
