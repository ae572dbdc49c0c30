#include "otlp/internal/json_text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "otlp/internal/utf8.h"

namespace tracewire::otlp::internal {
namespace {

// The escaping rules one byte at a time, as the fast path must reproduce them.
std::string ReferenceJsonString(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  for (size_t i = 0; i < s.size();) {
    const uint8_t c = p[i];
    if (c >= 0x80) {
      const size_t n = Utf8SequenceLength(p + i, s.size() - i);
      if (n != 0) {
        out.append(s.substr(i, n));
        i += n;
      } else {
        out.append(kReplacementChar);
        ++i;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  return out + "\"";
}

std::string Json(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

TEST(JsonTextTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(Json("plain"), "\"plain\"");
  EXPECT_EQ(Json("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Json("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
  EXPECT_EQ(Json(std::string_view("\x00\x1f\x7f", 3)), "\"\\u0000\\u001f\x7f\"");
}

TEST(JsonTextTest, KeepsValidUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(Json("é中😀"), "\"é中😀\"");
  EXPECT_EQ(Json("a\xff"
                 "b"),
            "\"a\xEF\xBF\xBD"
            "b\"");
  EXPECT_EQ(Json("\xc3"), "\"\xEF\xBF\xBD\"");  // truncated sequence at the end
}

TEST(JsonTextTest, SpecialBytesAtEveryOffsetOfLongRunsMatchTheReference) {
  // Runs long enough for the 16- and 8-byte steps, with one special byte moved through every
  // position (first, last, across step boundaries).
  const std::string specials[] = {"\"",       "\\", "\n", std::string(1, '\0'), "\x1f", "\xff", "é",
                                  "\xe4\xb8",  // truncated three-byte sequence
                                  "😀"};
  for (size_t len = 0; len <= 40; ++len) {
    for (const std::string& special : specials) {
      for (size_t at = 0; at <= len; ++at) {
        std::string s(len, 'x');
        s.insert(at, special);
        ASSERT_EQ(Json(s), ReferenceJsonString(s)) << "len " << len << " at " << at;
      }
    }
  }
}

TEST(JsonTextTest, RandomBytesMatchTheReference) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 3000; ++round) {
    std::string s(rng() % 80, '\0');
    const int mode = round % 3;  // mostly ASCII, any byte, or UTF-8 heavy
    for (char& c : s) {
      const uint64_t r = rng();
      if (mode == 0) {
        c = static_cast<char>(r % 64 == 0 ? r % 256 : 0x20 + r % 95);
      } else if (mode == 1) {
        c = static_cast<char>(r % 256);
      } else {
        c = static_cast<char>(r % 2 == 0 ? 0x80 + r % 64 : 0xc2 + r % 50);
      }
    }
    ASSERT_EQ(Json(s), ReferenceJsonString(s)) << round;
  }
}

TEST(JsonTextTest, AppendsToWhatIsThere) {
  std::string out = "x:";
  AppendJsonString(out, "y");
  EXPECT_EQ(out, "x:\"y\"");
}

}  // namespace
}  // namespace tracewire::otlp::internal
