#include <array>
#include <memory>
#include <utility>

#include "trace/propagation/carriers.h"
#include "trpc/server_call.h"
#include "trpc/tracing/rpc_attributes.h"
#include "trpc/tracing/trace_propagators.h"
#include "trpc/tracing/tracing_filters.h"

namespace tracewire::trpc {
namespace {

struct SpanState final : FilterState {
  trace::Span span;
};

class ServerTracingFilter final : public ServerFilter {
 public:
  explicit ServerTracingFilter(const TracingFilterOptions& options)
      : tracer_(options.provider->GetTracer("tracewire.trpc")),
        extract_(internal::MakeExtractPropagator()) {}

  // Hot path: one extract, one span with ~11 attributes, one FilterState allocation.
  FilterStatus OnRequest(ServerCall& call) override {
    CallContext& ctx = call.context();
    trace::Context parent;
    if (!ctx.trans_info.empty()) {  // hot path: nothing to look for in an empty carrier
      trace::propagation::MapCarrier<const TransInfo> carrier(ctx.trans_info);
      parent = extract_->Extract(carrier, parent);
    }

    const RequestHead& head = call.head();
    const Endpoints& ends = call.endpoints();
    internal::FuncParts func = internal::SplitFunc(head.func);
    trace::StartSpanOptions start;
    start.kind = trace::SpanKind::kServer;
    start.parent = &parent;
    auto state = std::make_unique<SpanState>();
    state->span = tracer_.StartSpan(head.func, start);
    trace::Span& span = state->span;
    if (span.IsRecording()) {
      span.SetAttribute("rpc.system", "trpc");
      span.SetAttribute("rpc.service", func.service);
      span.SetAttribute("rpc.method", func.method);
      span.SetAttribute("server.address", ends.local_address);
      span.SetAttribute("server.port", ends.local_port);
      span.SetAttribute("network.peer.address", ends.peer_address);
      span.SetAttribute("network.peer.port", ends.peer_port);
      span.SetAttribute("trpc.caller_service", head.caller);
      span.SetAttribute("trpc.callee_service", head.callee);
      span.SetAttribute("trpc.callee_method", func.method);
      if (head.call_type == kCallTypeOneway) span.SetAttribute("trpc.oneway", true);
    }
    // The handler and the calls it makes run under the SERVER span: the server makes
    // ctx.trace the thread's current context once the filters have run.
    ctx.trace = trace::ContextWithSpan(span, parent);
    call.SetFilterState(this, std::move(state));
    return FilterStatus::kContinue;
  }

  void OnResponse(ServerCall& call) override {
    auto* state = static_cast<SpanState*>(call.GetFilterState(this));
    if (state == nullptr) return;
    trace::Span& span = state->span;
    if (span.IsRecording()) {
      const Response& rsp = call.response();
      span.SetAttribute("trpc.status_code", internal::StatusCode(rsp.ret, rsp.func_ret));
      span.SetAttribute("trpc.status_type", internal::StatusType(rsp.ret, rsp.func_ret));
      if (!rsp.error_msg.empty()) span.SetAttribute("trpc.status_msg", rsp.error_msg);
      if (call.handler_threw()) {
        span.RecordException(call.exception_type(), call.exception_message());
      }
      if (rsp.ret != 0 || rsp.func_ret != 0) {
        span.SetStatus(trace::SpanStatusCode::kError, rsp.error_msg);
      }
    }
    span.End();
  }

 private:
  trace::Tracer& tracer_;
  std::unique_ptr<trace::TextMapPropagator> extract_;
};

}  // namespace

std::shared_ptr<ServerFilter> MakeServerTracingFilter(const TracingFilterOptions& options) {
  return std::make_shared<ServerTracingFilter>(options);
}

}  // namespace tracewire::trpc
