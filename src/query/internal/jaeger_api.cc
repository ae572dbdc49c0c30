// The Jaeger HTTP API (jaeger-query's http_handler.go), answered from the store.
#include <string_view>
#include <utility>

#include "otlp/internal/json_text.h"
#include "query/internal/api_routes.h"
#include "query/internal/jaeger_json.h"
#include "query/internal/param_values.h"
#include "query/internal/request_params.h"
#include "query/internal/responses.h"

namespace tracewire::query::internal {
namespace {

using otlp::internal::AppendJsonHex;
using otlp::internal::AppendJsonString;
using otlp::internal::AppendJsonUint;

constexpr std::string_view kTraceNotFound = "trace not found";

net::HttpResponse StoreError(const Status& status) {
  return JaegerError(HttpStatusFor(status), status.message());
}

net::HttpResponse Services(const ApiContext& ctx) {
  StatusOr<std::vector<std::string>> services = ctx.store->Services();
  if (!services.ok()) return StoreError(services.status());
  std::string body;
  BeginJaegerData(body);
  body.push_back('[');
  for (size_t i = 0; i < services->size(); ++i) {
    if (i != 0) body.push_back(',');
    AppendJsonString(body, (*services)[i]);
  }
  body.push_back(']');
  EndJaegerData(body, services->size());
  return JsonResponse(200, std::move(body));
}

// /api/services/{service}/operations: the distinct operation names (any kind), sorted.
net::HttpResponse OperationNames(const ApiContext& ctx, std::string_view service) {
  StatusOr<std::vector<store::Operation>> ops = ctx.store->Operations(service);
  if (!ops.ok()) return StoreError(ops.status());
  std::string body;
  BeginJaegerData(body);
  body.push_back('[');
  size_t count = 0;
  const std::string* last = nullptr;
  for (const store::Operation& op : *ops) {
    if (last != nullptr && *last == op.name) continue;  // sorted by name: repeats are adjacent
    last = &op.name;
    if (count++ != 0) body.push_back(',');
    AppendJsonString(body, op.name);
  }
  body.push_back(']');
  EndJaegerData(body, count);
  return JsonResponse(200, std::move(body));
}

// /api/operations?service=&spanKind=: [{name, spanKind}].
net::HttpResponse Operations(const ApiContext& ctx, const QueryParams& params) {
  const std::string* service = params.Find("service");
  if (service == nullptr) return JaegerError(400, "parameter 'service' is required");
  const std::string* kind = params.Find("spanKind");
  if (kind != nullptr && *kind != "server" && *kind != "client" && *kind != "producer" &&
      *kind != "consumer" && *kind != "internal") {
    return JaegerError(400, "unable to parse param 'spanKind': unsupported span kind");
  }
  StatusOr<std::vector<store::Operation>> ops = ctx.store->Operations(*service);
  if (!ops.ok()) return StoreError(ops.status());
  std::string body;
  BeginJaegerData(body);
  body.push_back('[');
  size_t count = 0;
  for (const store::Operation& op : *ops) {
    const std::string_view op_kind = JaegerSpanKind(op.kind);
    if (kind != nullptr && op_kind != *kind) continue;
    if (count++ != 0) body.push_back(',');
    body.append("{\"name\":");
    AppendJsonString(body, op.name);
    body.append(",\"spanKind\":");
    AppendJsonString(body, op_kind);
    body.push_back('}');
  }
  body.push_back(']');
  EndJaegerData(body, count);
  return JsonResponse(200, std::move(body));
}

// Fetches and appends one trace; false (nothing written) when the store has no span of it.
StatusOr<bool> AppendTraceById(const ApiContext& ctx, const model::TraceId& id, bool comma,
                               std::string& body) {
  StatusOr<std::unique_ptr<model::SpanBatch>> trace = ctx.store->GetTrace(id);
  if (!trace.ok()) {
    if (trace.status().code() == StatusCode::kNotFound) return false;
    return trace.status();
  }
  if ((*trace)->spans.empty()) return false;
  if (comma) body.push_back(',');
  AppendJaegerTrace(**trace, body);
  return true;
}

net::HttpResponse TraceById(const ApiContext& ctx, std::string_view id_text,
                            const QueryParams& params) {
  StatusOr<model::TraceId> id = ParseTraceId(id_text);
  if (!id.ok()) return JaegerError(400, "unable to parse trace ID: " + id.status().message());
  if (Status s = CheckJaegerTraceParams(params); !s.ok()) return JaegerError(400, s.message());
  std::string body;
  BeginJaegerData(body);
  body.push_back('[');
  StatusOr<bool> found = AppendTraceById(ctx, *id, false, body);
  if (!found.ok()) return StoreError(found.status());
  if (!*found) return JaegerError(404, kTraceNotFound);
  body.push_back(']');
  EndJaegerData(body, 0);
  return JsonResponse(200, std::move(body));
}

net::HttpResponse Search(const ApiContext& ctx, const QueryParams& params) {
  StatusOr<JaegerSearch> search = ParseJaegerSearch(params, ctx.now_ns, ctx.max_limit);
  if (!search.ok()) return JaegerError(400, search.status().message());
  std::string body;
  BeginJaegerData(body);
  body.push_back('[');
  size_t written = 0;
  std::string errors;  // Jaeger lists trace ids asked for but missing: [{msg, traceID}]
  if (!search->trace_ids.empty()) {
    for (const model::TraceId& id : search->trace_ids) {
      StatusOr<bool> found = AppendTraceById(ctx, id, written != 0, body);
      if (!found.ok()) return StoreError(found.status());
      if (*found) {
        ++written;
        continue;
      }
      errors.append(errors.empty() ? "[" : ",");
      errors.append("{\"msg\":\"trace not found\",\"traceID\":");
      AppendJsonHex(errors, id.data(), model::TraceId::kSize);
      errors.push_back('}');
    }
  } else {
    StatusOr<std::vector<store::TraceSummary>> found = ctx.store->FindTraces(search->query);
    if (!found.ok()) return StoreError(found.status());
    for (const store::TraceSummary& summary : *found) {
      // A trace dropped by retention since the search is left out.
      StatusOr<bool> ok = AppendTraceById(ctx, summary.trace_id, written != 0, body);
      if (!ok.ok()) return StoreError(ok.status());
      if (*ok) ++written;
    }
  }
  body.append("],\"total\":0,\"limit\":0,\"offset\":0,\"errors\":");
  body.append(errors.empty() ? "null" : errors + "]");
  body.push_back('}');
  return JsonResponse(200, std::move(body));
}

net::HttpResponse Dependencies(const ApiContext& ctx, const QueryParams& params) {
  StatusOr<TimeRange> range = ParseJaegerDependencies(params, ctx.now_ns);
  if (!range.ok()) return JaegerError(400, range.status().message());
  StatusOr<std::vector<store::DependencyLink>> links =
      ctx.store->Dependencies(range->start_ns, range->end_ns);
  if (!links.ok()) return StoreError(links.status());
  const std::string* service = params.Find("service");
  std::string body;
  BeginJaegerData(body);
  body.push_back('[');
  bool first = true;
  for (const store::DependencyLink& link : *links) {
    if (service != nullptr && link.parent != *service && link.child != *service) continue;
    if (!first) body.push_back(',');
    first = false;
    body.append("{\"parent\":");
    AppendJsonString(body, link.parent);
    body.append(",\"child\":");
    AppendJsonString(body, link.child);
    body.append(",\"callCount\":");
    AppendJsonUint(body, link.call_count);
    body.push_back('}');
  }
  body.push_back(']');
  EndJaegerData(body, 0);
  return JsonResponse(200, std::move(body));
}

}  // namespace

net::HttpResponse ServeJaeger(const ApiContext& ctx, const std::vector<std::string>& segments,
                              const QueryParams& params) {
  const size_t n = segments.size();
  std::string_view route;
  if (n >= 2) route = segments[1];
  if (n == 2 && route == "services") return Services(ctx);
  if (n == 4 && route == "services" && segments[3] == "operations") {
    return OperationNames(ctx, segments[2]);
  }
  if (n == 2 && route == "operations") return Operations(ctx, params);
  if (n == 2 && route == "traces") return Search(ctx, params);
  if (n == 3 && route == "traces") return TraceById(ctx, segments[2], params);
  if (n == 2 && route == "dependencies") return Dependencies(ctx, params);
  return JaegerError(404, "404 page not found");
}

}  // namespace tracewire::query::internal
