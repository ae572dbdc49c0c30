// tRPC framework return codes (the `ret` field of ResponseProtocol), numbered as trpc.proto's
// TrpcRetCode so they cross the wire unchanged. `func_ret` is the business code and is free-form.
#pragma once

#include <cstdint>
#include <string_view>

namespace tracewire::trpc {

enum RetCode : int32_t {
  kRetOk = 0,
  kRetServerDecodeError = 1,
  kRetServerEncodeError = 2,
  kRetServerNoService = 11,
  kRetServerNoFunc = 12,
  kRetServerTimeout = 21,
  kRetServerOverload = 22,
  kRetServerLimited = 23,
  kRetServerFullLinkTimeout = 24,
  kRetServerSystemError = 31,
  kRetServerAuthError = 41,
  kRetServerValidateError = 51,
  kRetClientInvokeTimeout = 101,
  kRetClientFullLinkTimeout = 102,
  kRetClientConnectError = 111,
  kRetClientEncodeError = 121,
  kRetClientDecodeError = 122,
  kRetClientLimited = 123,
  kRetClientOverload = 124,
  kRetClientRouterError = 131,
  kRetClientNetworkError = 141,
  kRetClientValidateError = 151,
  kRetClientCanceled = 161,
  kRetClientReadFrameError = 171,
  kRetUnknown = 999,
};

// A short lowercase description of a framework code ("server no such func"), or "" when the
// code is not one of the above.
std::string_view RetCodeDescription(int32_t ret);

}  // namespace tracewire::trpc
