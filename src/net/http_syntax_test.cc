#include "net/http_syntax.h"

#include <gtest/gtest.h>

namespace tracewire::net {
namespace {

TEST(HttpSyntaxTest, TokensAllowTcharsOnly) {
  EXPECT_TRUE(IsToken("X-Custom_Header.1~"));
  EXPECT_FALSE(IsToken(""));
  EXPECT_FALSE(IsToken("a b"));
  EXPECT_FALSE(IsToken("a:b"));
  EXPECT_FALSE(IsToken("a\"b"));
}

TEST(HttpSyntaxTest, FieldValuesAllowObsTextButNoControls) {
  EXPECT_TRUE(IsFieldValue("a b\tc \xe4"));
  EXPECT_FALSE(IsFieldValue("a\rb"));
  EXPECT_FALSE(IsFieldValue(std::string_view("a\0b", 3)));
  EXPECT_FALSE(IsFieldValue("a\x7f"));
}

TEST(HttpSyntaxTest, FieldLinesTrimOptionalWhitespace) {
  StatusOr<FieldLine> f = ParseFieldLine("Name: \t value with  spaces \t");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->name, "Name");
  EXPECT_EQ(f->value, "value with  spaces");
  ASSERT_TRUE(ParseFieldLine("Empty:").ok());
  EXPECT_EQ(ParseFieldLine("Empty:")->value, "");
}

TEST(HttpSyntaxTest, FieldLinesRejectAnEmptyNameOrMissingColon) {
  EXPECT_FALSE(ParseFieldLine(": v").ok());
  EXPECT_FALSE(ParseFieldLine("novalue").ok());
  EXPECT_FALSE(ParseFieldLine("\tX: folded").ok());
}

TEST(HttpSyntaxTest, ChunkSizesAreHexWithOptionalExtensions) {
  EXPECT_EQ(*ParseChunkSizeLine("1aF"), 0x1afu);
  EXPECT_EQ(*ParseChunkSizeLine("0000010"), 16u);
  EXPECT_EQ(*ParseChunkSizeLine("4 ; a=b;c"), 4u);
  EXPECT_FALSE(ParseChunkSizeLine("").ok());
  EXPECT_FALSE(ParseChunkSizeLine("-1").ok());
  EXPECT_FALSE(ParseChunkSizeLine("4 x").ok());
  EXPECT_FALSE(ParseChunkSizeLine("0x10").ok());
}

TEST(HttpSyntaxTest, ContentLengthIsAbsentOrOneAgreedNumber) {
  HttpHeaders none;
  EXPECT_FALSE(ParseContentLength(none)->has_value());
  HttpHeaders listed;
  listed.Add("Content-Length", "7 , 7");
  EXPECT_EQ(**ParseContentLength(listed), 7u);
  HttpHeaders empty;
  empty.Add("Content-Length", "");
  EXPECT_FALSE(ParseContentLength(empty).ok());
}

TEST(HttpSyntaxTest, TransferEncodingAcceptsChunkedAloneInAnyCase) {
  HttpHeaders chunked;
  chunked.Add("Transfer-Encoding", "Chunked");
  EXPECT_TRUE(ParseTransferEncoding(chunked)->has_value());
  HttpHeaders twice;
  twice.Add("Transfer-Encoding", "chunked");
  twice.Add("Transfer-Encoding", "chunked");
  EXPECT_EQ(ParseTransferEncoding(twice).status().code(), StatusCode::kUnimplemented);
}

TEST(HttpSyntaxTest, StatusLinesKeepTheReasonPhrase) {
  StatusOr<StatusLine> s = ParseStatusLine("HTTP/1.0 404 Not Found");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->minor_version, 0);
  EXPECT_EQ(s->status, 404);
  EXPECT_EQ(s->reason, "Not Found");
  EXPECT_EQ(ParseStatusLine("HTTP/3.0 200 OK").status().code(), StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace tracewire::net
