// How the sidecar reads and writes trace context: one extract propagator (W3C first, then
// grpc-trace-bin, then B3 single and multi; baggage merged) and one inject propagator (W3C +
// baggage, plus the formats InjectConfig turns on), with carriers over a decoded frame's
// trans_info view and over a small owned list of entries to add.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sidecar/config.h"
#include "trace/propagation/text_map.h"
#include "trpc/protocol.h"

namespace tracewire::sidecar {

struct Propagators {
  std::unique_ptr<trace::TextMapPropagator> extract;
  std::unique_ptr<trace::TextMapPropagator> inject;       // binary values raw (tRPC)
  std::unique_ptr<trace::TextMapPropagator> inject_http;  // binary values base64 (HTTP)
};
Propagators MakePropagators(const InjectConfig& inject);

// Every key any propagator reads or writes (lower case): what a forwarded request loses before
// the sidecar writes its own context.
std::span<const std::string_view> TraceKeys();

// Read-only carrier over a decoded trans_info (the last entry of a key wins).
class TransInfoViewCarrier final : public trace::TextMapCarrier {
 public:
  explicit TransInfoViewCarrier(const trpc::TransInfoView& view) : view_(view) {}
  std::optional<std::string_view> Get(std::string_view key) const override;
  void Set(std::string_view, std::string_view) override {}

 private:
  const trpc::TransInfoView& view_;
};

// Write-only carrier collecting what Inject writes. Reused across requests (keeps capacity).
class EntryListCarrier final : public trace::TextMapCarrier {
 public:
  std::optional<std::string_view> Get(std::string_view key) const override;
  void Set(std::string_view key, std::string_view value) override;
  void Clear() { used_ = 0; }
  // Views valid until the next Set or Clear.
  std::span<const std::pair<std::string_view, std::string_view>> Entries();

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
  std::vector<std::pair<std::string_view, std::string_view>> views_;
  size_t used_ = 0;
};

}  // namespace tracewire::sidecar
