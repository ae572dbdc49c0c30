#include "trpc/server_call.h"

#include <utility>

namespace tracewire::trpc {

Handler SyncHandler(std::function<void(ServerCall& call)> fn) {
  return [fn = std::move(fn)](const std::shared_ptr<ServerCall>& call) {
    fn(*call);  // if this throws, the server answers 31 and the Reply below never runs
    call->Reply();
  };
}

}  // namespace tracewire::trpc
