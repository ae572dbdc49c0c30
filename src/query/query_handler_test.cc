// MakeQueryHandler's own rules over real HTTP: what is outside /api, auth, methods, limits,
// percent-decoding, counters and concurrent use.
#include <string>
#include <thread>
#include <vector>

#include "query/query_test_fixture.h"

namespace tracewire::query::testing {
namespace {

using nlohmann::json;

class QueryHandlerTest : public QueryHttpTest {};

TEST_F(QueryHandlerTest, PathsOutsideTheApiGetAnEmpty404ForTheUiToAnswer) {
  for (const std::string target : {"/", "/index.html", "/apis", "/static/api/services"}) {
    net::HttpResponse response = Get(target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(response.body, "") << target;
  }
}

TEST_F(QueryHandlerTest, UnknownApiRoutesAre404InTheApisShape) {
  EXPECT_EQ(GetJson("/api/nothing", 404)["errors"][0]["code"], 404);
  EXPECT_EQ(GetJson("/api", 404)["errors"][0]["code"], 404);
  EXPECT_EQ(GetJson("/api/services/frontend/operations/more", 404)["errors"][0]["code"], 404);
  EXPECT_EQ(GetJson("/api/v1/nothing", 404)["error"]["code"], 404);
  EXPECT_EQ(GetJson("/api/v1/traces/abc/spans", 404)["error"]["code"], 404);
}

TEST_F(QueryHandlerTest, OnlyGetIsAllowed) {
  for (const std::string method : {"POST", "DELETE", "PUT"}) {
    net::HttpResponse response = Get("/api/services", "", method);
    EXPECT_EQ(response.status, 405) << method;
    EXPECT_EQ(response.headers.Get("Allow").value_or(""), "GET");
  }
}

TEST_F(QueryHandlerTest, TokenIsRequiredWhenConfigured) {
  QueryOptions options;
  options.auth_token = "s3cret-token";
  StartServer(std::move(options));
  for (const std::string auth : {"", "Bearer wrong", "Bearer s3cret-toke", "Bearer s3cret-tokenX",
                                 "Basic s3cret-token", "s3cret-token", "Bearer"}) {
    net::HttpResponse response = Get("/api/services", auth);
    EXPECT_EQ(response.status, 401) << auth;
    EXPECT_EQ(response.headers.Get("WWW-Authenticate").value_or(""), "Bearer");
    EXPECT_EQ(response.body.find("s3cret"), std::string::npos);  // never echoed
    EXPECT_EQ(json::parse(response.body)["errors"][0]["code"], 401);
  }
  EXPECT_EQ(GetJson("/api/v1/services", 401)["error"]["code"], 401);
  EXPECT_EQ(GetJson("/api/services", 200, "Bearer s3cret-token")["total"], 3);
  EXPECT_EQ(GetJson("/api/v1/services", 200, "bearer s3cret-token")["services"].size(), 3u);
  EXPECT_EQ(Get("/index.html").status, 404);  // outside /api: the UI's business
}

TEST_F(QueryHandlerTest, PathSegmentsAndParametersArePercentDecoded) {
  EXPECT_EQ(GetJson("/api/services/%66rontend/operations")["total"], 3);
  EXPECT_EQ(GetJson("/api/v1/services/back%65nd/operations")["operations"].size(), 2u);
  EXPECT_EQ(GetJson("/api/operations?service=%66ront%65nd")["total"], 3);
  EXPECT_EQ(GetJson("/api/services/a%2Fb/operations")["data"], json::array());
}

TEST_F(QueryHandlerTest, MalformedTargetsAre400) {
  EXPECT_EQ(GetJson("/api/traces?service=%zz", 400)["errors"][0]["code"], 400);
  EXPECT_EQ(GetJson("/api/services/%G1/operations", 400)["errors"][0]["code"], 400);
  EXPECT_EQ(GetJson("/api/v1/traces?service=%", 400)["error"]["code"], 400);
  EXPECT_EQ(GetJson("/api//services", 400)["errors"][0]["code"], 400);
}

TEST_F(QueryHandlerTest, QueryStringsAndParameterCountsAreBounded) {
  std::string many = "/api/v1/traces?";
  for (int i = 0; i < 65; ++i) many += "attr=k" + std::to_string(i) + "=v&";
  EXPECT_EQ(GetJson(many, 400)["error"]["code"], 400);
  const std::string huge = "/api/traces?service=" + std::string(17 * 1024, 'x');
  EXPECT_EQ(GetJson(huge, 400)["errors"][0]["code"], 400);
  std::string ids = "/api/traces?";
  for (int i = 1; i <= 65; ++i) ids += "traceID=" + std::to_string(i) + "&";
  EXPECT_EQ(GetJson(ids, 400)["errors"][0]["code"], 400);
}

TEST_F(QueryHandlerTest, CountersFollowTheOutcomes) {
  QueryOptions options;
  options.auth_token = "t";
  options.counters = std::make_shared<QueryCounters>();
  std::shared_ptr<QueryCounters> counters = options.counters;
  StartServer(std::move(options));
  Get("/api/services", "Bearer t");
  Get("/api/services");
  Get("/api/traces", "Bearer t");
  Get("/api/traces/abc", "Bearer t");
  Get("/index.html");
  EXPECT_EQ(counters->requests.load(), 4u);  // /api only
  EXPECT_EQ(counters->unauthorized.load(), 1u);
  EXPECT_EQ(counters->bad_requests.load(), 1u);
  EXPECT_EQ(counters->not_found.load(), 1u);
  EXPECT_EQ(counters->store_errors.load(), 0u);
}

TEST_F(QueryHandlerTest, ServesConcurrentClients) {
  StartServer(QueryOptions{}, /*threads=*/2);
  const uint16_t port = server_->port();
  const std::string target = "/api/traces/" + Hex(data_.trace_a);
  const std::string expected = Get(target).body;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      auto client = net::HttpClient::Create("127.0.0.1", port);
      for (int i = 0; i < 20; ++i) {
        net::HttpRequest request;
        request.target = i % 2 == 0 ? target : "/api/v1/traces?service=backend";
        StatusOr<net::HttpResponse> r = client->Send(request, std::chrono::seconds(10));
        if (r.ok() && r->status == 200 && (i % 2 != 0 || r->body == expected)) ++ok;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 80);
}

}  // namespace
}  // namespace tracewire::query::testing
