#include "collector/receiver/receiver_config.h"

#include <gtest/gtest.h>

namespace tracewire::collector {
namespace {

StatusOr<OtlpReceiverConfig> Otlp(const std::string& yaml) {
  return ParseOtlpReceiverConfig(YAML::Load(yaml), "receivers.otlp");
}

TEST(ReceiverConfigTest, NoConfigStartsBothProtocolsWithTheCollectorsDefaults) {
  for (const char* yaml : {"", "{}", "~"}) {
    auto config = Otlp(yaml);
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    ASSERT_TRUE(config->grpc && config->http);
    EXPECT_EQ(config->grpc->endpoint.ToString(), "127.0.0.1:4317");
    EXPECT_EQ(config->grpc->max_recv_msg_bytes, size_t{4} << 20);
    EXPECT_EQ(config->http->endpoint.ToString(), "127.0.0.1:4318");
    EXPECT_EQ(config->http->max_request_body_bytes, size_t{20} << 20);
    EXPECT_EQ(config->http->traces_url_path, "/v1/traces");
    EXPECT_EQ(config->http->logs_url_path, "/v1/logs");
  }
}

TEST(ReceiverConfigTest, StartsOnlyTheProtocolsNamed) {
  auto config = Otlp("protocols:\n  http:\n");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_FALSE(config->grpc.has_value());
  ASSERT_TRUE(config->http.has_value());
  config = Otlp("protocols: {grpc: {endpoint: '0.0.0.0:14317', max_recv_msg_size_mib: 16}}");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_FALSE(config->http.has_value());
  EXPECT_EQ(config->grpc->endpoint.ToString(), "0.0.0.0:14317");
  EXPECT_EQ(config->grpc->max_recv_msg_bytes, size_t{16} << 20);
}

TEST(ReceiverConfigTest, ReadsEveryHttpKey) {
  auto config = Otlp(R"(
protocols:
  http:
    endpoint: ":4318"
    max_request_body_size: 1048576
    traces_url_path: /t
    logs_url_path: /l
    cors: {allowed_origins: ["http://localhost:*"], allowed_headers: [x-a], max_age: 60}
    auth: {bearer_token: abc}
)");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->http->endpoint.ToString(), "0.0.0.0:4318");
  EXPECT_EQ(config->http->max_request_body_bytes, 1048576u);
  EXPECT_EQ(config->http->traces_url_path, "/t");
  EXPECT_EQ(config->http->cors.allowed_origins.size(), 1u);
  EXPECT_EQ(config->http->cors.max_age_seconds, 60);
  EXPECT_EQ(config->http->bearer_token, "abc");
}

TEST(ReceiverConfigTest, NamesTheFullPathOfBadKeysAndValues) {
  struct Case {
    const char* yaml;
    const char* message;
  } cases[] = {
      {"protocols: {http: {endpont: x}}", "receivers.otlp.protocols.http.endpont"},
      {"protocols: {grpc: {endpoint: nohost}}", "receivers.otlp.protocols.grpc.endpoint"},
      {"protocols: {grpc: {endpoint: 'example.com:4317'}}", "IP address"},
      {"protocols: {http: {traces_url_path: v1}}", "traces_url_path"},
      {"protocols: {http: {cors: {origins: []}}}", "receivers.otlp.protocols.http.cors.origins"},
      {"protocols: {grpc: {auth: {token: x}}}", "receivers.otlp.protocols.grpc.auth.token"},
      {"protocols: {thrift: {}}", "receivers.otlp.protocols.thrift"},
      {"protocols:", "at least one"},
      {"endpoint: x", "receivers.otlp.endpoint"},
  };
  for (const Case& c : cases) {
    auto config = Otlp(c.yaml);
    ASSERT_FALSE(config.ok()) << c.yaml;
    EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(config.status().message().find(c.message), std::string::npos)
        << c.yaml << " → " << config.status().message();
  }
}

TEST(ReceiverConfigTest, ParsesZipkinWithDefaults) {
  auto config = ParseZipkinReceiverConfig(YAML::Load(""), "receivers.zipkin");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->endpoint.ToString(), "127.0.0.1:9411");
  EXPECT_FALSE(config->parse_string_tags);
  config = ParseZipkinReceiverConfig(YAML::Load("{endpoint: '[::]:9412', parse_string_tags: true}"),
                                     "receivers.zipkin");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->endpoint.ToString(), "[::]:9412");
  EXPECT_TRUE(config->parse_string_tags);
  config = ParseZipkinReceiverConfig(YAML::Load("{protocols: {}}"), "receivers.zipkin/2");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("receivers.zipkin/2.protocols"), std::string::npos);
}

}  // namespace
}  // namespace tracewire::collector
