#include "sidecar/internal/trpc_call.h"

#include "trpc/frame_codec.h"

namespace tracewire::sidecar::internal {

void FinishCall(ListenerContext& ctx, PendingCall& call, int32_t ret, int32_t func_ret,
                std::string_view error_msg, size_t response_bytes) {
  RequestMetrics& m = ctx.metrics->trpc;
  m.requests.fetch_add(1, std::memory_order_relaxed);
  const bool failed = ret != 0 || func_ret != 0;
  if (failed) m.errors.fetch_add(1, std::memory_order_relaxed);
  m.latency.Observe(MicrosSince(call.start));
  trace::Span& span = call.span;
  if (span.IsRecording()) {
    span.SetAttribute("trpc.status_code", ret != 0 ? ret : func_ret);
    span.SetAttribute("trpc.status_type", ret != 0 ? 1 : (func_ret != 0 ? 2 : 0));
    if (!error_msg.empty()) span.SetAttribute("trpc.status_msg", error_msg);
    if (response_bytes > 0) span.SetAttribute("trpc.response_size", response_bytes);
    if (failed) span.SetStatus(trace::SpanStatusCode::kError, error_msg);
  }
  span.End();
}

void FailCall(ListenerContext& ctx, PendingCall& call, int32_t ret, std::string_view error_msg) {
  if (call.call_type != trpc::kCallTypeOneway) {
    if (auto owner = call.owner.lock()) {
      trpc::ResponseHead head;
      head.request_id = call.downstream_id;
      head.call_type = call.call_type;
      head.ret = ret;
      head.error_msg = error_msg;
      std::string frame;
      if (trpc::AppendResponseFrame(head, {}, {}, ctx.max_frame_size, &frame) ==
          trpc::CodecError::kOk) {
        owner->WriteResponse(frame);
      }
    }
  }
  FinishCall(ctx, call, ret, 0, error_msg, 0);
}

}  // namespace tracewire::sidecar::internal
