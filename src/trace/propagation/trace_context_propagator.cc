#include "trace/propagation/trace_context_propagator.h"

#include <array>

#include "trace/propagation/traceparent.h"

namespace tracewire::trace::propagation {

void TraceContextPropagator::Inject(const Context& ctx, TextMapCarrier& carrier) const {
  const SpanContext& sc = ctx.span_context();
  if (!sc.IsValid()) return;
  std::array<char, kTraceparentSize> buf;
  FormatTraceparentTo(sc.trace_id(), sc.span_id(), sc.trace_flags(), buf.data());
  carrier.Set(kTraceparentKey, std::string_view(buf.data(), buf.size()));
  if (!sc.trace_state().empty()) {
    const std::string header = sc.trace_state().ToHeader();
    if (!header.empty()) carrier.Set(kTracestateKey, header);
  }
}

Context TraceContextPropagator::Extract(const TextMapCarrier& carrier, const Context& ctx) const {
  const std::optional<std::string_view> value = carrier.Get(kTraceparentKey);
  Traceparent tp;
  if (!value || !ParseTraceparentTo(*value, &tp)) return ctx;
  TraceState trace_state;
  if (const std::optional<std::string_view> ts = carrier.Get(kTracestateKey)) {
    if (std::optional<TraceState> parsed = TraceState::FromHeader(*ts)) {
      trace_state = std::move(*parsed);
    }
  }
  // Built in place: only ctx's baggage is copied, never its old span context.
  return Context(
      SpanContext(tp.trace_id, tp.span_id, tp.flags, /*is_remote=*/true, std::move(trace_state)),
      ctx.baggage());
}

std::span<const std::string_view> TraceContextPropagator::Fields() const {
  static constexpr std::array<std::string_view, 2> kFields = {kTraceparentKey, kTracestateKey};
  return kFields;
}

}  // namespace tracewire::trace::propagation
