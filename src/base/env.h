// Environment lookup, injectable so configuration code is testable without touching the
// process environment.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tracewire {

// Returns the value of the environment variable `name`, or nullopt when it is unset.
using GetEnvFn = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment (std::getenv). Read at start-up only: getenv races with setenv.
std::optional<std::string> ProcessGetEnv(std::string_view name);

}  // namespace tracewire
