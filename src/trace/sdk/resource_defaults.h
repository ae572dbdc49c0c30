// The SDK's default Resource and resource merging (OTel Resource SDK spec).
#pragma once

#include <string>

#include "trace/resource.h"

namespace tracewire::trace {

// service.name=unknown_service:<executable name>, telemetry.sdk.name=tracewire,
// telemetry.sdk.language=cpp, telemetry.sdk.version=<tracewire version>.
Resource DefaultResource();

// `updating`'s attributes override `base`'s of the same key; others are appended in order.
// The schema URL is `updating`'s when set, else `base`'s.
Resource MergeResources(const Resource& base, const Resource& updating);

// The running executable's file name (from /proc/self/exe), or "" when unknown.
std::string ExecutableName();

}  // namespace tracewire::trace
