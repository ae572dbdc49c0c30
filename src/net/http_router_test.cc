#include "net/http_router.h"

#include <gtest/gtest.h>

namespace tracewire::net {
namespace {

HttpRouter MakeRouter() {
  HttpRouter router;
  router.Handle("POST", "/v1/traces", [](const HttpRequest& r) {
    HttpResponse response;
    response.body = "traces:" + r.body;
    return response;
  });
  router.Handle("GET", "/v1/traces", [](const HttpRequest&) {
    HttpResponse response;
    response.body = "list";
    return response;
  });
  return router;
}

HttpRequest Request(std::string method, std::string target) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  return r;
}

TEST(HttpRouterTest, DispatchesOnMethodAndPathIgnoringTheQuery) {
  HttpRouter router = MakeRouter();
  HttpRequest post = Request("POST", "/v1/traces?x=1");
  post.body = "b";
  EXPECT_EQ(router(post).body, "traces:b");
  EXPECT_EQ(router(Request("GET", "/v1/traces")).body, "list");
}

TEST(HttpRouterTest, AnswersUnknownPathsWith404) {
  EXPECT_EQ(MakeRouter()(Request("GET", "/nope")).status, 404);
}

TEST(HttpRouterTest, AnswersAKnownPathWithAnotherMethodWith405AndAllow) {
  HttpResponse response = MakeRouter()(Request("PUT", "/v1/traces"));
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers.Get("allow"), "POST, GET");
}

TEST(HttpRouterTest, ALaterRouteReplacesAnEarlierOne) {
  HttpRouter router = MakeRouter();
  router.Handle("GET", "/v1/traces", [](const HttpRequest&) {
    HttpResponse response;
    response.body = "replaced";
    return response;
  });
  EXPECT_EQ(router(Request("GET", "/v1/traces")).body, "replaced");
}

}  // namespace
}  // namespace tracewire::net
