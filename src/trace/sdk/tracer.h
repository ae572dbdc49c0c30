// Tracer and TracerProvider (OTel SDK). The provider owns the resource, the sampler, the
// processor and one Tracer per instrumentation scope; tracers and spans point into it, so it
// must outlive them.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "trace/context.h"
#include "trace/resource.h"
#include "trace/sdk/clock.h"
#include "trace/sdk/id_generator.h"
#include "trace/sdk/sampler.h"
#include "trace/sdk/span.h"
#include "trace/sdk/span_limits.h"
#include "trace/sdk/span_pipeline.h"
#include "trace/sdk/span_processor.h"

namespace tracewire::trace {

struct StartSpanOptions {
  SpanKind kind = SpanKind::kInternal;
  // The parent Context; null means the calling thread's CurrentContext(). Pass a pointer to
  // an empty Context to force a root span.
  const Context* parent = nullptr;
  std::span<const Attribute> attributes;  // seen by the sampler, then recorded
  std::span<const SpanLink> links;        // seen by the sampler, then recorded
  uint64_t start_unix_nano = 0;           // 0: now
};

class TracerProvider;

class Tracer {
 public:
  // Starts a span. Its trace id is the parent's (or new for a root); its span id is new.
  // The sampler decides whether it records. Hot path, thread-safe.
  Span StartSpan(std::string_view name, const StartSpanOptions& options = {});

  const InstrumentationScope& scope() const { return scope_; }

  Tracer(const TracerProvider* provider, InstrumentationScope scope)
      : provider_(provider), scope_(std::move(scope)) {}

 private:
  const TracerProvider* provider_;
  InstrumentationScope scope_;
};

struct TracerProviderOptions {
  // Default: DefaultResource() (see resource_defaults.h).
  Resource resource;
  bool use_default_resource = true;  // false: `resource` exactly as given
  // Default: parentbased_always_on.
  std::unique_ptr<Sampler> sampler;
  // Default: the per-thread random generator (called without a virtual call).
  std::unique_ptr<IdGenerator> id_generator;
  // Where ended spans go. Null: spans do not record (only their contexts propagate).
  std::unique_ptr<SpanProcessor> processor;
  SpanLimits limits;
  ClockFn clock = &FastNowUnixNano;
  // OTEL_SDK_DISABLED: every span is non-recording and carries its parent's context.
  bool disabled = false;
};

class TracerProvider {
 public:
  explicit TracerProvider(TracerProviderOptions options);
  // Shuts down (flushing) if Shutdown was not called.
  ~TracerProvider();
  TracerProvider(const TracerProvider&) = delete;
  TracerProvider& operator=(const TracerProvider&) = delete;

  // Returns the Tracer of this scope, creating it on first use; the reference is valid for
  // the provider's lifetime. Thread-safe.
  Tracer& GetTracer(std::string_view name, std::string_view version = {},
                    std::string_view schema_url = {});

  Status ForceFlush(std::chrono::milliseconds timeout = std::chrono::milliseconds(30000));
  // Flushes and shuts the processor down; spans ended later are dropped. Idempotent.
  Status Shutdown(std::chrono::milliseconds timeout = std::chrono::milliseconds(30000));

  const Resource& resource() const { return resource_; }
  const Sampler& sampler() const { return *sampler_; }

 private:
  friend class Tracer;

  Resource resource_;
  std::unique_ptr<Sampler> sampler_;
  std::unique_ptr<IdGenerator> id_generator_;  // null: the fast default
  std::unique_ptr<SpanProcessor> processor_;
  SpanPipeline pipeline_;
  bool disabled_;

  std::mutex mu_;
  std::vector<std::unique_ptr<Tracer>> tracers_;  // guarded by mu_
  bool shut_down_ = false;                        // guarded by mu_
};

// Returns `base` with `span`'s context as the current span context (for a Scope, or as the
// explicit parent of the next span).
Context ContextWithSpan(const Span& span, const Context& base);

}  // namespace tracewire::trace
