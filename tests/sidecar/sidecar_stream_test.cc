// tRPC streams through the sidecar: relayed byte for byte, one span per stream from INIT to
// the server's CLOSE (or a RESET).
#include <gtest/gtest.h>
#include <sys/socket.h>

#include "net/testing/raw_tcp.h"
#include "tests/sidecar/sidecar_test_env.h"
#include "trpc/frame_codec.h"
#include "trpc/protocol.h"

namespace tracewire::sidecar::testing {
namespace {

using std::chrono::seconds;

constexpr int kServer = 2;
constexpr int kError = 2;

std::string InitFrame(uint32_t id, const std::string& func, const std::string& traceparent) {
  trpc::StreamInitMeta meta;
  meta.has_request_meta = true;
  meta.request_meta.caller = "trpc.test.client";
  meta.request_meta.callee = "trpc.test.stream.S";
  meta.request_meta.func = func;
  meta.request_meta.trans_info.push_back({"traceparent", traceparent});
  std::string encoded;
  trpc::EncodeStreamInitMeta(meta, &encoded);
  std::string frame;
  EXPECT_EQ(trpc::AppendStreamFrame(trpc::StreamFrameType::kInit, id, encoded, {}, 1 << 20, &frame),
            trpc::CodecError::kOk);
  return frame;
}

std::string InitResponse(uint32_t id) {
  trpc::StreamInitMeta meta;
  meta.has_response_meta = true;
  std::string encoded;
  trpc::EncodeStreamInitMeta(meta, &encoded);
  std::string frame;
  (void)trpc::AppendStreamFrame(trpc::StreamFrameType::kInit, id, encoded, {}, 1 << 20, &frame);
  return frame;
}

std::string Data(uint32_t id, const std::string& body) {
  std::string frame;
  (void)trpc::AppendStreamFrame(trpc::StreamFrameType::kData, id, {}, body, 1 << 20, &frame);
  return frame;
}

std::string Close(uint32_t id, int32_t close_type, int32_t ret) {
  trpc::StreamCloseMeta meta;
  meta.close_type = close_type;
  meta.ret = ret;
  meta.msg = ret != 0 ? "stream failed" : "";
  std::string encoded;
  trpc::EncodeStreamCloseMeta(meta, &encoded);
  std::string frame;
  (void)trpc::AppendStreamFrame(trpc::StreamFrameType::kClose, id, encoded, {}, 1 << 20, &frame);
  return frame;
}

bool ReadExactly(int fd, size_t n, std::string* out) {
  out->resize(n);
  size_t got = 0;
  while (got < n) {
    const ssize_t r = ::recv(fd, out->data() + got, n - got, 0);
    if (r <= 0) return false;
    got += static_cast<size_t>(r);
  }
  return true;
}

class SidecarStreamTest : public SidecarTestBase {};

TEST_F(SidecarStreamTest, StreamsAreRelayedUntouchedWithASpanEach) {
  const std::string tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  const std::string from_client = InitFrame(1, "/trpc.test.stream.S/Chat", tp) + Data(1, "a") +
                                  Data(1, "b") + Close(1, 0, 0) +
                                  InitFrame(3, "/trpc.test.stream.S/Fail", tp);
  const std::string from_server =
      InitResponse(1) + Data(1, "x") + Close(1, 0, 0) + InitResponse(3) + Close(3, 1, 21);
  std::string upstream_got;
  net::testing::ScriptedServer upstream([&](int fd, int) {
    if (!ReadExactly(fd, from_client.size(), &upstream_got)) return;
    net::testing::SendAll(fd, from_server);
    char byte;
    (void)::recv(fd, &byte, 1, 0);  // until the client goes
  });
  auto in = StartSidecar(
      OneListener("svc", "in", ListenerKind::kInbound, upstream.port(), sink_->endpoint()));
  auto conn = net::testing::RawConnection::Connect(in->listener_port("in"));
  ASSERT_NE(conn, nullptr);
  ASSERT_TRUE(conn->Send(from_client));
  std::string got;
  ASSERT_TRUE(ReadExactly(conn->fd(), from_server.size(), &got));
  EXPECT_EQ(got, from_server);
  conn.reset();

  ASSERT_TRUE(in->FlushSpans(seconds(5)).ok());
  auto spans = sink_->WaitFor([](const auto& s) { return s.size() >= 2; }, seconds(10));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(upstream_got, from_client);
  const SinkSpan* chat = nullptr;
  const SinkSpan* fail = nullptr;
  for (const SinkSpan& s : spans) (s.name == "/trpc.test.stream.S/Chat" ? chat : fail) = &s;
  ASSERT_TRUE(chat && fail);
  EXPECT_EQ(chat->kind, kServer);
  EXPECT_EQ(chat->trace_id, "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(chat->parent_span_id, "b7ad6b7169203331");
  EXPECT_EQ(chat->attributes.at("trpc.stream"), "true");
  EXPECT_EQ(chat->attributes.at("trpc.stream.sent_messages"), "2");
  EXPECT_EQ(chat->attributes.at("trpc.stream.received_messages"), "1");
  EXPECT_EQ(chat->attributes.at("trpc.status_code"), "0");
  EXPECT_NE(chat->status_code, kError);
  EXPECT_EQ(fail->name, "/trpc.test.stream.S/Fail");
  EXPECT_EQ(fail->status_code, kError);
  EXPECT_EQ(fail->attributes.at("trpc.status_code"), "21");
  EXPECT_NE(in->MetricsText().find("tracewire_sidecar_malformed_frames_total{listener=\"in\","
                                   "kind=\"inbound\"} 0"),
            std::string::npos);
}

}  // namespace
}  // namespace tracewire::sidecar::testing
