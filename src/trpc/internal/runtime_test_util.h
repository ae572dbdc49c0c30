// Test-only helpers for the server and client tests: start a server with handlers, make a
// client to it, and speak raw frames over a blocking socket.
#pragma once

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "trpc/client.h"
#include "trpc/frame_codec.h"
#include "trpc/server.h"

namespace tracewire::trpc::testing {

inline constexpr std::string_view kEcho = "/trpc.test.echo.Echo/Echo";

inline Handler EchoHandler() {
  return SyncHandler([](ServerCall& call) { call.response().body = std::string(call.body()); });
}

inline std::unique_ptr<Server> StartServer(std::unordered_map<std::string, Handler> handlers,
                                           ServerOptions options = {}) {
  auto server = Server::Start(std::move(options), std::move(handlers));
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  return server.ok() ? std::move(server).value() : nullptr;
}

inline std::unique_ptr<Client> MakeClient(uint16_t port, ClientOptions options = {}) {
  options.address = "127.0.0.1:" + std::to_string(port);
  if (options.callee.empty()) options.callee = "trpc.test.echo.Echo";
  auto client = Client::Create(std::move(options));
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return client.ok() ? std::move(client).value() : nullptr;
}

inline CallRequest EchoRequest(std::string body) {
  CallRequest request;
  request.func = std::string(kEcho);
  request.body = std::move(body);
  return request;
}

// One encoded unary request frame.
inline std::string RequestFrameBytes(uint32_t request_id, std::string_view func,
                                     std::string_view body, uint32_t timeout_ms = 0) {
  RequestHead head;
  head.request_id = request_id;
  head.func = func;
  head.callee = "trpc.test.echo.Echo";
  head.timeout_ms = timeout_ms;
  std::string out;
  EXPECT_EQ(AppendRequestFrame(head, body, {}, kDefaultMaxFrameSize, &out), CodecError::kOk);
  return out;
}

// Reads from `fd` (buffering extra bytes in *buffer) until one whole response frame arrived and
// decodes it into *frame, whose views point into *frame_bytes. False on close, a decode error,
// or after `timeout`.
inline bool ReadResponseFrame(int fd, std::string* buffer, std::string* frame_bytes,
                              ResponseFrame* frame,
                              std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    FrameHeader header;
    size_t size = 0;
    if (PeekFrame(*buffer, kDefaultMaxFrameSize, &header, &size) == CodecError::kOk && size > 0) {
      *frame_bytes = buffer->substr(0, size);
      buffer->erase(0, size);
      return DecodeResponseFrame(*frame_bytes, kDefaultMaxFrameSize, frame) == CodecError::kOk;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return false;
    buffer->append(buf, static_cast<size_t>(n));
  }
}

}  // namespace tracewire::trpc::testing
