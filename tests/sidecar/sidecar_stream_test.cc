// tRPC streams through the sidecar: one span per stream from INIT to the server's CLOSE (or a
// RESET); the client's INIT goes on with the span's context, every other frame byte for byte.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <string_view>
#include <thread>
#include <vector>

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
  meta.request_meta.trans_info.push_back({"b3", "stale-b3"});
  meta.request_meta.trans_info.push_back({"user", "42"});
  meta.init_window_size = 65536;
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

// One recv, after at most 5 s of waiting for bytes (-1 then): no test hangs on a lost answer.
ssize_t RecvWithin5s(int fd, char* buf, size_t n) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, 5000) <= 0) return -1;
  return ::recv(fd, buf, n, 0);
}

bool ReadExactly(int fd, size_t n, std::string* out) {
  out->resize(n);
  size_t got = 0;
  while (got < n) {
    const ssize_t r = RecvWithin5s(fd, out->data() + got, n - got);
    if (r <= 0) return false;
    got += static_cast<size_t>(r);
  }
  return true;
}

// Reads `n` whole frames.
bool ReadFrames(int fd, size_t n, std::vector<std::string>* frames) {
  std::string buf;
  char chunk[4096];
  while (frames->size() < n) {
    trpc::FrameHeader header;
    size_t size = 0;
    if (trpc::PeekFrame(buf, 1 << 20, &header, &size) != trpc::CodecError::kOk) return false;
    if (size > 0) {
      frames->push_back(buf.substr(0, size));
      buf.erase(0, size);
      continue;
    }
    const ssize_t r = RecvWithin5s(fd, chunk, sizeof chunk);
    if (r <= 0) return false;
    buf.append(chunk, static_cast<size_t>(r));
  }
  return true;
}

std::vector<std::string> SplitFrames(std::string_view bytes) {
  std::vector<std::string> frames;
  trpc::FrameHeader header;
  size_t size = 0;
  while (trpc::PeekFrame(bytes, 1 << 20, &header, &size) == trpc::CodecError::kOk && size > 0) {
    frames.emplace_back(bytes.substr(0, size));
    bytes.remove_prefix(size);
  }
  return frames;
}

// The request meta of a client's INIT frame.
trpc::StreamInitMeta InitMetaOf(const std::string& frame) {
  trpc::StreamFrame decoded;
  EXPECT_EQ(trpc::DecodeStreamFrame(frame, 1 << 20, &decoded), trpc::CodecError::kOk);
  EXPECT_EQ(decoded.header.stream_frame_type, trpc::StreamFrameType::kInit);
  trpc::StreamInitMeta meta;
  EXPECT_EQ(trpc::DecodeStreamInitMeta(decoded.meta, &meta), trpc::CodecError::kOk);
  return meta;
}

std::string EntryOf(const trpc::StreamInitMeta& meta, std::string_view key) {
  for (const auto& [k, v] : meta.request_meta.trans_info)
    if (k == key) return std::string(v);
  return "<missing>";
}

class SidecarStreamTest : public SidecarTestBase {};

TEST_F(SidecarStreamTest, StreamsGetASpanEachAndTheirInitTheSpansContext) {
  const std::string tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  const std::string from_client = InitFrame(1, "/trpc.test.stream.S/Chat", tp) + Data(1, "a") +
                                  Data(1, "b") + Close(1, 0, 0) +
                                  InitFrame(3, "/trpc.test.stream.S/Fail", tp);
  const std::vector<std::string> sent = SplitFrames(from_client);
  ASSERT_EQ(sent.size(), 5u);
  const std::string from_server =
      InitResponse(1) + Data(1, "x") + Close(1, 0, 0) + InitResponse(3) + Close(3, 1, 21);
  std::vector<std::string> upstream_got;
  net::testing::ScriptedServer upstream([&](int fd, int) {
    if (!ReadFrames(fd, sent.size(), &upstream_got)) return;
    net::testing::SendAll(fd, from_server);
    char byte;
    (void)::recv(fd, &byte, 1, 0);  // until the client goes
  });
  auto in = StartSidecar(
      OneListener("svc", "in", ListenerKind::kInbound, upstream.port(), sink_->endpoint()));
  auto conn = net::testing::RawConnection::Connect(in->listener_port("in"));
  ASSERT_NE(conn, nullptr);
  // Cut inside the first INIT and inside a DATA frame: frames go on only when whole.
  ASSERT_TRUE(conn->Send(from_client.substr(0, 20)));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const size_t cut = sent[0].size() + 10;
  ASSERT_TRUE(conn->Send(from_client.substr(20, cut - 20)));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(conn->Send(from_client.substr(cut)));
  std::string got;
  ASSERT_TRUE(ReadExactly(conn->fd(), from_server.size(), &got));
  EXPECT_EQ(got, from_server);
  conn.reset();

  ASSERT_TRUE(in->FlushSpans(seconds(5)).ok());
  auto spans = sink_->WaitFor([](const auto& s) { return s.size() >= 2; }, seconds(10));
  ASSERT_EQ(spans.size(), 2u);
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

  // What the service got: the INITs carry each stream span's context, the stale b3 is gone,
  // the rest of the meta is kept; DATA and CLOSE frames are the client's bytes.
  ASSERT_EQ(upstream_got.size(), sent.size());
  const SinkSpan* span_of[] = {chat, nullptr, nullptr, nullptr, fail};
  for (size_t i = 0; i < sent.size(); ++i) {
    if (span_of[i] == nullptr) {
      EXPECT_EQ(upstream_got[i], sent[i]) << "frame " << i;
      continue;
    }
    const trpc::StreamInitMeta meta = InitMetaOf(upstream_got[i]);
    EXPECT_EQ(EntryOf(meta, "traceparent"),
              "00-0af7651916cd43dd8448eb211c80319c-" + span_of[i]->span_id + "-01");
    EXPECT_EQ(EntryOf(meta, "b3"), "<missing>");
    EXPECT_EQ(EntryOf(meta, "user"), "42");
    EXPECT_EQ(meta.request_meta.func, span_of[i]->name);
    EXPECT_EQ(meta.request_meta.caller, "trpc.test.client");
    EXPECT_EQ(meta.request_meta.callee, "trpc.test.stream.S");
    EXPECT_EQ(meta.init_window_size, 65536u);
  }
  EXPECT_NE(in->MetricsText().find("tracewire_sidecar_malformed_frames_total{listener=\"in\","
                                   "kind=\"inbound\"} 0"),
            std::string::npos);
}

// Bytes that stop parsing after a stream began, and a frame cut off by the client's end, still
// reach the service exactly as sent.
TEST_F(SidecarStreamTest, WhatDoesNotParseGoesOnAsItIs) {
  const std::string tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  const std::string init = InitFrame(1, "/trpc.test.stream.S/Chat", tp);
  const std::string garbage = "\x09\x30 not a frame header at all";
  const std::string cut = Data(1, "the end never comes").substr(0, 20);
  std::string upstream_got;
  net::testing::ScriptedServer upstream([&](int fd, int) {
    char chunk[4096];
    for (ssize_t r; (r = ::recv(fd, chunk, sizeof chunk, 0)) > 0;) {
      upstream_got.append(chunk, static_cast<size_t>(r));
    }
  });
  auto in = StartSidecar(
      OneListener("svc", "in", ListenerKind::kInbound, upstream.port(), sink_->endpoint()));
  for (const std::string& tail : {garbage, cut}) {
    upstream_got.clear();
    auto conn = net::testing::RawConnection::Connect(in->listener_port("in"));
    ASSERT_NE(conn, nullptr);
    ASSERT_TRUE(conn->Send(init + Data(1, "a") + tail));
    ::shutdown(conn->fd(), SHUT_WR);
    char byte;
    EXPECT_EQ(::recv(conn->fd(), &byte, 1, 0), 0);  // the relay passed the end on, both ways
    conn.reset();  // the service closed after reading to its end: upstream_got is complete
    const std::vector<std::string> frames = SplitFrames(upstream_got);
    ASSERT_GE(frames.size(), 2u);
    EXPECT_EQ(EntryOf(InitMetaOf(frames[0]), "user"), "42");
    EXPECT_EQ(upstream_got.substr(frames[0].size()), Data(1, "a") + tail);
  }
}

// A unary call still waiting for its answer when the client's first streaming frame arrives:
// the answer reaches the client before the connection becomes a relay, and the stream after it.
TEST_F(SidecarStreamTest, AnswersDueWhenAStreamBeginsStillArrive) {
  const std::string tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  trpc::RequestHead unary;
  unary.request_id = 7;
  unary.callee = "trpc.test.echo.Echo";
  unary.func = "/trpc.test.echo.Echo/Echo";
  std::string from_client;
  ASSERT_EQ(trpc::AppendRequestFrame(unary, "early", {}, 1 << 20, &from_client),
            trpc::CodecError::kOk);
  const std::string stream = InitFrame(1, "/trpc.test.stream.S/Chat", tp) + Data(1, "a");
  from_client += stream;
  const std::string stream_answer = InitResponse(1) + Close(1, 0, 0);
  std::vector<std::string> stream_got;
  net::testing::ScriptedServer upstream([&](int fd, int index) {
    std::vector<std::string> frames;
    if (index == 0) {  // the pooled connection: the unary call, answered late
      trpc::RequestFrame req;
      if (!ReadFrames(fd, 1, &frames) ||
          trpc::DecodeRequestFrame(frames[0], 1 << 20, &req) != trpc::CodecError::kOk) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      trpc::ResponseHead head;
      head.request_id = req.head.request_id;
      std::string answer;
      (void)trpc::AppendResponseFrame(head, "late", {}, 1 << 20, &answer);
      net::testing::SendAll(fd, answer);
      return;
    }
    if (!ReadFrames(fd, 2, &stream_got)) return;  // the relay's connection
    net::testing::SendAll(fd, stream_answer);
    char byte;
    (void)::recv(fd, &byte, 1, 0);  // until the client goes
  });
  auto in = StartSidecar(
      OneListener("svc", "in", ListenerKind::kInbound, upstream.port(), sink_->endpoint()));
  auto conn = net::testing::RawConnection::Connect(in->listener_port("in"));
  ASSERT_NE(conn, nullptr);
  ASSERT_TRUE(conn->Send(from_client));
  std::vector<std::string> got;
  ASSERT_TRUE(ReadFrames(conn->fd(), 3, &got));
  trpc::ResponseFrame rsp;
  ASSERT_EQ(trpc::DecodeResponseFrame(got[0], 1 << 20, &rsp), trpc::CodecError::kOk);
  EXPECT_EQ(rsp.head.request_id, 7u);
  EXPECT_EQ(rsp.body, "late");
  EXPECT_EQ(got[1] + got[2], stream_answer);
  conn.reset();
  ASSERT_EQ(stream_got.size(), 2u);
  EXPECT_EQ(EntryOf(InitMetaOf(stream_got[0]), "user"), "42");
  EXPECT_EQ(stream_got[1], Data(1, "a"));
}

}  // namespace
}  // namespace tracewire::sidecar::testing
