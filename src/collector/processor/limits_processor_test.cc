#include "collector/processor/limits_processor.h"

#include <gtest/gtest.h>

#include "collector/partial_success.h"
#include "collector/testing/fake_components.h"

namespace tracewire::collector {
namespace {

using model::AnyValue;
using testing::MakeSpans;
using testing::RecordingConsumer;

Status Send(LimitsProcessor& p, std::shared_ptr<model::SpanBatch> batch) {
  Status result(StatusCode::kUnknown, "not answered");
  p.ConsumeTraces(std::move(batch), [&result](Status s) { result = std::move(s); });
  return result;
}

TEST(Utf8PrefixTest, NeverCutsInsideASequence) {
  EXPECT_EQ(Utf8Prefix("abcdef", 3), "abc");
  EXPECT_EQ(Utf8Prefix("abc", 10), "abc");
  EXPECT_EQ(Utf8Prefix("\xC3\xA9\xC3\xA9\xC3\xA9", 5), "\xC3\xA9\xC3\xA9");  // éé
  EXPECT_EQ(Utf8Prefix("a\xE2\x82\xAC", 3), "a");                            // a€
  EXPECT_EQ(Utf8Prefix("\xF0\x9F\x98\x80x", 4), "\xF0\x9F\x98\x80");         // 😀
  EXPECT_EQ(Utf8Prefix("\xF0\x9F\x98\x80", 2), "");
}

TEST(LimitsProcessorTest, CutsLongValuesAndMarksTheSpan) {
  RecordingConsumer next("next");
  next.AnswerWith(OkStatus());
  LimitsProcessorConfig c;
  c.max_attribute_value_bytes = 5;
  auto p = NewLimitsProcessor("limits", c, &next, nullptr);
  auto batch = MakeSpans(2);
  model::Arena& arena = batch->storage.arena();
  std::span<model::KeyValue> attrs = arena.AllocateArray<model::KeyValue>(3);
  attrs[0] = {"short", AnyValue::String("ok")};
  attrs[1] = {"long", AnyValue::String("\xC3\xA9\xC3\xA9\xC3\xA9")};
  std::span<AnyValue> items = arena.AllocateArray<AnyValue>(2);
  items[0] = AnyValue::String("0123456789");
  items[1] = AnyValue::Int(7);
  attrs[2] = {"list", AnyValue::Array(items)};
  batch->spans[0].attributes = attrs;
  const model::KeyValue* original = batch->spans[0].attributes.data();
  ASSERT_TRUE(Send(*p, std::move(batch)).ok());

  const model::Span& s = next.span_batches()[0]->spans[0];
  EXPECT_NE(s.attributes.data(), original);  // a new array, in the batch's arena
  ASSERT_EQ(s.attributes.size(), 4u);
  EXPECT_EQ(model::FindAttribute(s.attributes, "short")->string_value(), "ok");
  EXPECT_EQ(model::FindAttribute(s.attributes, "long")->string_value(), "\xC3\xA9\xC3\xA9");
  const AnyValue* list = model::FindAttribute(s.attributes, "list");
  EXPECT_EQ(list->array_value()[0].string_value(), "01234");
  EXPECT_EQ(list->array_value()[1].int_value(), 7);
  EXPECT_EQ(model::FindAttribute(s.attributes, kTruncatedAttributesKey)->int_value(), 2);
  // Untouched spans keep their attributes and get no mark.
  const model::Span& other = next.span_batches()[0]->spans[1];
  EXPECT_EQ(model::FindAttribute(other.attributes, kTruncatedAttributesKey), nullptr);
  EXPECT_EQ(p->stats().truncated_values, 2u);
}

TEST(LimitsProcessorTest, DropsSpansPastThePerTraceLimitAsPartialSuccess) {
  RecordingConsumer next("next");
  next.AnswerWith(OkStatus());
  LimitsProcessorConfig c;
  c.max_spans_per_trace = 3;
  auto p = NewLimitsProcessor("limits", c, &next, nullptr);

  auto batch = MakeSpans(5, /*trace_byte=*/7);
  auto other = MakeSpans(2, /*trace_byte=*/8);
  batch->Absorb(std::move(*other));
  Status s = Send(*p, std::move(batch));
  std::optional<PartialSuccessInfo> partial = ParsePartialSuccess(s);
  ASSERT_TRUE(partial.has_value()) << s.ToString();
  EXPECT_EQ(partial->rejected, 2u);
  EXPECT_NE(partial->message.find("max_spans_per_trace=3"), std::string::npos);

  const auto& kept = next.span_batches()[0]->spans;
  ASSERT_EQ(kept.size(), 5u);  // 3 of trace 7, 2 of trace 8
  EXPECT_EQ(kept[2].name, "span-2");
  const AnyValue* mark = model::FindAttribute(kept[2].attributes, kTraceTruncatedKey);
  ASSERT_NE(mark, nullptr);
  EXPECT_TRUE(mark->bool_value());
  EXPECT_EQ(model::FindAttribute(kept[1].attributes, kTraceTruncatedKey), nullptr);
  EXPECT_EQ(model::FindAttribute(kept[4].attributes, kTraceTruncatedKey), nullptr);

  // Later spans of the full trace are dropped without reaching downstream.
  s = Send(*p, MakeSpans(2, 7));
  ASSERT_TRUE(ParsePartialSuccess(s).has_value());
  EXPECT_EQ(ParsePartialSuccess(s)->rejected, 2u);
  EXPECT_EQ(next.span_batches().size(), 1u);
  // Trace 8 still has room for one.
  EXPECT_EQ(Send(*p, MakeSpans(1, 8)), OkStatus());
  EXPECT_EQ(p->stats().dropped_spans, 4u);
}

TEST(LimitsProcessorTest, DownstreamErrorsWinOverPartialSuccess) {
  RecordingConsumer next("next");
  next.AnswerWith(UnavailableError("disk"));
  LimitsProcessorConfig c;
  c.max_spans_per_trace = 1;
  auto p = NewLimitsProcessor("limits", c, &next, nullptr);
  EXPECT_EQ(Send(*p, MakeSpans(3)).code(), StatusCode::kUnavailable);
}

TEST(TraceSpanCounterTest, EvictsTheLeastRecentlyUsedWhenFull) {
  LimitsProcessorConfig c;
  c.max_spans_per_trace = 1;
  c.max_traces_tracked = 4;  // one set of four
  RecordingConsumer next("next");
  next.AnswerWith(OkStatus());
  auto p = NewLimitsProcessor("limits", c, &next, nullptr);
  for (uint8_t t = 1; t <= 5; ++t) EXPECT_EQ(Send(*p, MakeSpans(1, t)), OkStatus());
  // Trace 1 was evicted by trace 5: it counts from zero again.
  EXPECT_EQ(Send(*p, MakeSpans(1, 1)), OkStatus());
  EXPECT_TRUE(ParsePartialSuccess(Send(*p, MakeSpans(1, 5))).has_value());
}

}  // namespace
}  // namespace tracewire::collector
