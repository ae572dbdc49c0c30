#include "sidecar/internal/trpc_call.h"

#include "sidecar/internal/request_util.h"
#include "trace/sdk/tracer.h"

namespace tracewire::sidecar::internal {

trace::Span StartListenerSpan(const ListenerContext& ctx, std::string_view name,
                              const trace::TextMapCarrier* carrier, trace::Context* parent) {
  bool forced = false;
  if (carrier != nullptr) {
    *parent = ctx.propagators->extract->Extract(*carrier, *parent);
    forced = IsForced(*carrier, ctx.sidecar->sampling.force);
  }
  trace::StartSpanOptions start;
  start.kind = ctx.config.kind == ListenerKind::kOutbound ? trace::SpanKind::kClient
                                                          : trace::SpanKind::kServer;
  start.parent = parent;
  if (forced) start.attributes = ForcedSamplingAttributes();
  return ctx.telemetry->tracer().StartSpan(name, start);
}

trace::Span StartTrpcSpan(const ListenerContext& ctx, std::string_view func,
                          const trpc::TransInfoView& trans_info, trace::Context* parent) {
  if (trans_info.empty()) return StartListenerSpan(ctx, func, nullptr, parent);
  TransInfoViewCarrier carrier(trans_info);
  return StartListenerSpan(ctx, func, &carrier, parent);
}

void SetTrpcCallAttributes(trace::Span& span, std::string_view func, std::string_view caller,
                           std::string_view callee) {
  const FuncParts parts = SplitFunc(func);
  span.SetAttribute("rpc.system", "trpc");
  span.SetAttribute("rpc.service", parts.service);
  span.SetAttribute("rpc.method", parts.method);
  span.SetAttribute("trpc.caller_service", caller);
  span.SetAttribute("trpc.callee_service", callee);
  span.SetAttribute("trpc.callee_method", parts.method);
}

void SetTrpcResult(trace::Span& span, int32_t ret, int32_t func_ret, std::string_view error_msg,
                   size_t response_bytes) {
  if (!span.IsRecording()) return;
  span.SetAttribute("trpc.status_code", ret != 0 ? ret : func_ret);
  span.SetAttribute("trpc.status_type", ret != 0 ? 1 : (func_ret != 0 ? 2 : 0));
  if (!error_msg.empty()) span.SetAttribute("trpc.status_msg", error_msg);
  if (response_bytes > 0) span.SetAttribute("trpc.response_size", response_bytes);
  if (ret != 0 || func_ret != 0) span.SetStatus(trace::SpanStatusCode::kError, error_msg);
}

void CountCall(const PendingCall& call, int32_t ret, int32_t func_ret) {
  RequestMetrics& m = call.listener->metrics->trpc;
  m.requests.fetch_add(1, std::memory_order_relaxed);
  if (ret != 0 || func_ret != 0) m.errors.fetch_add(1, std::memory_order_relaxed);
  m.latency.Observe(MicrosSince(call.start));
}

void EndCallSpan(PendingCall& call, int32_t ret, int32_t func_ret, std::string_view error_msg,
                 size_t response_bytes) {
  SetTrpcResult(call.span, ret, func_ret, error_msg, response_bytes);
  call.span.End();
}

void FinishCall(PendingCall& call, int32_t ret, int32_t func_ret, std::string_view error_msg,
                size_t response_bytes) {
  CountCall(call, ret, func_ret);
  EndCallSpan(call, ret, func_ret, error_msg, response_bytes);
}

}  // namespace tracewire::sidecar::internal
