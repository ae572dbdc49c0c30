// Context: the immutable value that carries "where we are in the trace" — the current span's
// context and the baggage — between functions, threads, handlers and processes.
// The thread-local current Context and its RAII scope live in context_scope.h.
#pragma once

#include <utility>

#include "trace/baggage.h"
#include "trace/span_context.h"

namespace tracewire::trace {

class Context {
 public:
  Context() = default;  // no span, no baggage
  Context(SpanContext span_context, Baggage baggage) noexcept
      : span_context_(std::move(span_context)), baggage_(std::move(baggage)) {}

  // The current span's context: a local span's, or a remote parent's after Extract.
  // Invalid when there is no span.
  const SpanContext& span_context() const { return span_context_; }
  const Baggage& baggage() const { return baggage_; }

  Context WithSpanContext(SpanContext sc) const {
    Context c = *this;
    c.span_context_ = std::move(sc);
    return c;
  }
  Context WithBaggage(Baggage b) const {
    Context c = *this;
    c.baggage_ = std::move(b);
    return c;
  }

  friend bool operator==(const Context&, const Context&) = default;

 private:
  SpanContext span_context_;
  Baggage baggage_;
};

}  // namespace tracewire::trace
