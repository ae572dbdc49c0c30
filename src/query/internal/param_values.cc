#include "query/internal/param_values.h"

#include <array>
#include <limits>
#include <string>

#include "base/text.h"

namespace tracewire::query::internal {
namespace {

constexpr uint64_t kMaxDurationNs = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The length of the unit at the front of `s` and its size in ns, or 0 when none matches.
size_t MatchUnit(std::string_view s, bool allow_days, uint64_t* unit_ns) {
  struct Unit {
    std::string_view name;
    uint64_t ns;
    bool day_like;
  };
  // Longer names first, so "ms" wins over "m".
  static constexpr std::array<Unit, 10> kUnits = {{
      {"ns", 1, false},
      {"us", 1000, false},
      {"\xC2\xB5s", 1000, false},  // U+00B5 MICRO SIGN
      {"\xCE\xBCs", 1000, false},  // U+03BC GREEK SMALL LETTER MU
      {"ms", uint64_t{1000} * 1000, false},
      {"s", 1000ull * 1000 * 1000, false},
      {"m", 60ull * 1000 * 1000 * 1000, false},
      {"h", 3600ull * 1000 * 1000 * 1000, false},
      {"d", 24ull * 3600 * 1000 * 1000 * 1000, true},
      {"w", 7ull * 24 * 3600 * 1000 * 1000 * 1000, true},
  }};
  // The unit must be followed by a digit, '.', or the end (Go reads letters greedily).
  size_t letters = 0;
  while (letters < s.size() && !IsDigit(s[letters]) && s[letters] != '.') ++letters;
  const std::string_view word = s.substr(0, letters);
  for (const Unit& u : kUnits) {
    if (word == u.name && (allow_days || !u.day_like)) {
      *unit_ns = u.ns;
      return letters;
    }
  }
  return 0;
}

}  // namespace

StatusOr<uint64_t> ParseUint(std::string_view text) {
  if (text.empty()) return InvalidArgumentError("empty number");
  uint64_t v = 0;
  for (char c : text) {
    if (!IsDigit(c))
      return InvalidArgumentError("not a decimal integer: \"" + std::string(text) + "\"");
    const auto d = static_cast<uint64_t>(c - '0');
    if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) {
      return InvalidArgumentError("integer out of range");
    }
    v = v * 10 + d;
  }
  return v;
}

StatusOr<int64_t> ParseInt(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  StatusOr<uint64_t> magnitude = ParseUint(text);
  if (!magnitude.ok()) return magnitude.status();
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (*magnitude > kMax + (negative ? 1 : 0)) return InvalidArgumentError("integer out of range");
  if (negative) return static_cast<int64_t>(0 - *magnitude);
  return static_cast<int64_t>(*magnitude);
}

StatusOr<uint64_t> ParseDurationNs(std::string_view text, uint64_t integer_unit_ns,
                                   bool allow_days) {
  const std::string quoted = "\"" + std::string(text.substr(0, 64)) + "\"";
  if (text.empty()) return InvalidArgumentError("empty duration");
  if (text.front() == '-') return InvalidArgumentError("negative duration " + quoted);
  if (text.front() == '+') text.remove_prefix(1);
  if (text == "0") return uint64_t{0};
  bool all_digits = !text.empty();
  for (char c : text) all_digits = all_digits && IsDigit(c);
  if (all_digits) {
    StatusOr<uint64_t> n = ParseUint(text);
    if (!n.ok() || (integer_unit_ns != 0 && *n > kMaxDurationNs / integer_unit_ns)) {
      return InvalidArgumentError("duration out of range " + quoted);
    }
    return *n * integer_unit_ns;
  }
  unsigned __int128 total = 0;
  while (!text.empty()) {
    // [0-9]*(\.[0-9]*)? then a unit.
    uint64_t whole = 0;
    bool have_whole = false;
    bool overflow = false;
    while (!text.empty() && IsDigit(text.front())) {
      const auto d = static_cast<uint64_t>(text.front() - '0');
      if (whole > (kMaxDurationNs - d) / 10) overflow = true;
      if (!overflow) whole = whole * 10 + d;
      have_whole = true;
      text.remove_prefix(1);
    }
    uint64_t frac = 0;
    uint64_t scale = 1;
    bool have_frac = false;
    if (!text.empty() && text.front() == '.') {
      text.remove_prefix(1);
      while (!text.empty() && IsDigit(text.front())) {
        if (scale < 1'000'000'000'000'000'000ull) {  // digits past 1e-18 cannot matter
          frac = frac * 10 + static_cast<uint64_t>(text.front() - '0');
          scale *= 10;
        }
        have_frac = true;
        text.remove_prefix(1);
      }
    }
    if (!have_whole && !have_frac) return InvalidArgumentError("invalid duration " + quoted);
    if (overflow) return InvalidArgumentError("duration out of range " + quoted);
    uint64_t unit_ns = 0;
    const size_t unit_len = MatchUnit(text, allow_days, &unit_ns);
    if (unit_len == 0) {
      return InvalidArgumentError(text.empty() ? "missing unit in duration " + quoted
                                               : "unknown unit in duration " + quoted);
    }
    text.remove_prefix(unit_len);
    total += static_cast<unsigned __int128>(whole) * unit_ns +
             static_cast<unsigned __int128>(frac) * unit_ns / scale;
    if (total > kMaxDurationNs) return InvalidArgumentError("duration out of range " + quoted);
  }
  return static_cast<uint64_t>(total);
}

StatusOr<uint64_t> ParseRfc3339Ns(std::string_view text) {
  const Status bad =
      InvalidArgumentError("not an RFC 3339 time: \"" + std::string(text.substr(0, 64)) + "\"");
  // Fixed-width digits at text[pos..pos+n).
  auto digits = [&](size_t pos, size_t n, int* out) {
    if (pos + n > text.size()) return false;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (!IsDigit(text[i])) return false;
      v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(0, 4, &year) || text.size() < 20 || text[4] != '-' || !digits(5, 2, &month) ||
      text[7] != '-' || !digits(8, 2, &day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !digits(11, 2, &hour) ||
      text[13] != ':' || !digits(14, 2, &minute) || text[16] != ':' || !digits(17, 2, &second)) {
    return bad;
  }
  static constexpr std::array<int, 12> kDaysInMonth = {31, 29, 31, 30, 31, 30,
                                                       31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month < 1 || month > 12 || day < 1 || day > kDaysInMonth[month - 1] ||
      (month == 2 && day == 29 && !leap) || hour > 23 || minute > 59 || second > 60) {
    return bad;
  }
  size_t pos = 19;
  uint64_t frac_ns = 0;
  if (text[pos] == '.') {
    ++pos;
    uint64_t scale = 100'000'000;
    const size_t first = pos;
    while (pos < text.size() && IsDigit(text[pos])) {
      frac_ns += static_cast<uint64_t>(text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == first) return bad;
  }
  int64_t offset_s = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = 0, om = 0;
    if (!digits(pos + 1, 2, &oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !digits(pos + 4, 2, &om) || oh > 23 || om > 59) {
      return bad;
    }
    offset_s = (text[pos] == '+' ? 1 : -1) * (int64_t{oh} * 3600 + int64_t{om} * 60);
    pos += 6;
  } else {
    return bad;
  }
  if (pos != text.size()) return bad;
  // Days since 1970-01-01 of the civil date (H. Hinnant's days_from_civil).
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = y / 400;
  const int yoe = y - era * 400;
  const int mp = (month + 9) % 12;
  const int doy = (153 * mp + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = static_cast<int64_t>(era) * 146097 + doe - 719468;
  const int64_t secs =
      days * 86400 + int64_t{hour} * 3600 + int64_t{minute} * 60 + second - offset_s;
  if (secs < 0) return InvalidArgumentError("time before 1970: \"" + std::string(text) + "\"");
  return static_cast<uint64_t>(secs) * 1'000'000'000ull + frac_ns;
}

StatusOr<bool> ParseBool(std::string_view text) {
  if (text == "1" || text == "t" || text == "T" || text == "TRUE" || text == "true" ||
      text == "True") {
    return true;
  }
  if (text == "0" || text == "f" || text == "F" || text == "FALSE" || text == "false" ||
      text == "False") {
    return false;
  }
  return InvalidArgumentError("not a boolean: \"" + std::string(text.substr(0, 64)) + "\"");
}

namespace {

template <typename Id>
StatusOr<Id> ParseHexId(std::string_view text, std::string_view what) {
  if (text.empty() || text.size() > Id::kHexSize) {
    return InvalidArgumentError(std::string(what) + " must be 1 to " +
                                std::to_string(Id::kHexSize) + " hex digits");
  }
  Id id;
  uint8_t* bytes = id.mutable_data();
  const size_t pad = Id::kHexSize - text.size();
  for (size_t i = 0; i < Id::kHexSize; ++i) {
    const int v = i < pad ? 0 : HexDigitValue(text[i - pad]);
    if (v < 0) return InvalidArgumentError(std::string(what) + " is not hexadecimal");
    if (i % 2 == 0) {
      bytes[i / 2] = static_cast<uint8_t>(v << 4);
    } else {
      bytes[i / 2] = static_cast<uint8_t>(bytes[i / 2] | v);
    }
  }
  if (!id.IsValid()) return InvalidArgumentError(std::string(what) + " is all zeros");
  return id;
}

}  // namespace

StatusOr<model::TraceId> ParseTraceId(std::string_view text) {
  return ParseHexId<model::TraceId>(text, "trace ID");
}

StatusOr<model::SpanId> ParseSpanId(std::string_view text) {
  return ParseHexId<model::SpanId>(text, "span ID");
}

}  // namespace tracewire::query::internal
