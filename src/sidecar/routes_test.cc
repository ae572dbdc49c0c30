#include "sidecar/routes.h"

#include <gtest/gtest.h>

namespace tracewire::sidecar {
namespace {

std::vector<RouteConfig> Routes() {
  std::vector<RouteConfig> routes(4);
  routes[0].host = "catalog";
  routes[0].path_prefix = "/v1/";
  routes[1].path_prefix = "/trpc.";
  routes[2].func_prefix = "/trpc.test.echo.";
  routes[3].callee = "trpc.other.Svc";
  return routes;
}

TEST(SidecarRoutesTest, HttpFirstMatchWithHostPortAndCaseIgnored) {
  const auto routes = Routes();
  EXPECT_EQ(MatchHttpRoute(routes, "/v1/items", "Catalog:8080"), 0);
  EXPECT_EQ(MatchHttpRoute(routes, "/v2/items", "catalog"), -1);  // both fields must match
  EXPECT_EQ(MatchHttpRoute(routes, "/trpc.x/Y", "catalog"), 1);
  EXPECT_EQ(MatchHttpRoute(routes, "/trpc.x/Y", ""), 1);
  EXPECT_EQ(MatchHttpRoute(routes, "/", "catalog"), -1);
  EXPECT_EQ(MatchHttpRoute(routes, "/v1/", "catalogue"), -1);
}

TEST(SidecarRoutesTest, TrpcRoutesIgnoreHttpOnes) {
  const auto routes = Routes();
  EXPECT_EQ(MatchTrpcRoute(routes, "/trpc.test.echo.Echo/Echo", "x"), 2);
  EXPECT_EQ(MatchTrpcRoute(routes, "/trpc.a.B/C", "trpc.other.Svc"), 3);
  EXPECT_EQ(MatchTrpcRoute(routes, "/trpc.a.B/C", "trpc.other.Svc2"), -1);
  EXPECT_EQ(MatchHttpRoute(std::span(routes).subspan(2), "/trpc.test.echo.E/M", ""), -1);
}

TEST(SidecarRoutesTest, HostWithoutPort) {
  EXPECT_EQ(HostWithoutPort("a.b:8080"), "a.b");
  EXPECT_EQ(HostWithoutPort("a.b"), "a.b");
  EXPECT_EQ(HostWithoutPort("[::1]:80"), "[::1]");
  EXPECT_EQ(HostWithoutPort("[::1]"), "[::1]");
  EXPECT_EQ(HostWithoutPort(""), "");
}

}  // namespace
}  // namespace tracewire::sidecar
