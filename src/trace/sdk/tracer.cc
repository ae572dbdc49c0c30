#include "trace/sdk/tracer.h"

#include <utility>

#include "trace/sdk/context_scope.h"
#include "trace/sdk/resource_defaults.h"

namespace tracewire::trace {

Span Tracer::StartSpan(std::string_view name, const StartSpanOptions& options) {
  const TracerProvider& p = *provider_;
  const Context& parent = options.parent != nullptr ? *options.parent : CurrentContext();
  const SpanContext& parent_sc = parent.span_context();

  if (p.disabled_) return Span(parent_sc, nullptr, nullptr);

  const bool has_parent = parent_sc.IsValid();
  const TraceId trace_id = has_parent        ? parent_sc.trace_id()
                           : p.id_generator_ ? p.id_generator_->NewTraceId()
                                             : NewRandomTraceId();
  const SpanId span_id = p.id_generator_ ? p.id_generator_->NewSpanId() : NewRandomSpanId();

  SamplingResult sr = p.sampler_->ShouldSample(
      SamplingParams{parent, trace_id, name, options.kind, options.attributes, options.links});
  const bool sampled = sr.decision == SamplingDecision::kRecordAndSample;
  const TraceFlags flags = parent_sc.trace_flags().WithSampled(sampled);
  const TraceState& trace_state = sr.trace_state ? *sr.trace_state : parent_sc.trace_state();
  SpanContext sc(trace_id, span_id, flags, /*is_remote=*/false, trace_state);

  if (sr.decision == SamplingDecision::kDrop || p.processor_ == nullptr) {
    return Span(std::move(sc), nullptr, nullptr);
  }

  // Hot path: fill a (possibly recycled) SpanData in place, keeping its capacity.
  std::unique_ptr<SpanData> data = p.processor_->AcquireSpanData();
  SpanData& d = *data;
  d.trace_id = trace_id;
  d.span_id = span_id;
  d.parent_span_id = has_parent ? parent_sc.span_id() : SpanId();
  d.trace_state = trace_state;
  d.flags = flags;
  d.parent_is_remote = has_parent && parent_sc.IsRemote();
  if (std::string_view{d.name} != name) d.name.assign(name);
  d.kind = options.kind;
  d.start_unix_nano = options.start_unix_nano != 0 ? options.start_unix_nano : p.pipeline_.clock();
  d.end_unix_nano = 0;
  d.dropped_attributes_count = 0;
  d.dropped_events_count = 0;
  d.dropped_links_count = 0;
  d.status.code = SpanStatusCode::kUnset;
  d.status.message.clear();
  d.resource = &p.resource_;
  d.scope = &scope_;

  Span span(std::move(sc), std::move(data), &p.pipeline_);
  for (const Attribute& a : options.attributes) span.SetAttributeValue(a.key, a.value);
  for (const Attribute& a : sr.attributes) span.SetAttributeValue(a.key, a.value);
  for (const SpanLink& l : options.links) span.AddLink(l.context, l.attributes);
  p.processor_->OnStart(*span.data_, parent);
  return span;
}

TracerProvider::TracerProvider(TracerProviderOptions options)
    : resource_(options.use_default_resource ? MergeResources(DefaultResource(), options.resource)
                                             : std::move(options.resource)),
      sampler_(options.sampler ? std::move(options.sampler)
                               : MakeParentBasedSampler(MakeAlwaysOnSampler())),
      id_generator_(std::move(options.id_generator)),
      processor_(std::move(options.processor)),
      disabled_(options.disabled) {
  pipeline_.processor = processor_.get();
  pipeline_.limits = options.limits;
  pipeline_.clock = options.clock != nullptr ? options.clock : &FastNowUnixNano;
}

TracerProvider::~TracerProvider() { (void)Shutdown(); }

Tracer& TracerProvider::GetTracer(std::string_view name, std::string_view version,
                                  std::string_view schema_url) {
  std::lock_guard lock(mu_);
  for (auto& t : tracers_) {
    const InstrumentationScope& s = t->scope();
    if (s.name == name && s.version == version && s.schema_url == schema_url) return *t;
  }
  InstrumentationScope scope;
  scope.name = name;
  scope.version = version;
  scope.schema_url = schema_url;
  tracers_.push_back(std::make_unique<Tracer>(this, std::move(scope)));
  return *tracers_.back();
}

Status TracerProvider::ForceFlush(std::chrono::milliseconds timeout) {
  if (processor_ == nullptr) return OkStatus();
  return processor_->ForceFlush(timeout);
}

Status TracerProvider::Shutdown(std::chrono::milliseconds timeout) {
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return OkStatus();
    shut_down_ = true;
  }
  if (processor_ == nullptr) return OkStatus();
  return processor_->Shutdown(timeout);
}

Context ContextWithSpan(const Span& span, const Context& base) {
  return base.WithSpanContext(span.context());
}

}  // namespace tracewire::trace
