// Fuzzes the traceparent codec and the W3C propagator. Property: whatever parses, formats to a
// value that parses to the same ids and sampled flag and formats identically again.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "trace/propagation/carriers.h"
#include "trace/propagation/trace_context_propagator.h"
#include "trace/propagation/traceparent.h"

namespace tp = tracewire::trace::propagation;

static void Check(bool ok) {
  if (!ok) std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto parsed = tp::ParseTraceparent(in);
  if (parsed.ok()) {
    const std::string out = tp::FormatTraceparent(parsed->trace_id, parsed->span_id, parsed->flags);
    Check(out.size() == tp::kTraceparentSize);
    auto again = tp::ParseTraceparent(out);
    Check(again.ok());
    Check(again->trace_id == parsed->trace_id && again->span_id == parsed->span_id);
    Check(again->flags.sampled() == parsed->flags.sampled());
    Check(tp::FormatTraceparent(again->trace_id, again->span_id, again->flags) == out);
  }
  // Through the propagator: the first line is traceparent, the rest tracestate.
  const size_t nl = in.find('\n');
  tp::HttpHeaders headers{{"traceparent", std::string(in.substr(0, nl))}};
  if (nl != std::string_view::npos) headers.emplace_back("tracestate", in.substr(nl + 1));
  tp::TraceContextPropagator prop;
  auto ctx = prop.Extract(tp::HttpHeaderCarrier(headers), tracewire::trace::Context());
  tp::HttpHeaders out;
  tp::HttpHeaderCarrier carrier(out);
  prop.Inject(ctx, carrier);
  Check(ctx.span_context().IsValid() == !out.empty());
  if (!out.empty()) {
    auto back = prop.Extract(carrier, tracewire::trace::Context());
    Check(back.span_context().trace_id() == ctx.span_context().trace_id());
    Check(back.span_context().span_id() == ctx.span_context().span_id());
  }
  return 0;
}
