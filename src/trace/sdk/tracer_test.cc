#include "trace/sdk/tracer.h"

#include <gtest/gtest.h>

#include "trace/sdk/context_scope.h"
#include "trace/sdk/resource_defaults.h"
#include "trace/sdk/sdk_test_util.h"

namespace tracewire::trace {
namespace {

using testing::RecordingProvider;

using testing::Find;

TEST(TracerTest, RootSpanStartsANewSampledTrace) {
  RecordingProvider rp;
  Context empty;
  Span s = rp.tracer->StartSpan("root", {.parent = &empty});
  EXPECT_TRUE(s.context().IsValid());
  EXPECT_TRUE(s.context().IsSampled());
  EXPECT_FALSE(s.context().IsRemote());
  s.End();
  EXPECT_FALSE(rp.Only().parent_span_id.IsValid());
  EXPECT_EQ(rp.Only().trace_id, s.context().trace_id());
  EXPECT_EQ(rp.Only().span_id, s.context().span_id());
  EXPECT_TRUE(rp.Only().flags.sampled());
}

TEST(TracerTest, ChildSpanContinuesTheExplicitParentsTrace) {
  RecordingProvider rp;
  Span parent = rp.tracer->StartSpan("parent");
  const Context ctx = ContextWithSpan(parent, Context());
  rp.tracer->StartSpan("child", {.parent = &ctx}).End();
  const SpanData& child = rp.Only();
  EXPECT_EQ(child.trace_id, parent.context().trace_id());
  EXPECT_EQ(child.parent_span_id, parent.context().span_id());
  EXPECT_NE(child.span_id, parent.context().span_id());
  EXPECT_FALSE(child.parent_is_remote);
}

TEST(TracerTest, StartSpanUsesTheCurrentContextByDefault) {
  RecordingProvider rp;
  Span parent = rp.tracer->StartSpan("parent");
  {
    Scope scope(ContextWithSpan(parent, CurrentContext()));
    rp.tracer->StartSpan("child").End();
  }
  EXPECT_EQ(rp.Only().parent_span_id, parent.context().span_id());
}

TEST(TracerTest, RemoteParentIsMarkedAndItsTraceStateKept) {
  RecordingProvider rp;
  const TraceState ts = TraceState().Set("vendor", "value");
  const SpanContext remote(NewRandomTraceId(), NewRandomSpanId(), TraceFlags(1), true, ts);
  const Context ctx = Context().WithSpanContext(remote);
  Span s = rp.tracer->StartSpan("server", {.kind = SpanKind::kServer, .parent = &ctx});
  EXPECT_EQ(s.context().trace_state(), ts);
  s.End();
  EXPECT_TRUE(rp.Only().parent_is_remote);
  EXPECT_EQ(rp.Only().trace_state, ts);
  EXPECT_EQ(rp.Only().kind, SpanKind::kServer);
}

TEST(TracerTest, SpanRecordsScopeResourceStartAttributesAndLinks) {
  RecordingProvider rp;
  const Attribute attrs[] = {{"rpc.system", std::string("trpc")}};
  const SpanLink links[] = {
      {SpanContext(NewRandomTraceId(), NewRandomSpanId(), TraceFlags(1), true), {}, 0}};
  rp.tracer->StartSpan("op", {.attributes = attrs, .links = links, .start_unix_nano = 42}).End();
  const SpanData& d = rp.Only();
  EXPECT_EQ(d.start_unix_nano, 42u);
  EXPECT_EQ(d.attributes, (Attributes{{"rpc.system", std::string("trpc")}}));
  ASSERT_EQ(d.links.size(), 1u);
  EXPECT_EQ(d.links[0].context, links[0].context);
  ASSERT_NE(d.scope, nullptr);
  EXPECT_EQ(d.scope->name, "test-scope");
  EXPECT_EQ(d.scope->version, "1.0");
  EXPECT_EQ(d.resource, &rp.provider->resource());
}

TEST(TracerTest, DefaultResourceNamesTheSdkAndTheExecutable) {
  RecordingProvider rp;
  const Attributes& a = rp.provider->resource().attributes;
  EXPECT_EQ(*Find(a, "service.name"), AttributeValue("unknown_service:" + ExecutableName()));
  EXPECT_EQ(*Find(a, "telemetry.sdk.name"), AttributeValue(std::string("tracewire")));
  EXPECT_EQ(*Find(a, "telemetry.sdk.language"), AttributeValue(std::string("cpp")));
  EXPECT_NE(Find(a, "telemetry.sdk.version"), nullptr);
  EXPECT_FALSE(ExecutableName().empty());
}

TEST(TracerTest, GivenResourceAttributesOverrideTheDefaults) {
  TracerProviderOptions o;
  o.resource.attributes = {{"service.name", std::string("checkout")}};
  TracerProvider p(std::move(o));
  EXPECT_EQ(*Find(p.resource().attributes, "service.name"),
            AttributeValue(std::string("checkout")));
  EXPECT_NE(Find(p.resource().attributes, "telemetry.sdk.name"), nullptr);
}

TEST(TracerTest, GetTracerReturnsOneTracerPerScope) {
  TracerProvider p(TracerProviderOptions{});
  Tracer& a = p.GetTracer("lib", "1");
  EXPECT_EQ(&a, &p.GetTracer("lib", "1"));
  EXPECT_NE(&a, &p.GetTracer("lib", "2"));
}

class AddingSampler final : public Sampler {
 public:
  SamplingResult ShouldSample(const SamplingParams& p) const override {
    SamplingResult r{SamplingDecision::kRecordAndSample,
                     {{"sampled.by", std::string("me")}},
                     p.parent.span_context().trace_state().Set("me", "1")};
    return r;
  }
  std::string Description() const override { return "AddingSampler"; }
};

TEST(TracerTest, SamplerMayAddAttributesAndChangeTheTraceState) {
  RecordingProvider rp({}, std::make_unique<AddingSampler>());
  Span s = rp.tracer->StartSpan("op");
  EXPECT_EQ(s.context().trace_state().Get("me"), "1");
  s.End();
  EXPECT_EQ(*Find(rp.Only().attributes, "sampled.by"), AttributeValue(std::string("me")));
  EXPECT_EQ(rp.Only().trace_state.Get("me"), "1");
}

TEST(TracerTest, RecordOnlySpansReachTheProcessorUnsampled) {
  class RecordOnly final : public Sampler {
   public:
    SamplingResult ShouldSample(const SamplingParams&) const override {
      return {SamplingDecision::kRecordOnly, {}, std::nullopt};
    }
    std::string Description() const override { return "RecordOnly"; }
  };
  RecordingProvider rp({}, std::make_unique<RecordOnly>());
  Span s = rp.tracer->StartSpan("op");
  EXPECT_TRUE(s.IsRecording());
  EXPECT_FALSE(s.context().IsSampled());
  s.End();
  EXPECT_FALSE(rp.Only().flags.sampled());
}

TEST(TracerTest, DroppedRootStillHasAValidUnsampledContextThatChildrenFollow) {
  RecordingProvider rp({}, MakeParentBasedSampler(MakeAlwaysOffSampler()));
  Span root = rp.tracer->StartSpan("root");
  ASSERT_TRUE(root.context().IsValid());
  const Context ctx = ContextWithSpan(root, Context());
  Span child = rp.tracer->StartSpan("child", {.parent = &ctx});
  EXPECT_EQ(child.context().trace_id(), root.context().trace_id());
  EXPECT_FALSE(child.IsRecording());
  EXPECT_EQ(rp.processor->started(), 0);
}

TEST(TracerTest, DisabledSdkReturnsNonRecordingSpansCarryingTheParent) {
  TracerProviderOptions o;
  o.disabled = true;
  o.processor = std::make_unique<testing::RecordingProcessor>();
  TracerProvider p(std::move(o));
  const SpanContext remote(NewRandomTraceId(), NewRandomSpanId(), TraceFlags(1), true);
  const Context ctx = Context().WithSpanContext(remote);
  Span s = p.GetTracer("x").StartSpan("op", {.parent = &ctx});
  EXPECT_FALSE(s.IsRecording());
  EXPECT_EQ(s.context(), remote);
}

TEST(TracerTest, ProviderWithoutProcessorMakesNonRecordingSpans) {
  TracerProvider p(TracerProviderOptions{});
  Span s = p.GetTracer("x").StartSpan("op");
  EXPECT_FALSE(s.IsRecording());
  EXPECT_TRUE(s.context().IsSampled());
}

TEST(TracerTest, ShutdownIsIdempotent) {
  RecordingProvider rp;
  EXPECT_TRUE(rp.provider->Shutdown().ok());
  EXPECT_TRUE(rp.provider->Shutdown().ok());
}

TEST(TracerTest, CustomIdGeneratorIsUsed) {
  class Fixed final : public IdGenerator {
   public:
    TraceId NewTraceId() override { return TraceId::FromHex("0102030405060708090a0b0c0d0e0f10"); }
    SpanId NewSpanId() override { return SpanId::FromHex("0102030405060708"); }
  };
  TracerProviderOptions o;
  o.id_generator = std::make_unique<Fixed>();
  TracerProvider p(std::move(o));
  Context empty;
  Span s = p.GetTracer("x").StartSpan("op", {.parent = &empty});
  EXPECT_EQ(s.context().trace_id().ToHex(), "0102030405060708090a0b0c0d0e0f10");
  EXPECT_EQ(s.context().span_id().ToHex(), "0102030405060708");
}

}  // namespace
}  // namespace tracewire::trace
