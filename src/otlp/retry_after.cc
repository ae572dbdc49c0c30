#include "otlp/retry_after.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>

namespace tracewire::otlp {

namespace {

// Overflowing or absurd delays are clamped to a day, far beyond any export timeout.
constexpr int64_t kMaxDelaySeconds = int64_t{24} * 3600;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool ParseDigits(std::string_view s, int* out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  const auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

int MonthIndex(std::string_view m) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int i = 0; i < 12; ++i) {
    if (kMonths[static_cast<size_t>(i)] == m) return i + 1;
  }
  return 0;
}

// "HH:MM:SS"
bool ParseClock(std::string_view s, int* h, int* m, int* sec) {
  return s.size() == 8 && s[2] == ':' && s[5] == ':' && ParseDigits(s.substr(0, 2), h) &&
         ParseDigits(s.substr(3, 2), m) && ParseDigits(s.substr(6, 2), sec) && *h < 24 && *m < 60 &&
         *sec <= 60;
}

// Splits on single spaces into at most N fields; false if the count differs.
template <size_t N>
bool SplitFields(std::string_view s, std::array<std::string_view, N>* fields, bool collapse) {
  size_t n = 0;
  while (!s.empty()) {
    if (collapse) {
      while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      if (s.empty()) break;
    }
    const size_t sp = s.find(' ');
    if (n == N) return false;
    (*fields)[n++] = s.substr(0, sp);
    if (sp == std::string_view::npos) break;
    s.remove_prefix(sp + 1);
  }
  return n == N;
}

std::optional<std::chrono::sys_seconds> ParseHttpDate(std::string_view s) {
  int day = 0, month = 0, year = 0, h = 0, m = 0, sec = 0;
  std::array<std::string_view, 6> f6;
  std::array<std::string_view, 4> f4;
  std::array<std::string_view, 5> f5;
  if (s.size() > 4 && s[3] == ',' && SplitFields(s, &f6, false)) {
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    month = MonthIndex(f6[2]);  // 0 when unknown: rejected by ymd.ok() below
    if (f6[1].size() != 2 || !ParseDigits(f6[1], &day) || f6[3].size() != 4 ||
        !ParseDigits(f6[3], &year) || !ParseClock(f6[4], &h, &m, &sec) || f6[5] != "GMT") {
      return std::nullopt;
    }
  } else if (s.find(',') != std::string_view::npos && SplitFields(s, &f4, false)) {
    // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; two-digit years taken as 19xx/20xx by
    // the 50-year rule of RFC 9110 §5.6.7 (simplified to a fixed pivot).
    const std::string_view d = f4[1];
    if (d.size() != 9 || d[2] != '-' || d[6] != '-') return std::nullopt;
    month = MonthIndex(d.substr(3, 3));
    if (!ParseDigits(d.substr(0, 2), &day) || !ParseDigits(d.substr(7, 2), &year) ||
        !ParseClock(f4[2], &h, &m, &sec) || f4[3] != "GMT") {
      return std::nullopt;
    }
    year += year < 70 ? 2000 : 1900;
  } else if (SplitFields(s, &f5, true)) {
    // asctime: "Sun Nov  6 08:49:37 1994"
    month = MonthIndex(f5[1]);
    if (f5[2].size() > 2 || !ParseDigits(f5[2], &day) || !ParseClock(f5[3], &h, &m, &sec) ||
        f5[4].size() != 4 || !ParseDigits(f5[4], &year)) {
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd} + std::chrono::hours(h) + std::chrono::minutes(m) +
         std::chrono::seconds(sec);
}

}  // namespace

std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now) {
  value = Trim(value);
  if (value.empty()) return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') {
    int64_t seconds = 0;
    const auto r = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (r.ptr != value.data() + value.size()) return std::nullopt;
    if (r.ec != std::errc() || seconds > kMaxDelaySeconds) seconds = kMaxDelaySeconds;
    return std::chrono::milliseconds(seconds * 1000);
  }
  // Seconds precision throughout: years up to 9999 must not overflow a nanosecond clock.
  const auto when = ParseHttpDate(value);
  if (!when.has_value()) return std::nullopt;
  const auto now_s = std::chrono::floor<std::chrono::seconds>(now);
  if (*when <= now_s) return std::chrono::milliseconds(0);
  const auto delta = std::min(*when - now_s, std::chrono::seconds(kMaxDelaySeconds));
  return std::chrono::duration_cast<std::chrono::milliseconds>(delta);
}

}  // namespace tracewire::otlp
