// The protobuf decoders take fields in the usual order and shape on a fast path and everything
// else on the generic loop: both must give the same batch.
#include <gtest/gtest.h>

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/proto_wire.h"
#include "otlp/otlp_decoder.h"
#include "otlp/testing/batch_diff.h"
#include "otlp/testing/random_otlp.h"

namespace tracewire::otlp {
namespace {

using proto_wire::WireReader;
using proto_wire::WireType;
using Rewrite = std::function<std::string(std::string_view)>;

std::string Varint(uint64_t v) {
  char buf[10];
  return std::string(buf, proto_wire::WriteVarint(buf, v));
}

// The fields of a message, each as its raw bytes (tag and value).
std::vector<std::string_view> Fields(std::string_view message) {
  std::vector<std::string_view> fields;
  WireReader r(message);
  while (!r.done()) {
    const char* start = r.position();
    uint32_t field = 0;
    WireType type{};
    EXPECT_TRUE(r.ReadTag(&field, &type) && r.Skip(type));
    fields.emplace_back(start, static_cast<size_t>(r.position() - start));
  }
  return fields;
}

// `message` with every length-delimited field found along `path` (field numbers from the top)
// replaced by rewrite(its bytes).
std::string RewriteAt(std::string_view message, std::span<const uint32_t> path,
                      const Rewrite& rewrite) {
  std::string out;
  WireReader r(message);
  while (!r.done()) {
    const char* start = r.position();
    uint32_t field = 0;
    WireType type{};
    std::string_view value;
    EXPECT_TRUE(r.ReadTag(&field, &type));
    if (field == path[0] && type == WireType::kLen && r.ReadLengthDelimited(&value)) {
      const std::string inner =
          path.size() == 1 ? rewrite(value) : RewriteAt(value, path.subspan(1), rewrite);
      out += Varint(proto_wire::MakeTag(field, WireType::kLen)) + Varint(inner.size()) + inner;
    } else {
      EXPECT_TRUE(r.Skip(type));
      out.append(start, r.position());
    }
  }
  return out;
}

// The first field moved to the end / the last field moved to the front.
std::string FirstToLast(std::string_view m) {
  std::vector<std::string_view> f = Fields(m);
  std::string out;
  for (size_t i = 1; i < f.size(); ++i) out.append(f[i]);
  if (!f.empty()) out.append(f[0]);
  return out;
}
std::string LastToFirst(std::string_view m) {
  std::vector<std::string_view> f = Fields(m);
  std::string out;
  if (!f.empty()) out.append(f.back());
  for (size_t i = 0; i + 1 < f.size(); ++i) out.append(f[i]);
  return out;
}

constexpr uint32_t kSpanPath[] = {1, 2, 2};  // resource_spans.scope_spans.spans
constexpr uint32_t kLogPath[] = {1, 2, 2};   // resource_logs.scope_logs.log_records

// Both requests decode (with `decode`) to equal batches (by `diff`).
template <typename Decode, typename Diff>
void ExpectSameBatch(const std::string& a, const std::string& b, Decode decode, Diff diff) {
  auto da = decode(a);
  auto db = decode(b);
  ASSERT_TRUE(da.ok()) << da.status().ToString();
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ(diff(*da->batch, *db->batch), "");
  EXPECT_EQ(da->rejected, db->rejected);
}
void ExpectSameSpans(const std::string& a, const std::string& b) {
  ExpectSameBatch(
      a, b, [](const std::string& body) { return DecodeTracesProto(body); },
      testing::DiffSpanBatches);
}
void ExpectSameLogs(const std::string& a, const std::string& b) {
  ExpectSameBatch(
      a, b, [](const std::string& body) { return DecodeLogsProto(body); }, testing::DiffLogBatches);
}

TEST(ProtoFastPathTest, SpanFieldsInAnyOrderDecodeLikeTheUsualOrder) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    SCOPED_TRACE(seed);
    const std::string usual = testing::RandomTracesRequest(seed).SerializeAsString();
    ExpectSameSpans(usual, RewriteAt(usual, kSpanPath, FirstToLast));
    ExpectSameSpans(usual, RewriteAt(usual, kSpanPath, LastToFirst));
  }
  const std::string realistic = testing::RealisticTracesRequest(64, 3).SerializeAsString();
  ExpectSameSpans(realistic, RewriteAt(realistic, kSpanPath, FirstToLast));
  ExpectSameSpans(realistic, RewriteAt(realistic, kSpanPath, LastToFirst));
}

TEST(ProtoFastPathTest, LogFieldsInAnyOrderDecodeLikeTheUsualOrder) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    SCOPED_TRACE(seed);
    const std::string usual = testing::RandomLogsRequest(seed).SerializeAsString();
    ExpectSameLogs(usual, RewriteAt(usual, kLogPath, FirstToLast));
    ExpectSameLogs(usual, RewriteAt(usual, kLogPath, LastToFirst));
  }
}

TEST(ProtoFastPathTest, AttributeFieldsInAnyOrderDecodeLikeTheUsualOrder) {
  // KeyValue (value before key) and AnyValue bytes reordered inside every span attribute.
  constexpr uint32_t kAttributePath[] = {1, 2, 2, 9};
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    SCOPED_TRACE(seed);
    const std::string usual = testing::RandomTracesRequest(seed).SerializeAsString();
    ExpectSameSpans(usual, RewriteAt(usual, kAttributePath, LastToFirst));
  }
}

TEST(ProtoFastPathTest, LongTextWithTwoByteLengthsDecodes) {
  auto req = testing::RealisticTracesRequest(2, 5);
  auto* span = req.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(0);
  const std::string long_name(300, 'n');
  const std::string long_value = std::string(200, 'v') + "é";
  span->set_name(long_name);
  auto* kv = span->add_attributes();
  kv->set_key("long");
  kv->mutable_value()->set_string_value(long_value);
  auto decoded = DecodeTracesProto(req.SerializeAsString());
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  const model::Span& s = decoded->batch->spans[0];
  EXPECT_EQ(s.name, long_name);
  ASSERT_FALSE(s.attributes.empty());
  EXPECT_EQ(s.attributes.back().key, "long");
  EXPECT_EQ(s.attributes.back().value.string_value(), long_value);
}

TEST(ProtoFastPathTest, WithMaxValueDepthZeroEveryAttributeValueIsTooDeep) {
  DecodeOptions options;
  options.max_value_depth = 0;
  const std::string body = testing::RealisticTracesRequest(4, 9).SerializeAsString();
  auto decoded = DecodeTracesProto(body, options);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().message().find("nesting deeper than max_value_depth"),
            std::string::npos)
      << decoded.status().message();
}

}  // namespace
}  // namespace tracewire::otlp
