// Span pages round trip, with and without a block's shared strings (format 3 and 2).
#include "store/block/span_page.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "store/block/block.h"
#include "store/block/block_writer.h"
#include "store/format/row_format.h"
#include "store/io/fault_file_system.h"
#include "store/testing/batch_builder.h"

namespace tracewire::store::block {
namespace {

using testing::BatchBuilder;
using testing::TraceIdOf;

// `traces` traces of 3 spans: a recurring service/name/attribute set plus a value unique to
// each span, so some strings recur on every page and some never do.
std::shared_ptr<const model::SpanBatch> Spans(int traces) {
  BatchBuilder b;
  const uint32_t res = b.Resource("checkout", {b.Kv("host.name", "node-7")});
  for (int t = 0; t < traces; ++t) {
    const model::TraceId id = TraceIdOf(1, static_cast<uint64_t>(t) + 1);
    const uint64_t base = static_cast<uint64_t>(t) * 10;
    for (uint64_t s = 1; s <= 3; ++s) {
      b.Span(res, id, base + s, s == 1 ? 0 : base + 1, s == 1 ? "GET /cart" : "SELECT cart",
             1'000'000 * t + s, 500 + s,
             {b.Kv("http.route", "/cart"), b.Kv("user.id", "u" + std::to_string(t * 3 + s)),
              b.KvInt("attempt", static_cast<int64_t>(s))});
    }
  }
  return b.Finish();
}

std::vector<format::SpanRef> Refs(const std::shared_ptr<const model::SpanBatch>& batch) {
  std::vector<format::SpanRef> refs;
  for (uint32_t i = 0; i < batch->spans.size(); ++i) refs.push_back({batch.get(), i});
  return refs;
}

void ExpectSame(const model::SpanBatch& want, const model::SpanBatch& got) {
  ASSERT_EQ(got.spans.size(), want.spans.size());
  for (size_t i = 0; i < want.spans.size(); ++i) {
    const model::Span& a = want.spans[i];
    const model::Span& b = got.spans[i];
    EXPECT_EQ(a.span_id, b.span_id);
    EXPECT_EQ(a.parent_span_id, b.parent_span_id);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.start_time_unix_nano, b.start_time_unix_nano);
    ASSERT_EQ(a.attributes.size(), b.attributes.size());
    for (size_t k = 0; k < a.attributes.size(); ++k) {
      EXPECT_EQ(a.attributes[k].key, b.attributes[k].key);
      EXPECT_EQ(a.attributes[k].value, b.attributes[k].value);
    }
    EXPECT_EQ(got.resources[b.resource_index].service_name, "checkout");
  }
}

TEST(SpanPageTest, RoundTripsWithoutSharedStrings) {
  const auto batch = Spans(20);
  const auto refs = Refs(batch);
  auto page = DecodeSpanPage(EncodeSpanPage(refs));
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ExpectSame(*batch, **page);
}

TEST(SpanPageTest, SharedStringsAreTheOnesThatRecurAcrossPagesAndShrinkEachPage) {
  const auto batch = Spans(2000);  // 6000 spans: several pages' worth
  const auto refs = Refs(batch);
  const SharedStrings shared = ChooseSharedStrings(refs);
  std::vector<std::string_view> chosen;
  for (size_t i = 0; i < shared.size(); ++i) chosen.push_back(shared.at(i));
  EXPECT_NE(std::find(chosen.begin(), chosen.end(), "checkout"), chosen.end());
  EXPECT_NE(std::find(chosen.begin(), chosen.end(), "/cart"), chosen.end());
  EXPECT_NE(std::find(chosen.begin(), chosen.end(), "SELECT cart"), chosen.end());
  EXPECT_EQ(std::find(chosen.begin(), chosen.end(), "u5"), chosen.end());  // one span's only

  format::StringDict dict;
  for (std::string_view s : chosen) dict.Intern(s);
  const auto first = std::span<const format::SpanRef>(refs).subspan(0, 300);
  const std::string with = EncodeSpanPage(first, dict);
  const std::string without = EncodeSpanPage(first);
  EXPECT_LT(with.size(), without.size());

  auto page = DecodeSpanPage(with, shared);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  auto want = std::make_shared<model::SpanBatch>();
  want->spans.assign(batch->spans.begin(), batch->spans.begin() + 300);
  ExpectSame(*want, **page);
  // The decoded batch keeps its own copy of the shared strings.
  const std::string_view name = (*page)->spans[0].name;
  EXPECT_FALSE(name.data() >= shared.bytes().data() &&
               name.data() < shared.bytes().data() + shared.bytes().size());

  // A page read against the wrong shared strings is refused, not misread.
  EXPECT_FALSE(DecodeSpanPage(with).ok());
  EXPECT_FALSE(DecodeSpanPage(without, shared).ok());
}

TEST(SpanPageTest, ABlockWithSharedStringsReadsBackEverySpan) {
  const auto batch = Spans(2000);
  BlockContents c;
  c.id = 7;
  c.spans = Refs(batch);
  FaultFileSystem fs;
  ASSERT_TRUE(fs.CreateDirs("/blocks").ok());
  auto dir = WriteBlock(&fs, "/blocks", std::move(c), engine::IndexedKeys({}));
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  auto block = Block::Open(&fs, *dir);
  ASSERT_TRUE(block.ok()) << block.status().ToString();
  EXPECT_FALSE((*block)->index().shared_strings.empty());
  ASSERT_GT((*block)->index().span_pages.size(), 2u);
  auto all = std::make_shared<model::SpanBatch>();
  for (uint32_t p = 0; p < (*block)->index().span_pages.size(); ++p) {
    auto page = (*block)->ReadSpanPage(p);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    all->Absorb(std::move(**page));
  }
  ExpectSame(*batch, *all);
}

TEST(SpanPageTest, ResourcesRepeatedByEveryBatchAreStoredOncePerPage) {
  const auto a = Spans(2);
  const auto b = Spans(2);  // the same resource and scope, from another batch
  std::vector<format::SpanRef> refs = Refs(a);
  for (uint32_t i = 0; i < b->spans.size(); ++i) refs.push_back({b.get(), i});
  auto page = DecodeSpanPage(EncodeSpanPage(refs));
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ((*page)->resources.size(), 1u);
  EXPECT_EQ((*page)->scopes.size(), 1u);
  ASSERT_EQ((*page)->spans.size(), 12u);
  for (const model::Span& s : (*page)->spans) {
    EXPECT_EQ((*page)->resources[s.resource_index].service_name, "checkout");
  }
}

TEST(SpanPageTest, SmallBlocksShareNothing) {
  const auto batch = Spans(100);
  EXPECT_TRUE(ChooseSharedStrings(Refs(batch)).empty());
}

// Writes a format-3 page for store_block_reader_fuzz, against the shared strings that fuzz
// target uses (run with TW_FUZZ_SEED_DIR=fuzz/corpus --gtest_also_run_disabled_tests).
TEST(SpanPageTest, DISABLED_WriteFuzzSeed) {
  const char* out = std::getenv("TW_FUZZ_SEED_DIR");
  ASSERT_NE(out, nullptr);
  format::StringDict shared;
  for (std::string_view s : {"checkout", "/cart", "GET /cart", "SELECT cart"}) shared.Intern(s);
  const auto batch = Spans(4);
  std::ofstream(std::string(out) + "/store_block_reader_fuzz/page3", std::ios::binary)
      << EncodeSpanPage(Refs(batch), shared);
}

}  // namespace
}  // namespace tracewire::store::block
