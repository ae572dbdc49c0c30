// Fuzzes the query API's parameter parsers: the input is a request target (path?query). The
// path is split, the query string parsed, and every search and dependencies parser of both APIs
// run over it; each value parser also gets every parameter value. Properties: no crash, and
// what parses satisfies the documented bounds (limit within 1..max, start < end for native
// searches, ids valid, durations within int64 ns).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "query/internal/param_values.h"
#include "query/internal/query_string.h"
#include "query/internal/request_params.h"

namespace qi = tracewire::query::internal;

static void Check(bool ok) {
  if (!ok) std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const auto [path, query] = qi::SplitTarget(in);
  if (!path.empty() && path.front() == '/') {
    auto segments = qi::SplitPath(path);
    if (segments.ok()) Check(!segments->empty() && segments->size() <= qi::kMaxPathSegments);
  }
  auto params = qi::QueryParams::Parse(query);
  if (!params.ok()) return 0;
  Check(params->items().size() <= qi::kMaxParams);

  constexpr uint64_t kNow = 1'800'000'000'000'000'000ull;
  constexpr size_t kMaxLimit = 50;
  if (auto s = qi::ParseJaegerSearch(*params, kNow, kMaxLimit); s.ok()) {
    Check(s->query.limit >= 1 && s->query.limit <= kMaxLimit);
    Check(!s->query.service.empty() || !s->trace_ids.empty());
    for (const auto& id : s->trace_ids) Check(id.IsValid());
    Check(s->query.attributes.size() <= qi::kMaxTagFilters);
  }
  if (auto q = qi::ParseNativeSearch(*params, kMaxLimit); q.ok()) {
    Check(q->limit >= 1 && q->limit <= kMaxLimit && q->start_ns < q->end_ns);
    if (q->min_duration_ns && q->max_duration_ns) Check(*q->min_duration_ns <= *q->max_duration_ns);
  }
  if (auto r = qi::ParseJaegerDependencies(*params, kNow); r.ok()) Check(r->start_ns < r->end_ns);
  if (auto r = qi::ParseNativeDependencies(*params, kNow); r.ok()) Check(r->start_ns < r->end_ns);
  (void)qi::CheckJaegerTraceParams(*params);

  for (const auto& [name, value] : params->items()) {
    if (auto d = qi::ParseDurationNs(value, 1000, true); d.ok()) Check(*d <= INT64_MAX);
    (void)qi::ParseRfc3339Ns(value);
    (void)qi::ParseBool(value);
    (void)qi::ParseInt(value);
    if (auto t = qi::ParseTraceId(value); t.ok()) Check(t->IsValid());
    if (auto s = qi::ParseSpanId(value); s.ok()) Check(s->IsValid());
  }
  return 0;
}
