// Arbitrary bytes as a block's files: opening and reading the block must give an error or
// data, never crash. The input is split into index.tw | spans.tw | logs.tw at the first two
// occurrences of "\n--\n" (a seed block keeps them apart); whatever Open accepts is then
// queried page by page.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "store/block/block.h"
#include "store/block/block_index.h"
#include "store/block/span_page.h"
#include "store/format/row_format.h"
#include "store/io/fault_file_system.h"

using namespace tracewire::store;  // NOLINT(google-build-using-namespace)

namespace {
// The shared strings format-3 page seeds were written against (span_page_test.cc,
// DISABLED_WriteFuzzSeed: the same four strings, in this order).
const block::SharedStrings& FuzzSharedStrings() {
  static const std::string_view kStrings[] = {"checkout", "/cart", "GET /cart", "SELECT cart"};
  static const block::SharedStrings shared(kStrings);
  return shared;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view parts[3];
  for (int i = 0; i < 2; ++i) {
    const size_t at = in.find("\n--\n");
    parts[i] = in.substr(0, at);
    in = at == std::string_view::npos ? std::string_view() : in.substr(at + 4);
  }
  parts[2] = in;
  // A raw span page and log page decode as well.
  (void)block::DecodeSpanPage(std::string(parts[0]));
  (void)block::DecodeSpanPage(std::string(parts[0]), FuzzSharedStrings());
  (void)format::DecodeLogs(std::string(parts[0]));
  (void)block::DecodeBlockIndex(parts[0]);

  FaultFileSystem fs;
  (void)fs.SetFileContents("/b/index.tw", parts[0]);
  (void)fs.SetFileContents("/b/spans.tw", parts[1]);
  (void)fs.SetFileContents("/b/logs.tw", parts[2]);
  auto b = block::Block::Open(&fs, "/b");
  if (!b.ok()) return 0;
  const auto& x = (*b)->index();
  for (uint32_t p = 0; p < x.span_pages.size() && p < 8; ++p) (void)(*b)->ReadSpanPage(p);
  for (uint32_t p = 0; p < x.log_pages.size() && p < 8; ++p) (void)(*b)->ReadLogPage(p);
  for (uint32_t t = 0; t < x.traces.size() && t < 64; ++t) {
    (void)(*b)->Part(t);
    (void)(*b)->FindTrace(x.traces[t].id);
    (void)(*b)->LogPagesFor(x.traces[t].id);
  }
  return 0;
}
