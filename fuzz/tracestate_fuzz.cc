// Fuzzes TraceState parsing, formatting (with truncation) and Set/Delete. Property: a parsed
// tracestate formats to a header that parses back, is within 512 bytes, holds the same members
// when nothing was truncated, and formats identically again.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "trace/trace_state.h"

using tracewire::trace::TraceState;

static void Check(bool ok) {
  if (!ok) std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto ts = TraceState::FromHeader(in);
  if (!ts) return 0;
  Check(ts->size() <= TraceState::kMaxMembers);
  const std::string header = ts->ToHeader();
  Check(header.size() <= TraceState::kMaxHeaderSize);
  auto back = TraceState::FromHeader(header);
  Check(back.has_value());
  Check(back->ToHeader() == header);
  size_t full = ts->empty() ? 0 : ts->size() - 1;
  for (const auto& [k, v] : ts->members()) full += k.size() + 1 + v.size();
  if (full <= TraceState::kMaxHeaderSize) Check(*back == *ts);
  for (const auto& [k, v] : ts->members()) {
    Check(TraceState::IsValidKey(k) && TraceState::IsValidValue(v));
    Check(ts->Get(k) == std::string_view(v));
  }
  if (!ts->empty()) {
    const std::string key = ts->members().back().first;
    const std::string value = ts->members().back().second;
    TraceState moved = ts->Set(key, value);
    Check(moved.size() == ts->size() && moved.members().front().first == key);
    Check(!ts->Delete(key).Get(key).has_value());
  }
  return 0;
}
