#include "otlp/internal/json_text.h"

#include <charconv>
#include <cmath>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/hex.h"
#include "otlp/internal/utf8.h"

namespace tracewire::otlp::internal {

namespace {

// True for bytes that need escaping or UTF-8 checking.
constexpr bool IsSpecial(uint8_t c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x80; }

// The offset of the first special byte of p[0..n), or n when there is none: 16 bytes a step with
// SSE2 (one signed compare finds both the control bytes and the non-ASCII ones), else 8 bytes a
// step as one 64-bit word.
inline size_t SafeRunLength(const char* p, size_t n) {
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i special =
        _mm_or_si128(_mm_cmplt_epi8(x, space),  // < 0x20, and >= 0x80 (negative as signed bytes)
                     _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)));
    const auto mask = static_cast<uint32_t>(_mm_movemask_epi8(special));
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
  }
#endif
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHighs = 0x8080808080808080ull;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    const uint64_t q = w ^ (kOnes * '"');
    const uint64_t b = w ^ (kOnes * '\\');
    // A byte is flagged when it is zero after the xor (quote, backslash), below 0x20, or has its
    // high bit set; as a whole word the test is exact.
    const uint64_t flags = ((q - kOnes) & ~q) | ((b - kOnes) & ~b) | ((w - kOnes * 0x20) & ~w) | w;
    if ((flags & kHighs) != 0) break;  // the byte loop below finds which
  }
  while (i < n && !IsSpecial(static_cast<uint8_t>(p[i]))) ++i;
  return i;
}

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
  while (true) {
    i += SafeRunLength(s.data() + i, s.size() - i);
    if (i == s.size()) break;
    const uint8_t c = p[i];
    if (c >= 0x80) {
      const size_t n = Utf8SequenceLength(p + i, s.size() - i);
      if (n != 0) {  // well-formed UTF-8 is copied as is
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
