// Fuzzes the B3 single and multi codecs. Property: a single header with ids formats to a value
// that parses back to the same ids and sampled decision.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "trace/propagation/b3.h"

namespace tp = tracewire::trace::propagation;

static void Check(bool ok) {
  if (!ok) std::abort();
}

static void CheckRoundTrip(const tp::B3Context& b3) {
  if (!b3.HasIds()) return;
  const std::string out = tp::FormatB3Single(b3.trace_id, b3.span_id, b3.Flags());
  auto again = tp::ParseB3Single(out);
  Check(again.ok());
  Check(again->trace_id == b3.trace_id && again->span_id == b3.span_id);
  Check(again->Flags() == b3.Flags());
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto single = tp::ParseB3Single(in);
  if (single.ok()) CheckRoundTrip(*single);
  // Multi: up to five '\n'-separated values; an empty one means "header absent".
  tp::B3MultiValues v;
  std::optional<std::string_view>* fields[] = {&v.trace_id, &v.span_id, &v.parent_span_id,
                                               &v.sampled, &v.flags};
  for (auto* f : fields) {
    const size_t nl = in.find('\n');
    std::string_view part = in.substr(0, nl);
    if (!part.empty()) *f = part;
    if (nl == std::string_view::npos) break;
    in.remove_prefix(nl + 1);
  }
  auto multi = tp::ParseB3Multi(v);
  if (multi.ok()) CheckRoundTrip(*multi);
  return 0;
}
