// The tracing filters: a SERVER span around every handled call and a CLIENT span around every
// outbound call, with the context carried in trans_info.
//
// Server: extracts the caller's context from trans_info — W3C traceparent/tracestate first, then
// grpc-trace-bin, then B3; baggage is merged — and sets ServerCall::context().trace to the
// SERVER span, which the server makes the handler's current context; ends the span with the
// outcome.
// Client: starts a CLIENT span under ClientCall::trace_parent(), removes every trace key the
// request inherited from its parent's trans_info (a stale traceparent must not reach the next
// hop), injects the new context in the configured format, ends the span with the outcome.
//
// Spans are named after the func ("/pkg.Service/Method") and carry the RPC semantic conventions
// (rpc.system "trpc", rpc.service, rpc.method, server.address/port, network.peer.address/port)
// and trpc-go's attributes (trpc.caller_service, trpc.callee_service, trpc.callee_method,
// trpc.status_code, trpc.status_msg, trpc.status_type). A call with ret or func_ret non-zero ends
// with status ERROR; a handler that threw also gets an exception event.
#pragma once

#include <memory>
#include <string_view>

#include "base/status.h"
#include "trace/sdk/tracer.h"
#include "trpc/filter.h"

namespace tracewire::trpc {

// How the client filter writes the context into trans_info.
enum class TraceInjectFormat {
  kText,    // traceparent, tracestate, baggage (W3C; what trpc-go's OpenTelemetry plugin reads)
  kBinary,  // grpc-trace-bin, raw 29 bytes (what Envoy-based tRPC meshes read), plus baggage
  kBoth,
};

// "text", "binary" or "both"; InvalidArgument otherwise.
StatusOr<TraceInjectFormat> ParseTraceInjectFormat(std::string_view name);

struct TracingFilterOptions {
  // REQUIRED. Must outlive the filters.
  trace::TracerProvider* provider = nullptr;
  TraceInjectFormat inject = TraceInjectFormat::kText;
};

// REQUIRES: options.provider != nullptr. Thread-safe; share one per server or client.
std::shared_ptr<ServerFilter> MakeServerTracingFilter(const TracingFilterOptions& options);
std::shared_ptr<ClientFilter> MakeClientTracingFilter(const TracingFilterOptions& options);

}  // namespace tracewire::trpc
