#include "collector/config.h"

#include <gtest/gtest.h>

#include "collector/exporter/tracewire_exporter.h"
#include "collector/processor/batch_processor.h"
#include "collector/query_extension_config.h"
#include "collector/testing/fake_components.h"

namespace tracewire::collector {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  ConfigTest() : registry_(DefaultRegistryWithoutReceivers()) { world_.Register(registry_); }

  StatusOr<CollectorConfig> Parse(const std::string& yaml) {
    return ParseCollectorConfig(yaml, registry_);
  }

  testing::FakeWorld world_;
  Registry registry_;
};

constexpr char kGood[] = R"(
receivers:
  fake:
  fake/2: {endpoint: "localhost:1"}
processors:
  batch: {send_batch_size: 100, timeout: 1s}
  memory_limiter: {check_interval: 1s, limit_mib: 512}
exporters:
  fake:
  tracewire: {data_dir: /tmp/x, sync: interval, retention: {max_age: 24h}}
  debug: {verbosity: detailed}
extensions:
  tracewire_query: {endpoint: "127.0.0.1:0", auth: {bearer_token: s3cret}}
service:
  extensions: [tracewire_query]
  telemetry: {logs: {level: debug}}
  pipelines:
    traces: {receivers: [fake], processors: [memory_limiter, batch], exporters: [fake, tracewire]}
    logs/x: {receivers: [fake], exporters: [tracewire]}
)";

TEST_F(ConfigTest, ParsesAWholeConfig) {
  StatusOr<CollectorConfig> c = Parse(kGood);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->pipelines.size(), 2u);
  EXPECT_EQ(c->pipelines[0].id, "traces");
  EXPECT_EQ(c->pipelines[1].signal, Signal::kLogs);
  EXPECT_EQ(c->pipelines[0].processors, (std::vector<std::string>{"memory_limiter", "batch"}));
  EXPECT_EQ(c->log_level, "debug");
  const auto& batch = static_cast<const BatchProcessorConfig&>(*c->FindProcessor("batch")->config);
  EXPECT_EQ(batch.send_batch_size, 100u);
  EXPECT_EQ(batch.timeout, std::chrono::seconds(1));
  StatusOr<const TracewireExporterConfig*> store = FindStoreConfig(*c);
  ASSERT_TRUE(store.ok());
  ASSERT_NE(*store, nullptr);
  EXPECT_EQ((*store)->store.data_dir, "/tmp/x");
  EXPECT_EQ((*store)->store.sync, store::SyncPolicy::kInterval);
  EXPECT_EQ((*store)->store.retention_max_age, std::chrono::hours(24));
  auto query = EnabledQueryExtensions(*c);
  ASSERT_EQ(query.size(), 1u);
  EXPECT_EQ(query[0]->bearer_token, "s3cret");
  EXPECT_EQ(query[0]->endpoint.host, "127.0.0.1");
  // fake/2 and debug are in no pipeline: warnings, as in the OTel Collector.
  ASSERT_EQ(c->warnings.size(), 2u);
  EXPECT_NE(c->warnings[0].find("receivers.fake/2"), std::string::npos);
  EXPECT_NE(c->warnings[1].find("exporters.debug"), std::string::npos);
}

struct BadCase {
  const char* yaml;
  const char* message_start;  // the key path the message must begin with
};

TEST_F(ConfigTest, BadConfigsFailNamingTheKey) {
  const std::string pipeline =
      "service: {pipelines: {traces: {receivers: [fake], exporters: [fake]}}}\n"
      "receivers: {fake: }\n";
  const std::vector<BadCase> cases = {
      {"receivers: {fake: }\nexporters: {fake: }\n", "service: missing"},
      {"recievers: {}\n", "recievers: unknown key"},
      {"connectors: {}\n", "connectors:"},
      {"receivers: {nope: }\nservice: {}\n", "receivers.nope: unknown receiver type 'nope'"},
      {"receivers: {fake: {endpoint: bad}}\n", "receivers.fake.endpoint:"},
      {"receivers: {fake: {port: 1}}\n", "receivers.fake.port: unknown key"},
      {"receivers: {\"fake/\": }\n", "receivers.fake/:"},
      {"processors: {batch: {send_batch_size: -1}}\n", "processors.batch.send_batch_size:"},
      {"processors: {batch: {timeout: 10}}\n", "processors.batch.timeout:"},
      {"processors: {batch: {send_batch_size: 10, send_batch_max_size: 5}}\n",
       "processors.batch.send_batch_max_size:"},
      {"processors: {batch: {sendbatchsize: 10}}\n", "processors.batch.sendbatchsize: unknown key"},
      {"processors: {memory_limiter: {limit_mib: 100}}\n",
       "processors.memory_limiter.check_interval:"},
      {"processors: {memory_limiter: {check_interval: 1s}}\n",
       "processors.memory_limiter.limit_mib:"},
      {"processors: {memory_limiter: {check_interval: 1s, limit_mib: 100, spike_limit_mib: 200}}\n",
       "processors.memory_limiter.spike_limit_mib:"},
      {"processors: {memory_limiter: {check_interval: 1s, limit_percentage: 101}}\n",
       "processors.memory_limiter.limit_percentage:"},
      {"processors: {limits: {max_spans_per_trace: x}}\n",
       "processors.limits.max_spans_per_trace:"},
      {"exporters: {tracewire: {sync: sometimes}}\n", "exporters.tracewire.sync:"},
      {"exporters: {tracewire: {retention: {max_age: 1x}}}\n",
       "exporters.tracewire.retention.max_age:"},
      {"exporters: {tracewire: {head: {maxbytes: 1}}}\n", "exporters.tracewire.head.maxbytes:"},
      {"exporters: {otlphttp: {}}\n", "exporters.otlphttp.endpoint: required"},
      {"exporters: {otlphttp: {endpoint: \"https://x:1\"}}\n",
       "exporters.otlphttp.endpoint: https"},
      {"exporters: {otlphttp: {endpoint: \"http://x:1\", compression: zstd}}\n",
       "exporters.otlphttp.compression:"},
      {"exporters: {otlphttp: {endpoint: \"http://x:1\", encoding: xml}}\n",
       "exporters.otlphttp.encoding:"},
      {"exporters: {otlphttp: {endpoint: \"http://x:1\", retry_on_failure: {enabled: maybe}}}\n",
       "exporters.otlphttp.retry_on_failure.enabled:"},
      {"exporters: {otlphttp: {endpoint: \"http://x:1\", sending_queue: {queue_size: 0}}}\n",
       "exporters.otlphttp.sending_queue.queue_size:"},
      {"exporters: {otlphttp: {endpoint: \"http://x:1\", headers: {\"bad name\": v}}}\n",
       "exporters.otlphttp.headers:"},
      {"exporters: {otlp: {endpoint: \"x:4317\"}}\n",
       "exporters.otlp.tls.insecure: TLS is not supported"},
      {"exporters: {otlp: {endpoint: \"x:4317\", tls: {ca_file: a}}}\n",
       "exporters.otlp.tls.ca_file: TLS"},
      {"exporters: {otlp: {tls: {insecure: true}}}\n", "exporters.otlp.endpoint: required"},
      {"exporters: {debug: {verbosity: loud}}\n", "exporters.debug.verbosity:"},
      {"extensions: {tracewire_query: {endpoint: nope}}\n", "extensions.tracewire_query.endpoint:"},
      {"extensions: {tracewire_query: {auth: {token: x}}}\n",
       "extensions.tracewire_query.auth.token:"},
      {"extensions: {health_check: }\n", "extensions.health_check: unknown extension type"},
      {"service: {pipelines: {}}\n", "service.pipelines: at least one"},
      {"service: {pipelines: {metrics: {}}}\n", "service.pipelines.metrics: metrics pipelines"},
      {"service: {pipelines: {spans: {}}}\n", "service.pipelines.spans: unknown pipeline type"},
      {"receivers: {fake: }\nservice: {pipelines: {traces: {receivers: [fake]}}}\n",
       "service.pipelines.traces.exporters: must name"},
      {"receivers: {fake: }\nexporters: {fake: }\n"
       "service: {pipelines: {traces: {receivers: [fake/9], exporters: [fake]}}}\n",
       "service.pipelines.traces.receivers: 'fake/9' is not declared"},
      {"receivers: {fake: }\nexporters: {fake: }\n"
       "service: {pipelines: {traces: {receivers: [fake], processors: [batch], exporters: "
       "[fake]}}}\n",
       "service.pipelines.traces.processors: 'batch' is not declared"},
      {"receivers: {fake: }\nexporters: {fake: }\n"
       "service: {pipelines: {traces: {receivers: [fake], exporters: [fake, fake]}}}\n",
       "service.pipelines.traces.exporters: 'fake' is listed twice"},
      {"receivers: {fake: }\nexporters: {fake: }\n"
       "service: {pipelines: {traces: {receivers: [fake], exporters: [fake], extra: []}}}\n",
       "service.pipelines.traces.extra: unknown key"},
      {"receivers: {fake: }\nexporters: {fake: }\n"
       "service: {extensions: [zpages], pipelines: {traces: {receivers: [fake], exporters: "
       "[fake]}}}\n",
       "service.extensions: 'zpages' is not declared"},
      {"receivers: {fake: }\nexporters: {fake: }\n"
       "service: {telemetry: {logs: {level: loud}}, pipelines: {traces: {receivers: [fake], "
       "exporters: [fake]}}}\n",
       "service.telemetry.logs.level:"},
      {"receivers: {fake: }\nexporters: {fake: }\n"
       "service: {telemetry: {metrics: {}}, pipelines: {traces: {receivers: [fake], "
       "exporters: [fake]}}}\n",
       "service.telemetry.metrics: unknown key"},
      {"receivers: [fake]\n", "receivers: must be a mapping"},
      {"receivers: {fake: [\n", "<config>: YAML error at line"},
      {"", "<config>: empty"},
      {"just text", "<config>: must be a mapping"},
  };
  (void)pipeline;
  for (const BadCase& c : cases) {
    StatusOr<CollectorConfig> parsed = Parse(c.yaml);
    ASSERT_FALSE(parsed.ok()) << c.yaml;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << c.yaml;
    EXPECT_EQ(parsed.status().message().rfind(c.message_start, 0), 0u)
        << "config:\n"
        << c.yaml << "\nmessage: " << parsed.status().message() << "\nwanted: " << c.message_start;
  }
}

TEST_F(ConfigTest, HeaderValuesNeverAppearInMessages) {
  StatusOr<CollectorConfig> c = Parse(
      "exporters: {otlphttp: {endpoint: \"http://x:1\", headers: {authorization: \"Bearer "
      "TOPSECRET\\r\\nX: y\"}}}\n");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message().find("TOPSECRET"), std::string::npos) << c.status().message();
  EXPECT_NE(c.status().message().find("exporters.otlphttp.headers.authorization"),
            std::string::npos);
}

TEST_F(ConfigTest, TwoStoresInPipelinesAreRefused) {
  StatusOr<CollectorConfig> c = Parse(
      "receivers: {fake: }\nexporters: {tracewire: , tracewire/b: }\n"
      "service: {pipelines: {traces: {receivers: [fake], exporters: [tracewire, tracewire/b]}}}\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  StatusOr<const TracewireExporterConfig*> s = FindStoreConfig(*c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message().rfind("exporters.tracewire/b:", 0), 0u) << s.status().message();
}

TEST_F(ConfigTest, DefaultsMatchTheOtelCollector) {
  StatusOr<CollectorConfig> c = Parse(
      "receivers: {fake: }\nprocessors: {batch: }\nexporters: {fake: }\n"
      "service: {pipelines: {traces: {receivers: [fake], processors: [batch], exporters: "
      "[fake]}}}\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto& batch = static_cast<const BatchProcessorConfig&>(*c->FindProcessor("batch")->config);
  EXPECT_EQ(batch.send_batch_size, 8192u);
  EXPECT_EQ(batch.send_batch_max_size, 0u);
  EXPECT_EQ(batch.timeout, std::chrono::milliseconds(200));
  EXPECT_TRUE(c->warnings.empty());
}

}  // namespace
}  // namespace tracewire::collector
