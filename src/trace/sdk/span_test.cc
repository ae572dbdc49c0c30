#include "trace/sdk/span.h"

#include <gtest/gtest.h>

#include "trace/sdk/sdk_test_util.h"

namespace tracewire::trace {
namespace {

using testing::RecordingProvider;

using testing::Find;

TEST(SpanTest, SetAttributeStoresEveryValueType) {
  RecordingProvider rp;
  {
    Span s = rp.tracer->StartSpan("op");
    s.SetAttribute("str", "v");
    s.SetAttribute("sv", std::string_view("w"));
    s.SetAttribute("stdstr", std::string("x"));
    s.SetAttribute("b", true);
    s.SetAttribute("i", 7);
    s.SetAttribute("u16", uint16_t{9});
    s.SetAttribute("d", 1.5);
    s.SetAttribute("f", 0.5f);
    const std::vector<std::string> strs = {"a", "b"};
    s.SetAttribute("astr", std::span<const std::string>(strs));
    s.SetAttribute("abool", std::vector<bool>{true, false});
    const std::vector<int64_t> ints = {1, 2};
    s.SetAttribute("aint", std::span<const int64_t>(ints));
    const std::vector<double> dbls = {0.25};
    s.SetAttribute("adbl", std::span<const double>(dbls));
  }
  const Attributes& a = rp.Only().attributes;
  EXPECT_EQ(*Find(a, "str"), AttributeValue(std::string("v")));
  EXPECT_EQ(*Find(a, "sv"), AttributeValue(std::string("w")));
  EXPECT_EQ(*Find(a, "stdstr"), AttributeValue(std::string("x")));
  EXPECT_EQ(*Find(a, "b"), AttributeValue(true));
  EXPECT_EQ(*Find(a, "i"), AttributeValue(int64_t{7}));
  EXPECT_EQ(*Find(a, "u16"), AttributeValue(int64_t{9}));
  EXPECT_EQ(*Find(a, "d"), AttributeValue(1.5));
  EXPECT_EQ(*Find(a, "f"), AttributeValue(0.5));
  EXPECT_EQ(*Find(a, "astr"), AttributeValue(std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(*Find(a, "abool"), AttributeValue(std::vector<bool>{true, false}));
  EXPECT_EQ(*Find(a, "aint"), AttributeValue(std::vector<int64_t>{1, 2}));
  EXPECT_EQ(*Find(a, "adbl"), AttributeValue(std::vector<double>{0.25}));
  EXPECT_EQ(a.size(), 12u);
}

TEST(SpanTest, SettingAnExistingKeyReplacesItsValue) {
  RecordingProvider rp;
  {
    Span s = rp.tracer->StartSpan("op");
    s.SetAttribute("k", "first");
    s.SetAttribute("k", int64_t{2});
  }
  ASSERT_EQ(rp.Only().attributes.size(), 1u);
  EXPECT_EQ(rp.Only().attributes[0].value, AttributeValue(int64_t{2}));
}

TEST(SpanTest, AttributesPastTheCountLimitAreDroppedAndCounted) {
  SpanLimits limits;
  limits.attribute_count = 2;
  RecordingProvider rp(limits);
  {
    Span s = rp.tracer->StartSpan("op");
    s.SetAttribute("a", 1);
    s.SetAttribute("b", 2);
    s.SetAttribute("c", 3);
    s.SetAttribute("a", 4);  // replacing stays allowed at the limit
  }
  EXPECT_EQ(rp.Only().attributes.size(), 2u);
  EXPECT_EQ(rp.Only().dropped_attributes_count, 1u);
  EXPECT_EQ(*Find(rp.Only().attributes, "a"), AttributeValue(int64_t{4}));
}

TEST(SpanTest, LongStringValuesAreTruncatedAtACharacterBoundary) {
  SpanLimits limits;
  limits.attribute_value_length = 4;
  RecordingProvider rp(limits);
  {
    Span s = rp.tracer->StartSpan("op");
    s.SetAttribute("ascii", "abcdef");
    s.SetAttribute("utf8", "ab\xc3\xa9\xc3\xa9");  // "abéé": the cut falls inside é
    const std::vector<std::string> v = {"123456", "x"};
    s.SetAttribute("arr", std::span<const std::string>(v));
  }
  const Attributes& a = rp.Only().attributes;
  EXPECT_EQ(*Find(a, "ascii"), AttributeValue(std::string("abcd")));
  EXPECT_EQ(*Find(a, "utf8"), AttributeValue(std::string("ab\xc3\xa9")));
  EXPECT_EQ(*Find(a, "arr"), AttributeValue(std::vector<std::string>{"1234", "x"}));
}

TEST(SpanTest, EventsAreRecordedWithTimeAndAttributes) {
  RecordingProvider rp;
  {
    Span s = rp.tracer->StartSpan("op");
    const Attribute attrs[] = {{"k", std::string("v")}};
    s.AddEvent("cache.miss", attrs, 1234);
    s.AddEvent("retry");
  }
  const auto& ev = rp.Only().events;
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].name, "cache.miss");
  EXPECT_EQ(ev[0].time_unix_nano, 1234u);
  EXPECT_EQ(ev[0].attributes, (Attributes{{"k", std::string("v")}}));
  EXPECT_EQ(ev[1].name, "retry");
  EXPECT_GE(ev[1].time_unix_nano, rp.Only().start_unix_nano);
}

TEST(SpanTest, EventsAndLinksPastTheirLimitsAreDroppedAndCounted) {
  SpanLimits limits;
  limits.event_count = 1;
  limits.link_count = 1;
  limits.attributes_per_event = 1;
  RecordingProvider rp(limits);
  const SpanContext other(NewRandomTraceId(), NewRandomSpanId(), TraceFlags(1), true);
  {
    Span s = rp.tracer->StartSpan("op");
    const Attribute attrs[] = {{"a", true}, {"b", false}};
    s.AddEvent("e1", attrs);
    s.AddEvent("e2");
    s.AddLink(other);
    s.AddLink(other);
  }
  const SpanData& d = rp.Only();
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].attributes.size(), 1u);
  EXPECT_EQ(d.events[0].dropped_attributes_count, 1u);
  EXPECT_EQ(d.dropped_events_count, 1u);
  ASSERT_EQ(d.links.size(), 1u);
  EXPECT_EQ(d.links[0].context, other);
  EXPECT_EQ(d.dropped_links_count, 1u);
}

TEST(SpanTest, LinkToAnInvalidContextWithoutDataIsIgnored) {
  RecordingProvider rp;
  {
    Span s = rp.tracer->StartSpan("op");
    s.AddLink(SpanContext());
    const Attribute attrs[] = {{"why", std::string("batch")}};
    s.AddLink(SpanContext(), attrs);
  }
  EXPECT_EQ(rp.Only().links.size(), 1u);
}

TEST(SpanTest, RecordExceptionAddsAnExceptionEvent) {
  RecordingProvider rp;
  {
    Span s = rp.tracer->StartSpan("op");
    s.RecordException("std::runtime_error", "boom", "at main()");
  }
  ASSERT_EQ(rp.Only().events.size(), 1u);
  const SpanEvent& e = rp.Only().events[0];
  EXPECT_EQ(e.name, "exception");
  EXPECT_EQ(*Find(e.attributes, "exception.type"),
            AttributeValue(std::string("std::runtime_error")));
  EXPECT_EQ(*Find(e.attributes, "exception.message"), AttributeValue(std::string("boom")));
  EXPECT_EQ(*Find(e.attributes, "exception.stacktrace"), AttributeValue(std::string("at main()")));
}

TEST(SpanTest, StatusOkIsFinal) {
  RecordingProvider rp;
  {
    Span s = rp.tracer->StartSpan("op");
    s.SetStatus(SpanStatusCode::kOk, "ignored for ok");
    s.SetStatus(SpanStatusCode::kError, "too late");
  }
  EXPECT_EQ(rp.Only().status, (SpanStatus{SpanStatusCode::kOk, ""}));
}

TEST(SpanTest, StatusErrorKeepsItsMessageAndUnsetIsIgnored) {
  RecordingProvider rp;
  {
    Span s = rp.tracer->StartSpan("op");
    s.SetStatus(SpanStatusCode::kError, "db down");
    s.SetStatus(SpanStatusCode::kUnset);
  }
  EXPECT_EQ(rp.Only().status, (SpanStatus{SpanStatusCode::kError, "db down"}));
}

TEST(SpanTest, StatusErrorCanBeOverriddenByOk) {
  RecordingProvider rp;
  {
    Span s = rp.tracer->StartSpan("op");
    s.SetStatus(SpanStatusCode::kError, "retrying");
    s.SetStatus(SpanStatusCode::kOk);
  }
  EXPECT_EQ(rp.Only().status, (SpanStatus{SpanStatusCode::kOk, ""}));
}

TEST(SpanTest, UpdateNameRenamesTheSpan) {
  RecordingProvider rp;
  {
    Span s = rp.tracer->StartSpan("GET");
    s.UpdateName("GET /users/{id}");
  }
  EXPECT_EQ(rp.Only().name, "GET /users/{id}");
}

TEST(SpanTest, EndIsIdempotentAndStopsRecording) {
  RecordingProvider rp;
  Span s = rp.tracer->StartSpan("op", {.start_unix_nano = 100});
  EXPECT_TRUE(s.IsRecording());
  s.End(200);
  EXPECT_FALSE(s.IsRecording());
  s.SetAttribute("after", 1);
  s.End(300);
  ASSERT_EQ(rp.processor->ended().size(), 1u);
  EXPECT_EQ(rp.Only().end_unix_nano, 200u);
  EXPECT_TRUE(rp.Only().attributes.empty());
}

TEST(SpanTest, EndTimeIsNeverBeforeStartTime) {
  RecordingProvider rp;
  rp.tracer->StartSpan("op", {.start_unix_nano = 500}).End(400);
  EXPECT_EQ(rp.Only().end_unix_nano, 500u);
}

TEST(SpanTest, DestructorEndsAnUnendedSpan) {
  RecordingProvider rp;
  { Span s = rp.tracer->StartSpan("op"); }
  ASSERT_EQ(rp.processor->ended().size(), 1u);
  EXPECT_GE(rp.Only().end_unix_nano, rp.Only().start_unix_nano);
}

TEST(SpanTest, MoveAssignmentEndsTheOverwrittenSpan) {
  RecordingProvider rp;
  Span a = rp.tracer->StartSpan("first");
  a = rp.tracer->StartSpan("second");
  ASSERT_EQ(rp.processor->ended().size(), 1u);
  EXPECT_EQ(rp.Only().name, "first");
  EXPECT_EQ(a.IsRecording(), true);
}

TEST(SpanTest, NonRecordingSpanIgnoresEverythingButKeepsAContext) {
  RecordingProvider rp({}, MakeAlwaysOffSampler());
  Span s = rp.tracer->StartSpan("op");
  EXPECT_FALSE(s.IsRecording());
  EXPECT_TRUE(s.context().IsValid());
  EXPECT_FALSE(s.context().IsSampled());
  s.SetAttribute("k", 1);
  s.AddEvent("e");
  s.End();
  EXPECT_TRUE(rp.processor->ended().empty());
}

TEST(SpanTest, RecycledSpanDataCarriesNothingOfTheEarlierSpan) {
  RecordingProvider rp;
  {
    Span s = rp.tracer->StartSpan("big");
    for (int i = 0; i < 5; ++i) s.SetAttribute("key.number." + std::to_string(i), "value");
    s.AddEvent("e");
    s.AddLink(SpanContext(NewRandomTraceId(), NewRandomSpanId(), TraceFlags(1), true));
    s.SetStatus(SpanStatusCode::kError, "bad");
  }
  rp.processor->RecycleAll();
  {
    Span s = rp.tracer->StartSpan("small");
    s.SetAttribute("only", 1);
  }
  const SpanData& d = rp.Only();
  EXPECT_EQ(d.name, "small");
  EXPECT_EQ(d.attributes, (Attributes{{"only", int64_t{1}}}));
  EXPECT_TRUE(d.events.empty());
  EXPECT_TRUE(d.links.empty());
  EXPECT_EQ(d.status, SpanStatus());
}

}  // namespace
}  // namespace tracewire::trace
