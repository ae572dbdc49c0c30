// Small text helpers shared by the configuration parsers (OTEL_* variables) and protocols.
#pragma once

#include <string>
#include <string_view>

namespace tracewire {

// `s` without leading and trailing spaces and horizontal tabs (HTTP's OWS). Inline: used on
// hot paths (header carriers).
inline std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// True when `a` and `b` are equal ignoring ASCII case (HTTP field names). Inline: hot path.
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// 0-15 for a hex digit of either case, -1 otherwise.
int HexDigitValue(char c);

// Replaces `out` with `in` where every "%XY" (hex digits, any case) is the byte 0xXY.
// Returns false, `out` unspecified, on a '%' not followed by two hex digits.
bool PercentDecode(std::string_view in, std::string* out);

}  // namespace tracewire
