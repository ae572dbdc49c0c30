#include "collector/pipeline.h"

#include <gtest/gtest.h>

#include "collector/partial_success.h"
#include "collector/testing/fake_components.h"

namespace tracewire::collector {
namespace {

using testing::MakeSpans;

class PipelineTest : public ::testing::Test {
 protected:
  PipelineTest() : registry_(DefaultRegistryWithoutReceivers()) { world_.Register(registry_); }

  std::unique_ptr<Service> Build(const std::string& yaml) {
    StatusOr<CollectorConfig> config = ParseCollectorConfig(yaml, registry_);
    EXPECT_TRUE(config.ok()) << config.status().ToString();
    if (!config.ok()) return nullptr;
    config_ = std::move(*config);
    StatusOr<std::unique_ptr<Service>> service = Service::Build(config_, registry_, BuildContext{});
    EXPECT_TRUE(service.ok()) << service.status().ToString();
    if (!service.ok()) return nullptr;
    EXPECT_TRUE((*service)->Start().ok());
    return std::move(*service);
  }

  testing::FakeWorld world_;
  Registry registry_;
  CollectorConfig config_;
};

struct DoneRecorder {
  int calls = 0;
  Status last;
  ConsumeDone Callback() {
    return [this](Status s) {
      ++calls;
      last = std::move(s);
    };
  }
};

constexpr char kTwoExporters[] = R"(
receivers: {fake: }
exporters: {fake/a: , fake/b: }
service:
  pipelines:
    traces: {receivers: [fake], exporters: [fake/a, fake/b]}
)";

TEST_F(PipelineTest, DoneRunsOnceAfterEveryExporterAnswered) {
  auto service = Build(kTwoExporters);
  ASSERT_NE(service, nullptr);
  DoneRecorder done;
  world_.receiver("fake")->traces->ConsumeTraces(MakeSpans(3), done.Callback());
  auto* a = world_.exporter("fake/a");
  auto* b = world_.exporter("fake/b");
  ASSERT_EQ(a->held(), 1u);
  ASSERT_EQ(b->held(), 1u);
  // Both exporters see the same batch, read-only.
  EXPECT_EQ(a->span_batches()[0].get(), b->span_batches()[0].get());
  a->ReleaseOne(OkStatus());
  EXPECT_EQ(done.calls, 0);
  b->ReleaseOne(OkStatus());
  EXPECT_EQ(done.calls, 1);
  EXPECT_TRUE(done.last.ok());
}

TEST_F(PipelineTest, TheFirstErrorWinsAndOkNeedsAllOk) {
  auto service = Build(kTwoExporters);
  ASSERT_NE(service, nullptr);
  DoneRecorder done;
  world_.receiver("fake")->traces->ConsumeTraces(MakeSpans(1), done.Callback());
  world_.exporter("fake/b")->ReleaseOne(UnavailableError("disk full"));
  world_.exporter("fake/a")->ReleaseOne(InternalError("later"));
  EXPECT_EQ(done.calls, 1);
  EXPECT_EQ(done.last, UnavailableError("disk full"));

  DoneRecorder second;
  world_.receiver("fake")->traces->ConsumeTraces(MakeSpans(1), second.Callback());
  world_.exporter("fake/a")->ReleaseOne(OkStatus());
  world_.exporter("fake/b")->ReleaseOne(PartialSuccessStatus(2, "dropped"));
  EXPECT_EQ(second.calls, 1);
  ASSERT_TRUE(ParsePartialSuccess(second.last).has_value());
  EXPECT_EQ(ParsePartialSuccess(second.last)->rejected, 2u);
}

TEST_F(PipelineTest, AReceiverInTwoPipelinesGivesEachItsOwnBatch) {
  auto service = Build(R"(
receivers: {fake: }
processors: {limits: {max_attribute_value_bytes: 4}}
exporters: {fake/a: , fake/b: }
service:
  pipelines:
    traces/1: {receivers: [fake], processors: [limits], exporters: [fake/a]}
    traces/2: {receivers: [fake], exporters: [fake/b]}
)");
  ASSERT_NE(service, nullptr);
  ASSERT_EQ(world_.receivers.size(), 1u);  // one instance shared by both pipelines
  world_.exporter("fake/a")->AnswerWith(OkStatus());
  world_.exporter("fake/b")->AnswerWith(OkStatus());
  DoneRecorder done;
  auto batch = MakeSpans(2);
  model::Arena& arena = batch->storage.arena();
  std::span<model::KeyValue> attrs = arena.AllocateArray<model::KeyValue>(1);
  attrs[0] = {"long", model::AnyValue::String(arena.CopyString("abcdefgh"))};
  batch->spans[0].attributes = attrs;
  world_.receiver("fake")->traces->ConsumeTraces(std::move(batch), done.Callback());
  EXPECT_EQ(done.calls, 1);
  auto a = world_.exporter("fake/a")->span_batches();
  auto b = world_.exporter("fake/b")->span_batches();
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_NE(a[0].get(), b[0].get());
  // The limits processor changed pipeline 1's copy only.
  EXPECT_EQ(model::FindAttribute(a[0]->spans[0].attributes, "long")->string_value(), "abcd");
  EXPECT_EQ(model::FindAttribute(b[0]->spans[0].attributes, "long")->string_value(), "abcdefgh");
  EXPECT_EQ(b[0]->spans[1].name, "span-1");
  EXPECT_EQ(b[0]->resources[0].service_name, "svc");
}

TEST_F(PipelineTest, AnExporterInTwoPipelinesIsOneInstance) {
  auto service = Build(R"(
receivers: {fake: , fake/2: }
exporters: {fake: }
service:
  pipelines:
    traces: {receivers: [fake], exporters: [fake]}
    logs: {receivers: [fake, fake/2], exporters: [fake]}
)");
  ASSERT_NE(service, nullptr);
  ASSERT_EQ(world_.exporters.size(), 1u);
  auto* fake = world_.receiver("fake");
  ASSERT_NE(fake->traces, nullptr);
  ASSERT_NE(fake->logs, nullptr);
  EXPECT_EQ(world_.receiver("fake/2")->traces, nullptr);
  world_.exporter("fake")->AnswerWith(OkStatus());
  DoneRecorder done;
  world_.receiver("fake/2")->logs->ConsumeLogs(testing::MakeLogs(2), done.Callback());
  EXPECT_EQ(done.calls, 1);
  EXPECT_EQ(world_.exporter("fake")->log_batches().size(), 1u);
}

TEST_F(PipelineTest, StartsDownstreamFirstAndShutsDownInReverse) {
  auto service = Build(kTwoExporters);
  ASSERT_NE(service, nullptr);
  ASSERT_TRUE(service->Shutdown().ok());
  ASSERT_TRUE(service->Shutdown().ok());  // idempotent
  EXPECT_EQ(world_.events,
            (std::vector<std::string>{"start:fake/a", "start:fake/b", "start:fake", "shutdown:fake",
                                      "shutdown:fake/b", "shutdown:fake/a"}));
}

TEST_F(PipelineTest, ATracewireExporterWithoutAStoreFailsTheBuildNamingIt) {
  StatusOr<CollectorConfig> config = ParseCollectorConfig(R"(
receivers: {fake: }
exporters: {tracewire: }
service: {pipelines: {traces: {receivers: [fake], exporters: [tracewire]}}}
)",
                                                          registry_);
  ASSERT_TRUE(config.ok());
  StatusOr<std::unique_ptr<Service>> s = Service::Build(*config, registry_, BuildContext{});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message().rfind("exporters.tracewire:", 0), 0u) << s.status().message();
}

}  // namespace
}  // namespace tracewire::collector
