#include "otlp/otlp_headers.h"

#include <string>

#include "base/text.h"

namespace tracewire::otlp {

namespace {

// RFC 9110 §5.6.2 token characters.
bool IsTchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~': return true;
    default: return false;
  }
}

Status MemberError(size_t position, std::string_view what) {
  return InvalidArgumentError("OTLP headers: member " + std::to_string(position) + " " +
                              std::string(what));
}

}  // namespace

StatusOr<HeaderList> ParseOtlpHeaders(std::string_view text) {
  HeaderList headers;
  size_t position = 0;
  while (true) {
    ++position;
    const size_t comma = text.find(',');
    const std::string_view member = TrimOws(text.substr(0, comma));
    if (!member.empty()) {
      const size_t eq = member.find('=');
      if (eq == std::string_view::npos) return MemberError(position, "has no '='");
      const std::string_view key = TrimOws(member.substr(0, eq));
      if (key.empty()) return MemberError(position, "has an empty key");
      for (char c : key) {
        if (!IsTchar(c)) return MemberError(position, "has a key that is not an HTTP token");
      }
      std::string value;
      if (!PercentDecode(TrimOws(member.substr(eq + 1)), &value)) {
        return MemberError(position, "has a malformed percent escape in its value");
      }
      if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
        return MemberError(position, "has CR, LF or NUL in its value");
      }
      headers.emplace_back(std::string(key), std::move(value));
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return headers;
}

}  // namespace tracewire::otlp
