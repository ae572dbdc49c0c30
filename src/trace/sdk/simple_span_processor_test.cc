#include "trace/sdk/simple_span_processor.h"

#include <gtest/gtest.h>

#include "trace/sdk/in_memory_span_exporter.h"
#include "trace/sdk/tracer.h"

namespace tracewire::trace {
namespace {

TEST(SimpleSpanProcessorTest, ExportsEachSampledSpanWhenItEnds) {
  auto exporter = std::make_unique<InMemorySpanExporter>();
  auto store = exporter->store();
  TracerProviderOptions o;
  o.processor = MakeSimpleSpanProcessor(std::move(exporter));
  TracerProvider p(std::move(o));
  Span s = p.GetTracer("t").StartSpan("op");
  EXPECT_EQ(store->size(), 0u);
  s.End();
  ASSERT_EQ(store->size(), 1u);
  EXPECT_EQ(store->GetSpans()[0].name, "op");
}

TEST(SimpleSpanProcessorTest, DoesNotExportRecordOnlySpans) {
  auto exporter = std::make_unique<InMemorySpanExporter>();
  auto store = exporter->store();
  auto processor = MakeSimpleSpanProcessor(std::move(exporter));
  auto d = processor->AcquireSpanData();
  d->flags = TraceFlags(0);
  processor->OnEnd(std::move(d));
  EXPECT_EQ(store->size(), 0u);
}

TEST(SimpleSpanProcessorTest, ShutdownShutsTheExporterDownOnce) {
  auto exporter = std::make_unique<InMemorySpanExporter>();
  InMemorySpanExporter* raw = exporter.get();
  auto processor = MakeSimpleSpanProcessor(std::move(exporter));
  EXPECT_TRUE(processor->Shutdown(std::chrono::milliseconds(100)).ok());
  EXPECT_TRUE(processor->Shutdown(std::chrono::milliseconds(100)).ok());
  const SpanData d;
  const SpanData* batch[] = {&d};
  EXPECT_EQ(raw->Export(batch).code(), StatusCode::kFailedPrecondition);
}

TEST(InMemorySpanExporterTest, ResetForgetsCollectedSpans) {
  InMemorySpanExporter e;
  SpanData d;
  d.name = "x";
  const SpanData* batch[] = {&d, &d};
  ASSERT_TRUE(e.Export(batch).ok());
  EXPECT_EQ(e.store()->size(), 2u);
  e.store()->Reset();
  EXPECT_EQ(e.store()->size(), 0u);
}

TEST(MultiSpanProcessorTest, EveryProcessorGetsItsOwnCopy) {
  auto e1 = std::make_unique<InMemorySpanExporter>();
  auto e2 = std::make_unique<InMemorySpanExporter>();
  auto s1 = e1->store();
  auto s2 = e2->store();
  std::vector<std::unique_ptr<SpanProcessor>> ps;
  ps.push_back(MakeSimpleSpanProcessor(std::move(e1)));
  ps.push_back(MakeSimpleSpanProcessor(std::move(e2)));
  TracerProviderOptions o;
  o.processor = MakeMultiSpanProcessor(std::move(ps));
  TracerProvider p(std::move(o));
  {
    Span s = p.GetTracer("t").StartSpan("op");
    s.SetAttribute("k", 1);
  }
  ASSERT_EQ(s1->size(), 1u);
  ASSERT_EQ(s2->size(), 1u);
  EXPECT_EQ(s1->GetSpans()[0].attributes, s2->GetSpans()[0].attributes);
  EXPECT_EQ(s1->GetSpans()[0].span_id, s2->GetSpans()[0].span_id);
}

}  // namespace
}  // namespace tracewire::trace
