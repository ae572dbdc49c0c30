// The fixture of the query HTTP tests: a store filled with query_test_data's traces, the query
// handler behind a real net::HttpServer on port 0, and a net::HttpClient to call it.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "net/http_client.h"
#include "net/http_server.h"
#include "query/query_handler.h"
#include "query/query_test_data.h"
#include "query/query_test_store.h"

namespace tracewire::query::testing {

class QueryHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = MakeTestData(NowNs() - 600'000 * kMs);  // trace A ten minutes ago
    Fill(store_.store(), data_);
    StartServer(QueryOptions{});
  }

  void TearDown() override {
    if (server_) server_->Stop();
  }

  void StartServer(QueryOptions options, int threads = 1) {
    if (server_) server_->Stop();
    net::HttpServerOptions server_options;
    server_options.threads = threads;
    StatusOr<std::unique_ptr<net::HttpServer>> server = net::HttpServer::Start(
        server_options, MakeQueryHandler(store_.store(), std::move(options)));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
    client_ = net::HttpClient::Create("127.0.0.1", server_->port());
  }

  net::HttpResponse Get(const std::string& target, const std::string& authorization = "",
                        const std::string& method = "GET") {
    net::HttpRequest request;
    request.method = method;
    request.target = target;
    if (!authorization.empty()) request.headers.Add("Authorization", authorization);
    StatusOr<net::HttpResponse> response = client_->Send(request, std::chrono::seconds(10));
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? std::move(*response) : net::HttpResponse{};
  }

  // GETs `target`, expects `status` and a JSON body, and returns it parsed.
  nlohmann::json GetJson(const std::string& target, int status = 200,
                         const std::string& authorization = "") {
    net::HttpResponse response = Get(target, authorization);
    EXPECT_EQ(response.status, status) << target << " → " << response.body;
    EXPECT_EQ(response.headers.Get("Content-Type").value_or(""), "application/json") << target;
    nlohmann::json json = nlohmann::json::parse(response.body, nullptr, false);
    EXPECT_FALSE(json.is_discarded()) << target << " → " << response.body;
    return json;
  }

  uint64_t BaseUs() const { return data_.base_ns / 1000; }

  TestStore store_;
  TestData data_;
  std::unique_ptr<net::HttpServer> server_;
  std::unique_ptr<net::HttpClient> client_;
};

}  // namespace tracewire::query::testing
