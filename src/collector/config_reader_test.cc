#include "collector/config_reader.h"

#include <gtest/gtest.h>

namespace tracewire::collector {
namespace {

using std::chrono::nanoseconds;

TEST(ParseDurationTest, ReadsGoDurations) {
  EXPECT_EQ(*ParseDuration("200ms"), std::chrono::milliseconds(200));
  EXPECT_EQ(*ParseDuration("5s"), std::chrono::seconds(5));
  EXPECT_EQ(*ParseDuration("1m30s"), std::chrono::seconds(90));
  EXPECT_EQ(*ParseDuration("1.5s"), std::chrono::milliseconds(1500));
  EXPECT_EQ(*ParseDuration("72h"), std::chrono::hours(72));
  EXPECT_EQ(*ParseDuration("10us"), std::chrono::microseconds(10));
  EXPECT_EQ(*ParseDuration("0"), nanoseconds(0));
}

TEST(ParseDurationTest, RefusesNumbersWithoutUnitsAndJunk) {
  for (const char* bad : {"", "5", "s", "5x", "-1s", "1s5", "ms5", "99999999999h"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
}

TEST(ParseHostPortTest, ReadsHostsPortsAndIpv6) {
  StatusOr<HostPort> a = ParseHostPort("localhost:4317");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "localhost");
  EXPECT_EQ(a->port, 4317);
  StatusOr<HostPort> b = ParseHostPort("[::1]:0");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "::1");
  StatusOr<HostPort> c = ParseHostPort(":9411");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->host, "");
  for (const char* bad : {"localhost", "host:", "host:65536", "::1:80", "h:x"}) {
    EXPECT_FALSE(ParseHostPort(bad).ok()) << bad;
  }
}

TEST(ConfigMapTest, NamesTheKeyPathOfBadValuesAndUnknownKeys) {
  YAML::Node node = YAML::Load("{a: yes-no, n: 12x, sub: {deep: 1}, extra: 1}");
  StatusOr<ConfigMap> m = ConfigMap::Open(node, "exporters.x");
  ASSERT_TRUE(m.ok());
  bool b = false;
  Status s = m->ReadBool("a", &b);
  EXPECT_EQ(s.message().rfind("exporters.x.a:", 0), 0u) << s.message();
  uint64_t n = 0;
  s = m->ReadUint("n", 0, 100, &n);
  EXPECT_EQ(s.message().rfind("exporters.x.n:", 0), 0u) << s.message();
  StatusOr<ConfigMap> sub = m->Sub("sub");
  ASSERT_TRUE(sub.ok());
  s = sub->CheckNoUnknownKeys();
  EXPECT_EQ(s.message(), "exporters.x.sub.deep: unknown key");
  s = m->CheckNoUnknownKeys();
  EXPECT_EQ(s.message(), "exporters.x.extra: unknown key");
}

TEST(ConfigMapTest, AbsentAndNullKeysKeepDefaults) {
  YAML::Node node = YAML::Load("{a: ~}");
  StatusOr<ConfigMap> m = ConfigMap::Open(node, "p");
  ASSERT_TRUE(m.ok());
  std::string s = "default";
  ASSERT_TRUE(m->ReadString("a", &s).ok());
  ASSERT_TRUE(m->ReadString("b", &s).ok());
  EXPECT_EQ(s, "default");
  EXPECT_TRUE(m->CheckNoUnknownKeys().ok());
  EXPECT_TRUE(ConfigMap::Open(YAML::Node(), "p").ok());
  EXPECT_FALSE(ConfigMap::Open(YAML::Load("[1, 2]"), "p").ok());
}

}  // namespace
}  // namespace tracewire::collector
