// The OTEL_RESOURCE_ATTRIBUTES format: "key1=value1,key2=value2", W3C Baggage-like without
// properties. Keys and values are trimmed of spaces and tabs and percent-decoded; empty list
// members (",,", a trailing ',') are skipped; a later duplicate key replaces the earlier
// value; every value is a string. ',' and '=' inside keys and values must be percent-encoded;
// a raw '=' after the first one in a member is accepted as part of the value.
#pragma once

#include <string_view>

#include "base/status.h"
#include "trace/attribute.h"

namespace tracewire::trace {

// Returns the attributes in order of first appearance, or INVALID_ARGUMENT (saying which
// member is bad) for a member without '=', an empty key, or a bad percent escape. Per the
// OTel resource spec the caller then discards the whole value.
StatusOr<Attributes> ParseResourceAttributes(std::string_view text);

}  // namespace tracewire::trace
