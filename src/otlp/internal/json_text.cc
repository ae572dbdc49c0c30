#include "otlp/internal/json_text.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "base/hex.h"
#include "otlp/internal/utf8.h"

namespace tracewire::otlp::internal {

namespace {

// True for bytes that need escaping or UTF-8 checking.
constexpr bool IsSpecial(uint8_t c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x80; }

template <typename T>
void AppendNumber(std::string& out, T v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, r.ptr);
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  size_t run = 0;  // start of the pending run of bytes copied verbatim
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t c = p[i];
    if (!IsSpecial(c)) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const size_t n = Utf8SequenceLength(p + i, s.size() - i);
      if (n != 0) {
        i += n;
        continue;
      }
    }
    out.append(s.data() + run, i - run);
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      default:
        if (c < 0x20) {
          const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
          out.append(esc, sizeof(esc));
        } else {
          out.append(kReplacementChar);  // invalid UTF-8 byte
        }
    }
    ++i;
    run = i;
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void AppendJsonUint(std::string& out, uint64_t v) { AppendNumber(out, v); }
void AppendJsonInt(std::string& out, int64_t v) { AppendNumber(out, v); }

void AppendJsonQuotedUint(std::string& out, uint64_t v) {
  out.push_back('"');
  AppendNumber(out, v);
  out.push_back('"');
}

void AppendJsonQuotedInt(std::string& out, int64_t v) {
  out.push_back('"');
  AppendNumber(out, v);
  out.push_back('"');
}

void AppendJsonDouble(std::string& out, double v) {
  if (std::isnan(v)) {
    out.append("\"NaN\"");
  } else if (std::isinf(v)) {
    out.append(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else {
    AppendNumber(out, v);
  }
}

void AppendJsonHex(std::string& out, const uint8_t* bytes, size_t n) {
  out.push_back('"');
  const size_t at = out.size();
  out.resize(at + 2 * n);
  EncodeHexTo(bytes, n, out.data() + at);
  out.push_back('"');
}

}  // namespace tracewire::otlp::internal
