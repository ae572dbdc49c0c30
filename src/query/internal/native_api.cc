// The native API (/api/v1/...): traces as OTLP/JSON, search summaries, services, operations,
// logs of a trace, and dependencies with error counts and latency quantiles.
#include <optional>
#include <string_view>
#include <utility>

#include "otlp/batch_encoder.h"
#include "otlp/internal/json_text.h"
#include "query/internal/api_routes.h"
#include "query/internal/jaeger_json.h"
#include "query/internal/param_values.h"
#include "query/internal/request_params.h"
#include "query/internal/responses.h"

namespace tracewire::query::internal {
namespace {

using otlp::internal::AppendJsonHex;
using otlp::internal::AppendJsonQuotedUint;
using otlp::internal::AppendJsonString;
using otlp::internal::AppendJsonUint;

net::HttpResponse StoreError(const Status& status) {
  return NativeError(HttpStatusFor(status), status.message());
}

void AppendSummary(std::string& out, const store::TraceSummary& s) {
  out.append("{\"traceId\":");
  AppendJsonHex(out, s.trace_id.data(), model::TraceId::kSize);
  out.append(",\"rootService\":");
  AppendJsonString(out, s.root_service);
  out.append(",\"rootOperation\":");
  AppendJsonString(out, s.root_operation);
  out.append(",\"startTimeUnixNano\":");
  AppendJsonQuotedUint(out, s.start_ns);
  out.append(",\"durationNano\":");
  AppendJsonQuotedUint(out, s.duration_ns);
  out.append(",\"spanCount\":");
  AppendJsonUint(out, s.span_count);
  out.append(",\"errorCount\":");
  AppendJsonUint(out, s.error_count);
  out.append(",\"services\":[");
  for (size_t i = 0; i < s.services.size(); ++i) {
    if (i != 0) out.push_back(',');
    out.append("{\"service\":");
    AppendJsonString(out, s.services[i].service);
    out.append(",\"spanCount\":");
    AppendJsonUint(out, s.services[i].span_count);
    out.append(",\"errorCount\":");
    AppendJsonUint(out, s.services[i].error_count);
    out.push_back('}');
  }
  out.append("]}");
}

net::HttpResponse Search(const ApiContext& ctx, const QueryParams& params) {
  StatusOr<store::TraceQuery> query = ParseNativeSearch(params, ctx.max_limit);
  if (!query.ok()) return NativeError(400, query.status().message());
  StatusOr<std::vector<store::TraceSummary>> found = ctx.store->FindTraces(*query);
  if (!found.ok()) return StoreError(found.status());
  std::string body = "{\"traces\":[";
  body.reserve(found->size() * 256);
  for (size_t i = 0; i < found->size(); ++i) {
    if (i != 0) body.push_back(',');
    AppendSummary(body, (*found)[i]);
  }
  body.append("]}");
  return JsonResponse(200, std::move(body));
}

net::HttpResponse TraceById(const ApiContext& ctx, std::string_view id_text) {
  StatusOr<model::TraceId> id = ParseTraceId(id_text);
  if (!id.ok()) return NativeError(400, "unable to parse trace ID: " + id.status().message());
  StatusOr<std::unique_ptr<model::SpanBatch>> trace = ctx.store->GetTrace(*id);
  if (!trace.ok()) return StoreError(trace.status());
  if ((*trace)->spans.empty()) return NativeError(404, "trace not found");
  net::HttpResponse response = JsonResponse(200, {});
  otlp::EncodeTracesJson(**trace, &response.body);
  return response;
}

net::HttpResponse Logs(const ApiContext& ctx, std::string_view id_text, const QueryParams& params) {
  StatusOr<model::TraceId> id = ParseTraceId(id_text);
  if (!id.ok()) return NativeError(400, "unable to parse trace ID: " + id.status().message());
  std::optional<model::SpanId> span_id;
  if (const std::string* s = params.Find("spanId")) {
    StatusOr<model::SpanId> parsed = ParseSpanId(*s);
    if (!parsed.ok())
      return NativeError(400, "unable to parse param 'spanId': " + parsed.status().message());
    span_id = *parsed;
  }
  StatusOr<std::unique_ptr<model::LogBatch>> logs = ctx.store->GetLogs(*id, span_id);
  if (!logs.ok()) return StoreError(logs.status());
  net::HttpResponse response = JsonResponse(200, {});
  otlp::EncodeLogsJson(**logs, &response.body);
  return response;
}

net::HttpResponse Services(const ApiContext& ctx) {
  StatusOr<std::vector<std::string>> services = ctx.store->Services();
  if (!services.ok()) return StoreError(services.status());
  std::string body = "{\"services\":[";
  for (size_t i = 0; i < services->size(); ++i) {
    if (i != 0) body.push_back(',');
    AppendJsonString(body, (*services)[i]);
  }
  body.append("]}");
  return JsonResponse(200, std::move(body));
}

net::HttpResponse Operations(const ApiContext& ctx, std::string_view service) {
  StatusOr<std::vector<store::Operation>> ops = ctx.store->Operations(service);
  if (!ops.ok()) return StoreError(ops.status());
  std::string body = "{\"operations\":[";
  for (size_t i = 0; i < ops->size(); ++i) {
    if (i != 0) body.push_back(',');
    body.append("{\"name\":");
    AppendJsonString(body, (*ops)[i].name);
    body.append(",\"spanKind\":");
    AppendJsonString(body, JaegerSpanKind((*ops)[i].kind));
    body.push_back('}');
  }
  body.append("]}");
  return JsonResponse(200, std::move(body));
}

net::HttpResponse Dependencies(const ApiContext& ctx, const QueryParams& params) {
  StatusOr<TimeRange> range = ParseNativeDependencies(params, ctx.now_ns);
  if (!range.ok()) return NativeError(400, range.status().message());
  StatusOr<std::vector<store::DependencyLink>> links =
      ctx.store->Dependencies(range->start_ns, range->end_ns);
  if (!links.ok()) return StoreError(links.status());
  std::string body = "{\"dependencies\":[";
  for (size_t i = 0; i < links->size(); ++i) {
    const store::DependencyLink& link = (*links)[i];
    if (i != 0) body.push_back(',');
    body.append("{\"parent\":");
    AppendJsonString(body, link.parent);
    body.append(",\"child\":");
    AppendJsonString(body, link.child);
    body.append(",\"callCount\":");
    AppendJsonUint(body, link.call_count);
    body.append(",\"errorCount\":");
    AppendJsonUint(body, link.error_count);
    body.append(",\"durationP50Nano\":");
    AppendJsonQuotedUint(body, link.duration_p50_ns);
    body.append(",\"durationP99Nano\":");
    AppendJsonQuotedUint(body, link.duration_p99_ns);
    body.push_back('}');
  }
  body.append("]}");
  return JsonResponse(200, std::move(body));
}

}  // namespace

net::HttpResponse ServeNative(const ApiContext& ctx, const std::vector<std::string>& segments,
                              const QueryParams& params) {
  // segments: "api", "v1", route...
  const size_t n = segments.size();
  std::string_view route;
  if (n >= 3) route = segments[2];
  if (route == "traces") {
    if (n == 3) return Search(ctx, params);
    if (n == 4) return TraceById(ctx, segments[3]);
    if (n == 5 && segments[4] == "logs") return Logs(ctx, segments[3], params);
    if (n == 5 && segments[4] == "compact") return CompactTrace(ctx, segments[3]);
    if (n == 6 && segments[4] == "spans") return SpanDetail(ctx, segments[3], segments[5]);
  }
  if (route == "services") {
    if (n == 3) return Services(ctx);
    if (n == 5 && segments[4] == "operations") return Operations(ctx, segments[3]);
  }
  if (n == 3 && route == "dependencies") return Dependencies(ctx, params);
  return NativeError(404, "no such route");
}

}  // namespace tracewire::query::internal
