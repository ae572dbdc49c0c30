#include "otlp/internal/json_reader.h"

#include <cstring>

#include "otlp/internal/utf8.h"

namespace tracewire::otlp::internal {

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The 16-bit value of 4 hex digits at p, or -1.
int32_t Hex4(const char* p) {
  int32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    const int d = HexDigit(p[i]);
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}

bool IsHighSurrogate(int32_t u) { return u >= 0xD800 && u <= 0xDBFF; }
bool IsLowSurrogate(int32_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

char* AppendUtf8(char* out, uint32_t cp) {
  if (cp < 0x80) {
    *out++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out++ = static_cast<char>(0xC0 | (cp >> 6));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (cp >> 12));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (cp >> 18));
    *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

}  // namespace

bool JsonReader::Fail(const char* field, const char* problem) {
  if (problem_ == nullptr) {
    field_ = field;
    problem_ = problem;
    error_offset_ = static_cast<size_t>(p_ - begin_);
  }
  return false;
}

JsonReader::Token JsonReader::Peek() {
  SkipSpace();
  if (problem_ != nullptr || p_ >= end_) return Token::kError;
  switch (*p_) {
    case '{': return Token::kObject;
    case '[': return Token::kArray;
    case '"': return Token::kString;
    case 't': return Token::kTrue;
    case 'f': return Token::kFalse;
    case 'n': return Token::kNull;
    default: return (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) ? Token::kNumber : Token::kError;
  }
}

bool JsonReader::Expect(char c, const char* problem) {
  SkipSpace();
  if (p_ >= end_ || *p_ != c) return Fail(nullptr, problem);
  ++p_;
  return true;
}

bool JsonReader::Open(char c, const char* problem) {
  if (problem_ != nullptr || !Expect(c, problem)) return false;
  if (++depth_ > max_depth_) return Fail(nullptr, "nesting too deep");
  fresh_ = true;
  return true;
}

bool JsonReader::BeginObject() { return Open('{', "expected an object"); }
bool JsonReader::BeginArray() { return Open('[', "expected an array"); }

bool JsonReader::NextMember(std::string_view* key) {
  if (problem_ != nullptr) return false;
  SkipSpace();
  if (p_ < end_ && *p_ == '}' && fresh_) {
    ++p_;
    --depth_;
    fresh_ = false;
    return false;
  }
  if (!fresh_) {
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      --depth_;
      return false;
    }
    if (!Expect(',', "expected ',' or '}'")) return false;
  }
  fresh_ = false;
  SkipSpace();
  if (p_ >= end_ || *p_ != '"') return Fail(nullptr, "expected a member name");
  return ReadString(key) && Expect(':', "expected ':'");
}

bool JsonReader::NextElement() {
  if (problem_ != nullptr) return false;
  SkipSpace();
  if (p_ < end_ && *p_ == ']') {
    ++p_;
    --depth_;
    fresh_ = false;
    return false;
  }
  if (!fresh_ && !Expect(',', "expected ',' or ']'")) return false;
  fresh_ = false;
  return true;
}

bool JsonReader::ScanString(std::string_view* raw, bool* escaped) {
  const char* start = p_;
  bool esc = false;
  while (p_ < end_) {
    // Eight plain bytes (no quote, backslash, control or non-ASCII byte) at a time.
    while (end_ - p_ >= 8) {
      uint64_t w;
      std::memcpy(&w, p_, 8);
      constexpr uint64_t kOnes = 0x0101010101010101ull;
      constexpr uint64_t kHigh = 0x8080808080808080ull;
      const uint64_t quote = w ^ (kOnes * '"');
      const uint64_t backslash = w ^ (kOnes * '\\');
      const uint64_t special =
          ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) | (w - kOnes * 0x20) | w;
      if ((special & kHigh) != 0) break;
      p_ += 8;
    }
    if (p_ >= end_) break;
    const auto c = static_cast<uint8_t>(*p_);
    if (c == '"') {
      *raw = std::string_view(start, static_cast<size_t>(p_ - start));
      *escaped = esc;
      ++p_;
      return true;
    }
    if (c == '\\') {
      esc = true;
      if (end_ - p_ < 2) break;
      const char e = p_[1];
      if (e == 'u') {
        if (end_ - p_ < 6) break;
        const int32_t u = Hex4(p_ + 2);
        if (u < 0) return Fail(nullptr, "bad \\u escape");
        p_ += 6;
        if (IsLowSurrogate(u)) return Fail(nullptr, "lone surrogate in \\u escape");
        if (IsHighSurrogate(u)) {
          if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u' || !IsLowSurrogate(Hex4(p_ + 2))) {
            return Fail(nullptr, "lone surrogate in \\u escape");
          }
          p_ += 6;
        }
        continue;
      }
      if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' &&
          e != 't') {
        return Fail(nullptr, "bad escape in string");
      }
      p_ += 2;
      continue;
    }
    if (c < 0x20) return Fail(nullptr, "control character in string");
    if (c >= 0x80) {
      const size_t n =
          Utf8SequenceLength(reinterpret_cast<const uint8_t*>(p_), static_cast<size_t>(end_ - p_));
      if (n == 0) return Fail(nullptr, "invalid UTF-8 in string");
      p_ += n;
      continue;
    }
    ++p_;
  }
  return Fail(nullptr, "unterminated string");
}

char* JsonReader::Unescape(std::string_view raw, char* out) {
  const char* p = raw.data();
  const char* end = p + raw.size();
  while (p < end) {
    if (*p != '\\') {
      *out++ = *p++;
      continue;
    }
    const char e = p[1];
    p += 2;
    switch (e) {
      case 'b': *out++ = '\b'; break;
      case 'f': *out++ = '\f'; break;
      case 'n': *out++ = '\n'; break;
      case 'r': *out++ = '\r'; break;
      case 't': *out++ = '\t'; break;
      case 'u': {
        uint32_t cp = static_cast<uint32_t>(Hex4(p));
        p += 4;
        if (IsHighSurrogate(static_cast<int32_t>(cp))) {  // ScanString checked the pair
          const auto low = static_cast<uint32_t>(Hex4(p + 2));
          p += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        out = AppendUtf8(out, cp);
        break;
      }
      default: *out++ = e;  // '"', '\\', '/'
    }
  }
  return out;
}

bool JsonReader::ReadString(std::string_view* out) {
  if (problem_ != nullptr || !Expect('"', "expected a string")) return false;
  std::string_view raw;
  bool escaped = false;
  if (!ScanString(&raw, &escaped)) return false;
  fresh_ = false;
  if (!escaped) [[likely]] {
    *out = raw;
    return true;
  }
  // Unescaping never grows the text: each escape is at least as long as what it stands for.
  char* buf = static_cast<char*>(arena_.Allocate(raw.size(), 1));
  *out = std::string_view(buf, static_cast<size_t>(Unescape(raw, buf) - buf));
  return true;
}

bool JsonReader::ReadNumber(std::string_view* text) {
  if (problem_ != nullptr) return false;
  SkipSpace();
  const char* start = p_;
  auto digits = [&] {
    const char* from = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return p_ > from;
  };
  if (p_ < end_ && *p_ == '-') ++p_;
  if (p_ < end_ && *p_ == '0') {
    ++p_;
  } else if (!digits()) {
    return Fail(nullptr, "expected a number");
  }
  if (p_ < end_ && *p_ == '.') {
    ++p_;
    if (!digits()) return Fail(nullptr, "bad number");
  }
  if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
    ++p_;
    if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
    if (!digits()) return Fail(nullptr, "bad number");
  }
  *text = std::string_view(start, static_cast<size_t>(p_ - start));
  fresh_ = false;
  return true;
}

bool JsonReader::ReadLiteral(std::string_view word) {
  if (problem_ != nullptr) return false;
  SkipSpace();
  if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) {
    return Fail(nullptr, "bad literal");
  }
  p_ += word.size();
  fresh_ = false;
  return true;
}

bool JsonReader::ReadBool(bool* out) {
  const Token t = Peek();
  if (t != Token::kTrue && t != Token::kFalse) return Fail(nullptr, "expected true or false");
  *out = t == Token::kTrue;
  return ReadLiteral(*out ? "true" : "false");
}

bool JsonReader::ReadNull() { return ReadLiteral("null"); }

bool JsonReader::SkipValue() {
  std::string_view ignored;
  switch (Peek()) {
    case Token::kObject:
      if (!BeginObject()) return false;
      while (NextMember(&ignored)) {
        if (!SkipValue()) return false;
      }
      return ok();
    case Token::kArray:
      if (!BeginArray()) return false;
      while (NextElement()) {
        if (!SkipValue()) return false;
      }
      return ok();
    case Token::kString: {
      if (!Expect('"', "expected a string")) return false;
      bool escaped = false;
      if (!ScanString(&ignored, &escaped)) return false;
      fresh_ = false;
      return true;
    }
    case Token::kNumber: return ReadNumber(&ignored);
    case Token::kTrue: return ReadLiteral("true");
    case Token::kFalse: return ReadLiteral("false");
    case Token::kNull: return ReadLiteral("null");
    case Token::kError: break;
  }
  return Fail(nullptr, "expected a value");
}

bool JsonReader::AtEnd() {
  SkipSpace();
  return p_ == end_;
}

}  // namespace tracewire::otlp::internal
