#include "trpc/tracing/rpc_attributes.h"

namespace tracewire::trpc::internal {

FuncParts SplitFunc(std::string_view func) {
  size_t slash = func.rfind('/');
  if (slash == std::string_view::npos) return {{}, func};
  std::string_view service = func.substr(0, slash);
  if (!service.empty() && service.front() == '/') service.remove_prefix(1);
  return {service, func.substr(slash + 1)};
}

}  // namespace tracewire::trpc::internal
