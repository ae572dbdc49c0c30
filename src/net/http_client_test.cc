#include "net/http_client.h"

#include <gtest/gtest.h>

#include <chrono>

#include "net/testing/raw_tcp.h"

namespace tracewire::net {
namespace {

using std::chrono::milliseconds;
using testing::ReadOneRequest;
using testing::ScriptedServer;
using testing::SendAll;

constexpr std::string_view kOk = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

HttpRequest Post(std::string body) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/v1/traces";
  r.headers.Add("Content-Type", "application/x-protobuf");
  r.body = std::move(body);
  return r;
}

TEST(HttpClientTest, SendsHostAndContentLengthAndReadsTheResponse) {
  std::string seen;
  ScriptedServer server([&](int fd, int) {
    seen = ReadOneRequest(fd);
    SendAll(fd, kOk);
  });
  auto client = HttpClient::Create("127.0.0.1", server.port());
  StatusOr<HttpResponse> response = client->Send(Post("abc"), milliseconds(5000));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "ok");
  std::string expected_start =
      "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n";
  EXPECT_EQ(seen.substr(0, expected_start.size()), expected_start);
  EXPECT_NE(seen.find("\r\nContent-Length: 3\r\n\r\nabc"), std::string::npos);
}

TEST(HttpClientTest, ReusesTheKeptAliveConnection) {
  ScriptedServer server([&](int fd, int) {
    for (int i = 0; i < 3 && !ReadOneRequest(fd).empty(); ++i) SendAll(fd, kOk);
  });
  auto client = HttpClient::Create("127.0.0.1", server.port());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client->Send(Post("x"), milliseconds(5000)).ok());
  EXPECT_EQ(server.accepted(), 1);
}

TEST(HttpClientTest, ReconnectsOnceWhenAReusedConnectionClosesBeforeAnyResponseByte) {
  ScriptedServer server([&](int fd, int index) {
    ReadOneRequest(fd);
    if (index == 0) {
      SendAll(fd, kOk);
      ReadOneRequest(fd);  // the second request arrives; close without answering
      return;
    }
    SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nagain");
  });
  auto client = HttpClient::Create("127.0.0.1", server.port());
  ASSERT_TRUE(client->Send(Post("1"), milliseconds(5000)).ok());
  StatusOr<HttpResponse> second = client->Send(Post("2"), milliseconds(5000));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->body, "again");
  EXPECT_EQ(server.accepted(), 2);
}

TEST(HttpClientTest, DoesNotRetryAFreshConnectionThatCloses) {
  ScriptedServer server([&](int fd, int) { ReadOneRequest(fd); });
  auto client = HttpClient::Create("127.0.0.1", server.port());
  StatusOr<HttpResponse> response = client->Send(Post("x"), milliseconds(5000));
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(server.accepted(), 1);
}

TEST(HttpClientTest, ReportsDeadlineExceededWhenTheServerIsSilent) {
  ScriptedServer server([&](int fd, int) {
    ReadOneRequest(fd);
    std::this_thread::sleep_for(milliseconds(400));
  });
  auto client = HttpClient::Create("127.0.0.1", server.port());
  auto start = std::chrono::steady_clock::now();
  StatusOr<HttpResponse> response = client->Send(Post("x"), milliseconds(100));
  EXPECT_EQ(response.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(350));
}

TEST(HttpClientTest, ReportsUnavailableWhenNothingListens) {
  auto client = HttpClient::Create("127.0.0.1", testing::UnusedPort());
  EXPECT_EQ(client->Send(Post("x"), milliseconds(2000)).status().code(), StatusCode::kUnavailable);
}

TEST(HttpClientTest, ReadsChunkedResponsesAndSkipsInterimOnes) {
  ScriptedServer server([&](int fd, int) {
    ReadOneRequest(fd);
    SendAll(fd,
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"
            "Transfer-Encoding: chunked\r\n\r\n4\r\nwiki\r\n5\r\npedia\r\n0\r\n\r\n");
  });
  auto client = HttpClient::Create("127.0.0.1", server.port());
  StatusOr<HttpResponse> response = client->Send(Post("x"), milliseconds(5000));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, "wikipedia");
}

TEST(HttpClientTest, ReadsABodyDelimitedByConnectionClose) {
  ScriptedServer server([&](int fd, int) {
    ReadOneRequest(fd);
    SendAll(fd, "HTTP/1.1 200 OK\r\n\r\nuntil the end");
  });
  auto client = HttpClient::Create("127.0.0.1", server.port());
  StatusOr<HttpResponse> response = client->Send(Post("x"), milliseconds(5000));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->body, "until the end");
}

TEST(HttpClientTest, OpensANewConnectionAfterConnectionClose) {
  ScriptedServer server([&](int fd, int) {
    ReadOneRequest(fd);
    SendAll(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  });
  auto client = HttpClient::Create("127.0.0.1", server.port());
  ASSERT_TRUE(client->Send(Post("1"), milliseconds(5000)).ok());
  ASSERT_TRUE(client->Send(Post("2"), milliseconds(5000)).ok());
  EXPECT_EQ(server.accepted(), 2);
}

TEST(HttpClientTest, ReportsAMalformedResponseAsDataLoss) {
  ScriptedServer server([&](int fd, int) {
    ReadOneRequest(fd);
    SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n");
  });
  auto client = HttpClient::Create("127.0.0.1", server.port());
  EXPECT_EQ(client->Send(Post("x"), milliseconds(5000)).status().code(), StatusCode::kDataLoss);
}

TEST(HttpClientTest, RejectsAResponseBodyOverTheLimit) {
  ScriptedServer server([&](int fd, int) {
    ReadOneRequest(fd);
    SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
  });
  HttpClientOptions options;
  options.max_response_body_bytes = 10;
  auto client = HttpClient::Create("127.0.0.1", server.port(), options);
  EXPECT_EQ(client->Send(Post("x"), milliseconds(5000)).status().code(),
            StatusCode::kResourceExhausted);
}

TEST(HttpClientTest, RejectsHeaderValuesThatWouldBreakTheFraming) {
  auto client = HttpClient::Create("127.0.0.1", testing::UnusedPort());
  HttpRequest request = Post("x");
  request.headers.Add("X-Evil", "a\r\nInjected: yes");
  EXPECT_EQ(client->Send(request, milliseconds(1000)).status().code(),
            StatusCode::kInvalidArgument);
}

// ---- HttpUrl ----

TEST(HttpUrlTest, ParsesHostPortAndTarget) {
  StatusOr<HttpUrl> url = HttpUrl::Parse("http://collector.local:4318/v1/traces?a=b#frag");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "collector.local");
  EXPECT_EQ(url->port, 4318);
  EXPECT_EQ(url->target, "/v1/traces?a=b");
}

TEST(HttpUrlTest, DefaultsToPort80AndRootTarget) {
  StatusOr<HttpUrl> url = HttpUrl::Parse("HTTP://example.com");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->port, 80);
  EXPECT_EQ(url->target, "/");
}

TEST(HttpUrlTest, ParsesBracketedIpv6Hosts) {
  StatusOr<HttpUrl> url = HttpUrl::Parse("http://[::1]:8080?q");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->target, "/?q");
}

TEST(HttpUrlTest, RejectsHttpsAsUnimplemented) {
  EXPECT_EQ(HttpUrl::Parse("https://x/").status().code(), StatusCode::kUnimplemented);
}

TEST(HttpUrlTest, RejectsMalformedUrls) {
  for (std::string_view bad :
       {"example.com", "ftp://x/", "http://", "http://:80/", "http://x:0/", "http://x:65536/",
        "http://x:8a/", "http://x:/", "http://u@x/", "http://[::1/", "http://x/a b"}) {
    EXPECT_EQ(HttpUrl::Parse(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace tracewire::net
