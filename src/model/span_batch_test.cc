#include "model/span_batch.h"

#include <gtest/gtest.h>

#include <string>

namespace tracewire::model {
namespace {

SpanBatch OneSpanBatch(const std::string& service, const std::string& name) {
  SpanBatch b;
  std::string_view buf = b.storage.AdoptBuffer(service + name);
  b.resources.push_back(Resource{.service_name = buf.substr(0, service.size())});
  b.scopes.push_back(Scope{.name = "scope"});
  Span s;
  s.name = buf.substr(service.size());
  auto attrs = b.storage.arena().AllocateArray<KeyValue>(1);
  attrs[0] = KeyValue{"k", AnyValue::Int(7)};
  s.attributes = attrs;
  b.spans.push_back(s);
  return b;
}

TEST(SpanBatchTest, AbsorbRebasesIndicesAndKeepsViewsAlive) {
  SpanBatch a = OneSpanBatch("a", "short");
  {
    SpanBatch b = OneSpanBatch("b", "op");  // short strings: SSO would break a moved std::string
    a.Absorb(std::move(b));
  }
  ASSERT_EQ(a.spans.size(), 2u);
  EXPECT_EQ(a.resources.size(), 2u);
  EXPECT_EQ(a.spans[1].resource_index, 1u);
  EXPECT_EQ(a.spans[1].scope_index, 1u);
  EXPECT_EQ(a.resources[a.spans[1].resource_index].service_name, "b");
  EXPECT_EQ(a.spans[1].name, "op");
  EXPECT_EQ(a.spans[1].attributes[0].value.int_value(), 7);
  EXPECT_GT(a.bytes_reserved(), 0u);
}

TEST(AnyValueTest, DeepEqualityComparesNestedValues) {
  AnyValue inner[] = {AnyValue::String("x"), AnyValue::Double(1.5)};
  AnyValue same[] = {AnyValue::String("x"), AnyValue::Double(1.5)};
  AnyValue other[] = {AnyValue::String("x"), AnyValue::Double(2.5)};
  EXPECT_EQ(AnyValue::Array(inner), AnyValue::Array(same));
  EXPECT_FALSE(AnyValue::Array(inner) == AnyValue::Array(other));
  EXPECT_FALSE(AnyValue::String("1") == AnyValue::Int(1));
  KeyValue kvs[] = {{"a", AnyValue::Bool(true)}, {"b", AnyValue::Int(3)}};
  ASSERT_NE(FindAttribute(kvs, "b"), nullptr);
  EXPECT_EQ(FindAttribute(kvs, "b")->int_value(), 3);
  EXPECT_EQ(FindAttribute(kvs, "c"), nullptr);
}

}  // namespace
}  // namespace tracewire::model
