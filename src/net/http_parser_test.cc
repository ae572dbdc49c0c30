#include "net/http_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tracewire::net {
namespace {

// Feeds `bytes` in pieces of `piece` bytes; returns the parser's state after the first
// completed message (or all input).
void FeedInPieces(HttpMessageParser& parser, std::string_view bytes, size_t piece) {
  while (!bytes.empty() && !parser.done() && !parser.failed()) {
    std::string_view chunk = bytes.substr(0, piece);
    size_t used = parser.Feed(chunk);
    bytes.remove_prefix(used);
    if (used < chunk.size()) break;
  }
}

HttpParseError RequestError(std::string_view bytes, HttpParseLimits limits = {}) {
  HttpRequestParser parser(limits);
  parser.Feed(bytes);
  return parser.error();
}

constexpr std::string_view kPost =
    "POST /v1/traces?x=1 HTTP/1.1\r\n"
    "Host: example.com\r\n"
    "Content-Type:  application/json \r\n"
    "Content-Length: 11\r\n"
    "\r\n"
    "hello world";

TEST(HttpRequestParserTest, ParsesARequestWithContentLength) {
  HttpRequestParser parser;
  EXPECT_EQ(parser.Feed(kPost), kPost.size());
  ASSERT_TRUE(parser.done());
  const HttpRequest& r = parser.request();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/v1/traces?x=1");
  EXPECT_EQ(r.headers.Get("content-type"), "application/json");
  EXPECT_EQ(r.body, "hello world");
  EXPECT_TRUE(parser.keep_alive());
  EXPECT_EQ(parser.minor_version(), 1);
}

TEST(HttpRequestParserTest, ParsesTheSameRequestFedInPiecesOfEverySize) {
  for (size_t piece = 1; piece <= kPost.size(); ++piece) {
    HttpRequestParser parser;
    FeedInPieces(parser, kPost, piece);
    ASSERT_TRUE(parser.done()) << "piece " << piece;
    EXPECT_EQ(parser.request().body, "hello world");
    EXPECT_EQ(parser.request().headers.size(), 3u);
  }
}

TEST(HttpRequestParserTest, StopsAfterOneMessageSoPipelinedRequestsParseInTurn) {
  std::string buf = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n" + std::string(kPost) +
                    "GET /c HTTP/1.1\r\nHost: h\r\n\r\n";
  std::vector<std::string> targets;
  std::string_view rest = buf;
  HttpRequestParser parser;
  while (!rest.empty()) {
    rest.remove_prefix(parser.Feed(rest));
    ASSERT_TRUE(parser.done());
    targets.push_back(parser.request().target);
    parser.Reset();
  }
  EXPECT_EQ(targets, (std::vector<std::string>{"/a", "/v1/traces?x=1", "/c"}));
}

TEST(HttpRequestParserTest, HeadersCompleteBeforeTheBodyArrives) {
  HttpRequestParser parser;
  std::string head =
      "PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
  parser.Feed(head);
  EXPECT_TRUE(parser.headers_complete());
  EXPECT_FALSE(parser.done());
  EXPECT_TRUE(parser.expects_continue());
  parser.Feed("abc");
  EXPECT_TRUE(parser.done());
}

TEST(HttpRequestParserTest, DecodesChunkedBodiesIgnoringExtensionsAndTrailers) {
  constexpr std::string_view kChunked =
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=value\r\nhello\r\n"
      "1\r\n \r\n"
      "A\r\n0123456789\r\n"
      "0\r\nX-Trailer: t\r\n\r\n";
  for (size_t piece : {size_t{1}, size_t{3}, size_t{7}, kChunked.size()}) {
    HttpRequestParser parser;
    FeedInPieces(parser, kChunked, piece);
    ASSERT_TRUE(parser.done()) << parser.error_message();
    EXPECT_EQ(parser.request().body, "hello 0123456789");
    EXPECT_FALSE(parser.request().headers.Get("x-trailer").has_value());
  }
}

TEST(HttpRequestParserTest, SkipsEmptyLinesBeforeTheRequestLine) {
  HttpRequestParser parser;
  parser.Feed("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_TRUE(parser.done());
  EXPECT_EQ(parser.request().target, "/");
}

TEST(HttpRequestParserTest, ConnectionCloseAndHttp10DisableKeepAlive) {
  HttpRequestParser a;
  a.Feed("GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, Close\r\n\r\n");
  ASSERT_TRUE(a.done());
  EXPECT_FALSE(a.keep_alive());
  HttpRequestParser b;
  b.Feed("GET / HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(b.done());
  EXPECT_FALSE(b.keep_alive());
  HttpRequestParser c;
  c.Feed("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  ASSERT_TRUE(c.done());
  EXPECT_TRUE(c.keep_alive());
}

TEST(HttpRequestParserTest, AcceptsEqualDuplicateContentLengths) {
  HttpRequestParser parser;
  parser.Feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok");
  ASSERT_TRUE(parser.done());
  EXPECT_EQ(parser.request().body, "ok");
}

TEST(HttpRequestParserTest, RejectsDifferingContentLengths) {
  EXPECT_EQ(RequestError("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n"
                         "Content-Length: 3\r\n\r\nabc"),
            HttpParseError::kMalformed);
  EXPECT_EQ(RequestError("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2, 3\r\n\r\nabc"),
            HttpParseError::kMalformed);
}

TEST(HttpRequestParserTest, RejectsNonNumericContentLength) {
  EXPECT_EQ(RequestError("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +2\r\n\r\nab"),
            HttpParseError::kMalformed);
  EXPECT_EQ(
      RequestError("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n"),
      HttpParseError::kMalformed);
}

TEST(HttpRequestParserTest, RejectsContentLengthTogetherWithTransferEncoding) {
  EXPECT_EQ(RequestError("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
            HttpParseError::kMalformed);
}

TEST(HttpRequestParserTest, RejectsTransferCodingsOtherThanChunkedAsNotImplemented) {
  HttpRequestParser parser;
  parser.Feed("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
  EXPECT_EQ(parser.error(), HttpParseError::kNotImplemented);
  EXPECT_EQ(HttpStatusForParseError(parser.error()), 501);
  EXPECT_EQ(parser.status().code(), StatusCode::kUnimplemented);
}

TEST(HttpRequestParserTest, RejectsObsoleteLineFolding) {
  EXPECT_EQ(RequestError("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n  continued\r\n\r\n"),
            HttpParseError::kMalformed);
}

TEST(HttpRequestParserTest, RejectsABareLineFeed) {
  EXPECT_EQ(RequestError("GET / HTTP/1.1\nHost: h\r\n\r\n"), HttpParseError::kMalformed);
  EXPECT_EQ(RequestError("GET / HTTP/1.1\r\nHost: h\n\n"), HttpParseError::kMalformed);
}

TEST(HttpRequestParserTest, RejectsABareCarriageReturnInsideAField) {
  EXPECT_EQ(RequestError("GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n"), HttpParseError::kMalformed);
}

TEST(HttpRequestParserTest, RejectsWhitespaceBetweenFieldNameAndColon) {
  EXPECT_EQ(RequestError("GET / HTTP/1.1\r\nHost : h\r\n\r\n"), HttpParseError::kMalformed);
}

TEST(HttpRequestParserTest, RejectsMalformedRequestLines) {
  for (std::string_view line :
       {"GET /\r\n", "GET  / HTTP/1.1\r\n", "G@T / HTTP/1.1\r\n", "GET / HTTP/1.1 \r\n",
        "GET / http/1.1\r\n", "GET /\x01 HTTP/1.1\r\n"}) {
    std::string req = std::string(line) + "Host: h\r\n\r\n";
    EXPECT_EQ(RequestError(req), HttpParseError::kMalformed) << line;
  }
}

TEST(HttpRequestParserTest, AnswersOtherHttpMajorVersionsWith505) {
  HttpRequestParser parser;
  parser.Feed("GET / HTTP/2.0\r\nHost: h\r\n\r\n");
  EXPECT_EQ(parser.error(), HttpParseError::kVersionNotSupported);
  EXPECT_EQ(HttpStatusForParseError(parser.error()), 505);
}

TEST(HttpRequestParserTest, RequiresExactlyOneHostInHttp11) {
  EXPECT_EQ(RequestError("GET / HTTP/1.1\r\n\r\n"), HttpParseError::kMalformed);
  EXPECT_EQ(RequestError("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
            HttpParseError::kMalformed);
}

TEST(HttpRequestParserTest, RejectsAHeaderSectionOverTheByteLimitWith431) {
  HttpParseLimits limits;
  limits.max_header_bytes = 64;
  std::string req = "GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(60, 'a') + "\r\n\r\n";
  EXPECT_EQ(RequestError(req, limits), HttpParseError::kHeaderTooLarge);
  EXPECT_EQ(HttpStatusForParseError(HttpParseError::kHeaderTooLarge), 431);
}

TEST(HttpRequestParserTest, RejectsTheDefault64KiBHeaderLimitEvenWithoutATerminator) {
  HttpRequestParser parser;
  std::string junk = "GET / HTTP/1.1\r\nX: " + std::string(70 * 1024, 'a');
  parser.Feed(junk);
  EXPECT_EQ(parser.error(), HttpParseError::kHeaderTooLarge);
}

TEST(HttpRequestParserTest, AcceptsAHeaderSectionOfExactlyTheLimit) {
  std::string req = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
  HttpParseLimits limits;
  limits.max_header_bytes = req.size();
  HttpRequestParser parser(limits);
  parser.Feed(req);
  EXPECT_TRUE(parser.done());
}

TEST(HttpRequestParserTest, RejectsMoreThanTheMaximumFieldCountWith431) {
  std::string req = "GET / HTTP/1.1\r\nHost: h\r\n";
  for (int i = 0; i < 100; ++i) req += "X-" + std::to_string(i) + ": v\r\n";
  req += "\r\n";
  EXPECT_EQ(RequestError(req), HttpParseError::kHeaderTooLarge);
}

TEST(HttpRequestParserTest, AcceptsExactlyTheMaximumFieldCount) {
  std::string req = "GET / HTTP/1.1\r\nHost: h\r\n";
  for (int i = 0; i < 99; ++i) req += "X-" + std::to_string(i) + ": v\r\n";
  req += "\r\n";
  HttpRequestParser parser;
  parser.Feed(req);
  EXPECT_TRUE(parser.done());
}

TEST(HttpRequestParserTest, RejectsAContentLengthOverTheBodyLimitBeforeTheBodyArrives) {
  HttpParseLimits limits;
  limits.max_body_bytes = 10;
  HttpRequestParser parser(limits);
  parser.Feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n");
  EXPECT_EQ(parser.error(), HttpParseError::kBodyTooLarge);
  EXPECT_EQ(HttpStatusForParseError(parser.error()), 413);
  EXPECT_EQ(parser.status().code(), StatusCode::kResourceExhausted);
}

TEST(HttpRequestParserTest, RejectsAChunkedBodyOverTheBodyLimit) {
  HttpParseLimits limits;
  limits.max_body_bytes = 10;
  EXPECT_EQ(RequestError("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "6\r\nabcdef\r\n6\r\nabcdef\r\n0\r\n\r\n",
                         limits),
            HttpParseError::kBodyTooLarge);
}

TEST(HttpRequestParserTest, RejectsMalformedChunks) {
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (std::string_view body : {"x\r\n", "3\r\nabcd\r\n", "3 x\r\nabc\r\n", "3\nabc\r\n",
                                "fffffffffffffffff\r\n", "0\r\nbad trailer\r\n\r\n"}) {
    EXPECT_EQ(RequestError(head + std::string(body)), HttpParseError::kMalformed) << body;
  }
}

TEST(HttpRequestParserTest, RejectsAnOverlongTrailerSection) {
  HttpParseLimits limits;
  limits.max_header_bytes = 128;
  std::string req = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
  for (int i = 0; i < 20; ++i) req += "X-T: 1234567890\r\n";
  EXPECT_EQ(RequestError(req, limits), HttpParseError::kHeaderTooLarge);
}

TEST(HttpRequestParserTest, ResetClearsAnErrorForTheNextMessage) {
  HttpRequestParser parser;
  parser.Feed("BAD\r\n\r\n");
  ASSERT_TRUE(parser.failed());
  EXPECT_EQ(parser.Feed("more"), 0u);
  parser.Reset();
  parser.Feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_TRUE(parser.done());
}

// ---- Responses ----

TEST(HttpResponseParserTest, ParsesAStatusLineWithoutReasonPhrase) {
  HttpResponseParser parser;
  parser.Feed("HTTP/1.1 204\r\n\r\n");
  ASSERT_TRUE(parser.done());
  EXPECT_EQ(parser.response().status, 204);
  EXPECT_EQ(parser.response().reason, "");
}

TEST(HttpResponseParserTest, ReadsABodyWithoutLengthUntilClose) {
  HttpResponseParser parser;
  parser.Feed("HTTP/1.0 200 OK\r\n\r\npart one ");
  parser.Feed("and two");
  EXPECT_FALSE(parser.done());
  parser.FinishEof();
  ASSERT_TRUE(parser.done());
  EXPECT_EQ(parser.response().body, "part one and two");
  EXPECT_FALSE(parser.keep_alive());
}

TEST(HttpResponseParserTest, FailsWhenTheConnectionClosesMidBody) {
  HttpResponseParser parser;
  parser.Feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
  parser.FinishEof();
  EXPECT_EQ(parser.error(), HttpParseError::kTruncated);
}

TEST(HttpResponseParserTest, IgnoresTheBodyLengthOfAHeadResponse) {
  HttpResponseParser parser;
  parser.set_head_request(true);
  parser.Feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
  ASSERT_TRUE(parser.done());
  EXPECT_EQ(parser.response().body, "");
}

TEST(HttpResponseParserTest, TreatsInterimAndNotModifiedResponsesAsBodiless) {
  HttpResponseParser parser;
  std::string_view bytes = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 304 Not Modified\r\n\r\n";
  bytes.remove_prefix(parser.Feed(bytes));
  ASSERT_TRUE(parser.done());
  EXPECT_EQ(parser.response().status, 100);
  parser.Reset();
  parser.Feed(bytes);
  ASSERT_TRUE(parser.done());
  EXPECT_EQ(parser.response().status, 304);
}

TEST(HttpResponseParserTest, ParsesChunkedResponsesByteByByte) {
  constexpr std::string_view kResponse =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  HttpResponseParser parser;
  FeedInPieces(parser, kResponse, 1);
  ASSERT_TRUE(parser.done());
  EXPECT_EQ(parser.response().body, "abc");
  EXPECT_EQ(parser.response().reason, "OK");
}

TEST(HttpResponseParserTest, RejectsMalformedStatusLines) {
  for (std::string_view bytes :
       {"HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 abc OK\r\n\r\n", "HTTP/1.1  200 OK\r\n\r\n",
        "HTTP/1.1 200OK\r\n\r\n", "ICY 200 OK\r\n\r\n", "HTTP/1.1 099 X\r\n\r\n"}) {
    HttpResponseParser parser;
    parser.Feed(bytes);
    EXPECT_EQ(parser.error(), HttpParseError::kMalformed) << bytes;
  }
}

}  // namespace
}  // namespace tracewire::net
