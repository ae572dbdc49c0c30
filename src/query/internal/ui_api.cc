// The routes the web UI reads beside the rest of the native API: a trace in compact form
// (compact_trace.h) and one span in full as OTLP/JSON.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "otlp/batch_encoder.h"
#include "query/internal/api_routes.h"
#include "query/internal/compact_trace.h"
#include "query/internal/param_values.h"
#include "query/internal/responses.h"

namespace tracewire::query::internal {
namespace {

// Loads the stored spans of `id_text` into *trace; false with *error set to the response to
// send when the id is bad, the store fails or no span is stored.
bool LoadTrace(const ApiContext& ctx, std::string_view id_text,
               std::unique_ptr<model::SpanBatch>* trace, net::HttpResponse* error) {
  StatusOr<model::TraceId> id = ParseTraceId(id_text);
  if (!id.ok()) {
    *error = NativeError(400, "unable to parse trace ID: " + id.status().message());
    return false;
  }
  StatusOr<std::unique_ptr<model::SpanBatch>> found = ctx.store->GetTrace(*id);
  if (!found.ok()) {
    *error = NativeError(HttpStatusFor(found.status()), found.status().message());
    return false;
  }
  if ((*found)->spans.empty()) {
    *error = NativeError(404, "trace not found");
    return false;
  }
  *trace = std::move(*found);
  return true;
}

}  // namespace

net::HttpResponse CompactTrace(const ApiContext& ctx, std::string_view id_text) {
  net::HttpResponse error;
  std::unique_ptr<model::SpanBatch> trace;
  if (!LoadTrace(ctx, id_text, &trace, &error)) return error;
  net::HttpResponse response = JsonResponse(200, {});
  AppendCompactTrace(*trace, response.body);
  return response;
}

net::HttpResponse SpanDetail(const ApiContext& ctx, std::string_view id_text,
                             std::string_view span_text) {
  StatusOr<model::SpanId> span_id = ParseSpanId(span_text);
  if (!span_id.ok())
    return NativeError(400, "unable to parse span ID: " + span_id.status().message());
  net::HttpResponse error;
  std::unique_ptr<model::SpanBatch> trace;
  if (!LoadTrace(ctx, id_text, &trace, &error)) return error;
  std::optional<model::SpanBatch> one = SelectSpan(*trace, *span_id);
  if (!one.has_value()) return NativeError(404, "span not found");
  net::HttpResponse response = JsonResponse(200, {});
  otlp::EncodeTracesJson(*one, &response.body);
  return response;
}

}  // namespace tracewire::query::internal
