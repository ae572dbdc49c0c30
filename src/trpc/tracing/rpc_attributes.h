// Helpers shared by the tracing filters: splitting a func name and describing an outcome the
// way trpc-go's OpenTelemetry plugin does.
#pragma once

#include <cstdint>
#include <string_view>

namespace tracewire::trpc::internal {

struct FuncParts {
  std::string_view service;  // "pkg.Service"; empty when `func` has no such shape
  std::string_view method;   // "Method"; the whole func when it has no '/'
};

// Splits "/pkg.Service/Method" (the leading '/' optional) at its last '/'.
FuncParts SplitFunc(std::string_view func);

// trpc.status_code: the framework code when non-zero, else the business code.
inline int32_t StatusCode(int32_t ret, int32_t func_ret) { return ret != 0 ? ret : func_ret; }

// trpc.status_type as trpc-go's errs package numbers it: 0 none, 1 framework, 2 business.
inline int32_t StatusType(int32_t ret, int32_t func_ret) {
  if (ret != 0) return 1;
  return func_ret != 0 ? 2 : 0;
}

}  // namespace tracewire::trpc::internal
