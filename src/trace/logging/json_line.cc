#include "trace/logging/json_line.h"

#include <cstdint>

namespace tracewire::trace::logging {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when there is none.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(i);
  size_t len;
  uint8_t lo = 0x80;  // allowed range of the second byte
  uint8_t hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;  // no overlongs
    if (b0 == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;  // no overlongs
    if (b0 == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
  } else {
    return 0;
  }
  if (s.size() - i < len) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return len;
}

void Append(std::string_view s, spdlog::memory_buf_t& dest) {
  dest.append(s.data(), s.data() + s.size());
}

}  // namespace

void AppendJsonEscaped(std::string_view text, spdlog::memory_buf_t& dest) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t run_start = 0;  // start of the pending run of bytes copied as they are
  size_t i = 0;
  const auto flush = [&](size_t end) { Append(text.substr(run_start, end - run_start), dest); };
  while (i < text.size()) {
    const auto c = static_cast<uint8_t>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const size_t len = Utf8SequenceLength(text, i);
      if (len != 0) {
        i += len;
        continue;
      }
    }
    flush(i);
    switch (c) {
      case '"': Append("\\\"", dest); break;
      case '\\': Append("\\\\", dest); break;
      case '\n': Append("\\n", dest); break;
      case '\r': Append("\\r", dest); break;
      case '\t': Append("\\t", dest); break;
      case '\b': Append("\\b", dest); break;
      case '\f': Append("\\f", dest); break;
      default:
        if (c < 0x20) {
          const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
          Append({esc, sizeof esc}, dest);
        } else {
          Append("\xEF\xBF\xBD", dest);  // U+FFFD for a byte that starts no valid sequence
        }
    }
    ++i;
    run_start = i;
  }
  flush(i);
}

}  // namespace tracewire::trace::logging
