// Attribute values as in the OpenTelemetry data model: string, bool, int64, double and
// homogeneous arrays of those.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace tracewire::trace {

// The alternative order is part of the contract (index() is used by encoders).
using AttributeValue = std::variant<std::string, bool, int64_t, double, std::vector<std::string>,
                                    std::vector<bool>, std::vector<int64_t>, std::vector<double>>;

struct Attribute {
  std::string key;
  AttributeValue value;

  friend bool operator==(const Attribute&, const Attribute&) = default;
};

using Attributes = std::vector<Attribute>;

}  // namespace tracewire::trace
