#include "net/http_writer.h"

#include <gtest/gtest.h>

#include "net/http_parser.h"

namespace tracewire::net {
namespace {

TEST(HttpWriterTest, WritesARequestWithHostAndContentLength) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/v1/traces";
  request.headers.Add("Content-Type", "application/json");
  request.body = "{}";
  EXPECT_EQ(SerializeRequest(request, "collector:4318"),
            "POST /v1/traces HTTP/1.1\r\nHost: collector:4318\r\n"
            "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
}

TEST(HttpWriterTest, KeepsTheCallersHostField) {
  HttpRequest request;
  request.headers.Add("host", "virtual");
  EXPECT_EQ(SerializeRequest(request, "ignored"),
            "GET / HTTP/1.1\r\nhost: virtual\r\nContent-Length: 0\r\n\r\n");
}

TEST(HttpWriterTest, ReplacesCallerFramingFieldsWithTheRealLength) {
  HttpResponse response;
  response.headers.Add("Content-Length", "999");
  response.headers.Add("Transfer-Encoding", "chunked");
  response.body = "abc";
  EXPECT_EQ(SerializeResponse(response), "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc");
}

TEST(HttpWriterTest, UsesTheStandardReasonPhraseUnlessOneIsGiven) {
  HttpResponse response;
  response.status = 413;
  EXPECT_EQ(SerializeResponse(response).substr(0, 32), "HTTP/1.1 413 Content Too Large\r\n");
  response.reason = "Too Big";
  EXPECT_EQ(SerializeResponse(response).substr(0, 22), "HTTP/1.1 413 Too Big\r\n");
  EXPECT_EQ(StandardReasonPhrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(StandardReasonPhrase(799), "Unknown");
}

TEST(HttpWriterTest, WritesNoLengthOrBodyFor204) {
  HttpResponse response;
  response.status = 204;
  response.body = "dropped";
  EXPECT_EQ(SerializeResponse(response), "HTTP/1.1 204 No Content\r\n\r\n");
}

TEST(HttpWriterTest, OmitsTheBodyButKeepsTheLengthWhenAsked) {
  HttpResponse response;
  response.body = "12345";
  std::string out;
  AppendResponse(response, /*omit_body=*/true, &out);
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
}

TEST(HttpWriterTest, ValidationRejectsFieldsThatWouldInjectLines) {
  HttpRequest request;
  request.headers.Add("X", "a\r\nEvil: 1");
  EXPECT_EQ(ValidateRequest(request).code(), StatusCode::kInvalidArgument);
  HttpResponse response;
  response.headers.Add("Bad Name", "v");
  EXPECT_EQ(ValidateResponse(response).code(), StatusCode::kInvalidArgument);
  response = HttpResponse();
  response.status = 42;
  EXPECT_EQ(ValidateResponse(response).code(), StatusCode::kInvalidArgument);
  request = HttpRequest();
  request.target = "/a b";
  EXPECT_EQ(ValidateRequest(request).code(), StatusCode::kInvalidArgument);
}

TEST(HttpWriterTest, WrittenRequestsParseBackToTheSameRequest) {
  HttpRequest request;
  request.method = "PUT";
  request.target = "/x?y=z";
  request.headers.Add("A", "1");
  request.headers.Add("B", "two words");
  request.body = std::string(1000, 'b');
  HttpRequestParser parser;
  std::string bytes = SerializeRequest(request, "h");
  EXPECT_EQ(parser.Feed(bytes), bytes.size());
  ASSERT_TRUE(parser.done()) << parser.error_message();
  EXPECT_EQ(parser.request().method, "PUT");
  EXPECT_EQ(parser.request().target, "/x?y=z");
  EXPECT_EQ(parser.request().headers.Get("b"), "two words");
  EXPECT_EQ(parser.request().body, request.body);
}

}  // namespace
}  // namespace tracewire::net
