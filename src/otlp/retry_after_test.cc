#include "otlp/retry_after.h"

#include <gtest/gtest.h>

namespace tracewire::otlp {
namespace {

using std::chrono::milliseconds;

// 1994-11-06 08:49:37 UTC, the RFC 9110 example date.
std::chrono::system_clock::time_point ExampleDate() {
  return std::chrono::sys_days(std::chrono::year(1994) / 11 / 6) + std::chrono::hours(8) +
         std::chrono::minutes(49) + std::chrono::seconds(37);
}

TEST(RetryAfterTest, DelaySecondsAreReadAsSeconds) {
  EXPECT_EQ(ParseRetryAfter("120", ExampleDate()), milliseconds(120000));
  EXPECT_EQ(ParseRetryAfter(" 0 ", ExampleDate()), milliseconds(0));
}

TEST(RetryAfterTest, HugeDelaysAreClampedToADay) {
  EXPECT_EQ(ParseRetryAfter("99999999999999999999999", ExampleDate()), milliseconds(86400000));
}

TEST(RetryAfterTest, AllThreeHttpDateFormatsAreAccepted) {
  const auto now = ExampleDate() - std::chrono::seconds(30);
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now), milliseconds(30000));
  EXPECT_EQ(ParseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now), milliseconds(30000));
  EXPECT_EQ(ParseRetryAfter("Sun Nov  6 08:49:37 1994", now), milliseconds(30000));
}

TEST(RetryAfterTest, FarFutureDatesAreClampedToADayWithoutOverflow) {
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 3988 08:49:37 GMT", ExampleDate()),
            milliseconds(86400000));
}

TEST(RetryAfterTest, ADateInThePastMeansRetryNow) {
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", ExampleDate() + std::chrono::hours(1)),
            milliseconds(0));
}

TEST(RetryAfterTest, MalformedValuesAreIgnored) {
  for (const char* bad :
       {"", "soon", "-5", "1.5", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 25:49:37 GMT", "Sun Xyz  6 08:49:37 1994"}) {
    EXPECT_FALSE(ParseRetryAfter(bad, ExampleDate()).has_value()) << bad;
  }
}

}  // namespace
}  // namespace tracewire::otlp
