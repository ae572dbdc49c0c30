#include "trpc/ret_code.h"

namespace tracewire::trpc {

std::string_view RetCodeDescription(int32_t ret) {
  switch (ret) {
    case kRetOk: return "ok";
    case kRetServerDecodeError: return "server decode error";
    case kRetServerEncodeError: return "server encode error";
    case kRetServerNoService: return "server no such service";
    case kRetServerNoFunc: return "server no such func";
    case kRetServerTimeout: return "server timeout";
    case kRetServerOverload: return "server overload";
    case kRetServerLimited: return "server rate limited";
    case kRetServerFullLinkTimeout: return "server full-link timeout";
    case kRetServerSystemError: return "server system error";
    case kRetServerAuthError: return "server authentication error";
    case kRetServerValidateError: return "server validation error";
    case kRetClientInvokeTimeout: return "client invoke timeout";
    case kRetClientFullLinkTimeout: return "client full-link timeout";
    case kRetClientConnectError: return "client connect error";
    case kRetClientEncodeError: return "client encode error";
    case kRetClientDecodeError: return "client decode error";
    case kRetClientLimited: return "client rate limited";
    case kRetClientOverload: return "client overload";
    case kRetClientRouterError: return "client router error";
    case kRetClientNetworkError: return "client network error";
    case kRetClientValidateError: return "client validation error";
    case kRetClientCanceled: return "client canceled";
    case kRetClientReadFrameError: return "client read frame error";
    case kRetUnknown: return "unknown error";
    default: return "";
  }
}

}  // namespace tracewire::trpc
