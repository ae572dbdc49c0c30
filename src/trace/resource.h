// Resource and InstrumentationScope: who produced a span. Both are owned by the TracerProvider
// and shared by pointer from every SpanData it makes.
#pragma once

#include <string>

#include "trace/attribute.h"

namespace tracewire::trace {

struct Resource {
  Attributes attributes;  // service.name, telemetry.sdk.*, OTEL_RESOURCE_ATTRIBUTES, ...
  std::string schema_url;

  friend bool operator==(const Resource&, const Resource&) = default;
};

struct InstrumentationScope {
  std::string name;
  std::string version;
  std::string schema_url;
  Attributes attributes;

  friend bool operator==(const InstrumentationScope&, const InstrumentationScope&) = default;
};

}  // namespace tracewire::trace
