// TextMapCarrier and TextMapPropagator: how a context is written into and read from string
// key/value carriers — tRPC trans_info (map<string, bytes>, exact keys) and HTTP headers
// (case-insensitive names) alike.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "trace/context.h"

namespace tracewire::trace {

class TextMapCarrier {
 public:
  virtual ~TextMapCarrier() = default;
  // The value for `key` (keys given in lower case), or nullopt. A carrier holding several
  // values for one key (repeated HTTP headers) returns them joined with ','.
  // The view stays valid until the carrier is modified or destroyed.
  virtual std::optional<std::string_view> Get(std::string_view key) const = 0;
  // Sets `key` to `value`, replacing any earlier value.
  virtual void Set(std::string_view key, std::string_view value) = 0;
};

class TextMapPropagator {
 public:
  virtual ~TextMapPropagator() = default;

  // Writes the context of `ctx` into `carrier`. Writes nothing for an invalid span context
  // (baggage propagators write baggage regardless of the span).
  virtual void Inject(const Context& ctx, TextMapCarrier& carrier) const = 0;

  // Returns `ctx` with what the carrier holds: a remote SpanContext, baggage. A missing or
  // invalid value leaves the corresponding part of `ctx` unchanged. Never fails.
  virtual Context Extract(const TextMapCarrier& carrier, const Context& ctx) const = 0;

  // The carrier keys this propagator reads and writes, lower case.
  virtual std::span<const std::string_view> Fields() const = 0;
};

}  // namespace tracewire::trace
