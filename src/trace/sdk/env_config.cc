#include "trace/sdk/env_config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "trace/sdk/resource_attributes.h"
#include "trace/sdk/resource_defaults.h"

namespace tracewire::trace {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

class EnvReader {
 public:
  EnvReader(const GetEnvFn& getenv, std::vector<std::string>& warnings)
      : getenv_(getenv), warnings_(warnings) {}

  // The trimmed value; nullopt when unset or empty.
  std::optional<std::string> Get(std::string_view name) const {
    std::optional<std::string> v = getenv_(name);
    if (!v) return std::nullopt;
    std::string t(Trim(*v));
    if (t.empty()) return std::nullopt;
    return t;
  }

  void Warn(std::string_view name, std::string_view value, std::string_view why) {
    warnings_.push_back(std::string(name) + "=\"" + std::string(value) +
                        "\" ignored: " + std::string(why));
  }

  bool Bool(std::string_view name) {
    std::optional<std::string> v = Get(name);
    if (!v) return false;
    const std::string l = Lower(*v);
    if (l == "true") return true;
    if (l != "false") Warn(name, *v, "not a boolean (true or false); using false");
    return false;
  }

  // A non-negative integer in [min, max]; nullopt (with a warning) when unparsable.
  std::optional<uint64_t> Uint(std::string_view name, uint64_t min, uint64_t max) {
    std::optional<std::string> v = Get(name);
    if (!v) return std::nullopt;
    uint64_t out = 0;
    const char* end = v->data() + v->size();
    auto [ptr, ec] = std::from_chars(v->data(), end, out);
    if (ec != std::errc() || ptr != end) {
      Warn(name, *v, "not a non-negative integer; using the default");
      return std::nullopt;
    }
    if (out < min || out > max) {
      Warn(name, *v,
           "out of range [" + std::to_string(min) + ", " + std::to_string(max) +
               "]; using the default");
      return std::nullopt;
    }
    return out;
  }

 private:
  const GetEnvFn& getenv_;
  std::vector<std::string>& warnings_;
};

constexpr uint64_t kMaxU32 = std::numeric_limits<uint32_t>::max();
constexpr uint64_t kMaxMs = 24ULL * 3600 * 1000;  // a day

void ReadResource(EnvReader& env, SdkConfig& c) {
  Resource from_env;
  if (std::optional<std::string> v = env.Get("OTEL_RESOURCE_ATTRIBUTES")) {
    StatusOr<Attributes> attrs = ParseResourceAttributes(*v);
    if (attrs.ok()) {
      from_env.attributes = std::move(*attrs);
    } else {
      env.Warn("OTEL_RESOURCE_ATTRIBUTES", *v, attrs.status().message());
    }
  }
  if (std::optional<std::string> v = env.Get("OTEL_SERVICE_NAME")) {
    from_env = MergeResources(from_env, Resource{{{"service.name", *v}}, ""});
  }
  c.resource = MergeResources(DefaultResource(), from_env);
}

void ReadSampler(EnvReader& env, SdkConfig& c) {
  if (std::optional<std::string> v = env.Get("OTEL_TRACES_SAMPLER")) {
    const std::string name = Lower(*v);
    if (name == "always_on") {
      c.sampler.kind = SamplerKind::kAlwaysOn;
    } else if (name == "always_off") {
      c.sampler.kind = SamplerKind::kAlwaysOff;
    } else if (name == "traceidratio") {
      c.sampler.kind = SamplerKind::kTraceIdRatio;
    } else if (name == "parentbased_always_on") {
      c.sampler.kind = SamplerKind::kParentBasedAlwaysOn;
    } else if (name == "parentbased_always_off") {
      c.sampler.kind = SamplerKind::kParentBasedAlwaysOff;
    } else if (name == "parentbased_traceidratio") {
      c.sampler.kind = SamplerKind::kParentBasedTraceIdRatio;
    } else if (name == "jaeger_remote" || name == "parentbased_jaeger_remote" || name == "xray") {
      env.Warn("OTEL_TRACES_SAMPLER", *v, "not supported; using parentbased_always_on");
    } else {
      env.Warn("OTEL_TRACES_SAMPLER", *v, "unknown sampler; using parentbased_always_on");
    }
  }
  const bool ratio = c.sampler.kind == SamplerKind::kTraceIdRatio ||
                     c.sampler.kind == SamplerKind::kParentBasedTraceIdRatio;
  std::optional<std::string> arg = env.Get("OTEL_TRACES_SAMPLER_ARG");
  if (!ratio || !arg) return;
  char* end = nullptr;
  const double r = std::strtod(arg->c_str(), &end);
  if (end != arg->c_str() + arg->size() || !std::isfinite(r) || r < 0 || r > 1) {
    env.Warn("OTEL_TRACES_SAMPLER_ARG", *arg, "not a ratio in [0, 1]; using 1.0");
    return;
  }
  c.sampler.ratio = r;
}

void ReadBatch(EnvReader& env, SdkConfig& c) {
  BatchSpanProcessorOptions& b = c.batch;
  if (auto v = env.Uint("OTEL_BSP_SCHEDULE_DELAY", 0, kMaxMs)) {
    b.schedule_delay = std::chrono::milliseconds(*v);
  }
  if (auto v = env.Uint("OTEL_BSP_EXPORT_TIMEOUT", 0, kMaxMs)) {
    b.export_timeout = std::chrono::milliseconds(*v);
  }
  if (auto v = env.Uint("OTEL_BSP_MAX_QUEUE_SIZE", 1, 1 << 24)) b.max_queue_size = *v;
  if (auto v = env.Uint("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 1, 1 << 24)) {
    b.max_export_batch_size = *v;
  }
  if (b.max_export_batch_size > b.max_queue_size) {
    env.Warn("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", std::to_string(b.max_export_batch_size),
             "exceeds OTEL_BSP_MAX_QUEUE_SIZE=" + std::to_string(b.max_queue_size) +
                 "; using the queue size");
    b.max_export_batch_size = b.max_queue_size;
  }
}

void ReadLimits(EnvReader& env, SdkConfig& c) {
  SpanLimits& l = c.limits;
  // General limits first; the model-specific ones override them.
  if (auto v = env.Uint("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", 0, kMaxU32)) {
    l.attribute_value_length = static_cast<uint32_t>(*v);
  }
  if (auto v = env.Uint("OTEL_ATTRIBUTE_COUNT_LIMIT", 0, kMaxU32)) {
    l.attribute_count = l.attributes_per_event = l.attributes_per_link = static_cast<uint32_t>(*v);
  }
  auto set = [&](std::string_view name, uint32_t& field) {
    if (auto v = env.Uint(name, 0, kMaxU32)) field = static_cast<uint32_t>(*v);
  };
  set("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", l.attribute_value_length);
  set("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", l.attribute_count);
  set("OTEL_SPAN_EVENT_COUNT_LIMIT", l.event_count);
  set("OTEL_SPAN_LINK_COUNT_LIMIT", l.link_count);
  set("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", l.attributes_per_event);
  set("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", l.attributes_per_link);
}

}  // namespace

SdkConfig SdkConfigFromEnv(const GetEnvFn& getenv) {
  SdkConfig c;
  EnvReader env(getenv, c.warnings);
  c.disabled = env.Bool("OTEL_SDK_DISABLED");
  ReadResource(env, c);
  ReadSampler(env, c);
  ReadBatch(env, c);
  ReadLimits(env, c);
  return c;
}

std::unique_ptr<Sampler> MakeSampler(const SamplerConfig& config) {
  switch (config.kind) {
    case SamplerKind::kAlwaysOn: return MakeAlwaysOnSampler();
    case SamplerKind::kAlwaysOff: return MakeAlwaysOffSampler();
    case SamplerKind::kTraceIdRatio: return MakeTraceIdRatioSampler(config.ratio);
    case SamplerKind::kParentBasedAlwaysOn: return MakeParentBasedSampler(MakeAlwaysOnSampler());
    case SamplerKind::kParentBasedAlwaysOff: return MakeParentBasedSampler(MakeAlwaysOffSampler());
    case SamplerKind::kParentBasedTraceIdRatio:
      return MakeParentBasedSampler(MakeTraceIdRatioSampler(config.ratio));
  }
  return MakeParentBasedSampler(MakeAlwaysOnSampler());
}

}  // namespace tracewire::trace
