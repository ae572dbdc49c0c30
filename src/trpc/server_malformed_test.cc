// Malformed input closes only the connection that sent it: every case runs while other clients
// keep calling, and none of their calls may fail.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "net/testing/raw_tcp.h"
#include "trpc/internal/runtime_test_util.h"
#include "trpc/ret_code.h"

namespace tracewire::trpc {
namespace {

using namespace std::chrono_literals;
using testing::EchoHandler;
using testing::EchoRequest;
using testing::kEcho;

constexpr size_t kMaxFrame = 4096;  // bytes; the server's limit in these tests

std::string Header(uint32_t total_size, uint16_t proto_header_size) {
  FrameHeader header;
  header.total_size = total_size;
  header.proto_header_size = proto_header_size;
  std::string out(kFrameHeaderSize, '\0');
  EncodeFrameHeader(header, out.data());
  return out;
}

struct Case {
  const char* name;
  std::string bytes;
  bool then_eof;         // half-close after sending
  bool expect_response;  // a ret 1 response comes back before the close
  CodecError error;
};

std::vector<Case> Cases() {
  std::string bad_proto = Header(16 + 4, 4) + "\xff\xff\xff\xff";
  return {
      {"BadMagic", std::string(16, 'X'), false, true, CodecError::kBadMagic},
      {"OversizeTotal", Header(kMaxFrame + 1, 0), false, true, CodecError::kTooLarge},
      {"HeaderSizePastTotal", Header(20, 100) + "abcd", false, true, CodecError::kBadSize},
      {"BadProtobuf", bad_proto, false, true, CodecError::kBadProtocolHeader},
      {"TruncatedThenEof", Header(100, 10) + "short", true, false, CodecError::kOk},
  };
}

class MalformedInputTest : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.max_frame_size = kMaxFrame;
    options.threads = 2;
    server_ = testing::StartServer({{std::string(kEcho), EchoHandler()}}, options);
    for (int i = 0; i < 4; ++i) {
      clients_.push_back(testing::MakeClient(server_->port()));
      load_.emplace_back([this, client = clients_.back().get(), i] {
        while (!stop_.load()) {
          std::string body = "client-" + std::to_string(i);
          CallResult result = client->Call(EchoRequest(body));
          calls_.fetch_add(1);
          if (!result.ok() || result.body != body) failures_.fetch_add(1);
        }
      });
    }
  }
  void TearDown() override {
    stop_.store(true);
    for (auto& t : load_) t.join();
  }

  std::unique_ptr<Server> server_;
  std::vector<std::unique_ptr<Client>> clients_;
  std::vector<std::thread> load_;
  std::atomic<bool> stop_{false};
  std::atomic<int> calls_{0};
  std::atomic<int> failures_{0};
};

TEST_P(MalformedInputTest, ClosesOnlyTheOffendingConnection) {
  const Case& c = GetParam();
  while (calls_.load() < 20) std::this_thread::sleep_for(1ms);  // the load is flowing
  auto raw = net::testing::RawConnection::Connect(server_->port());
  ASSERT_TRUE(raw->Send(c.bytes));
  if (c.then_eof) ::shutdown(raw->fd(), SHUT_WR);
  if (c.expect_response) {
    std::string buffer, bytes;
    ResponseFrame frame;
    ASSERT_TRUE(testing::ReadResponseFrame(raw->fd(), &buffer, &bytes, &frame));
    EXPECT_EQ(frame.head.ret, kRetServerDecodeError);
    EXPECT_EQ(frame.head.request_id, 0u);
    EXPECT_EQ(frame.head.error_msg, CodecErrorName(c.error));
  }
  bool closed = false;
  raw->ReadUntilClose(&closed, 3s);
  EXPECT_TRUE(closed);
  int before = calls_.load();
  while (calls_.load() < before + 20) std::this_thread::sleep_for(1ms);  // still flowing
  EXPECT_EQ(failures_.load(), 0);
  EXPECT_EQ(server_->stats().decode_errors, 1u);
}

INSTANTIATE_TEST_SUITE_P(Frames, MalformedInputTest, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(MalformedRequestIdTest, EchoesTheRequestIdWhenTheProtocolHeaderDecodes) {
  ServerOptions options;
  auto server = testing::StartServer({{std::string(kEcho), EchoHandler()}}, options);
  // A valid protocol header announcing an attachment larger than the frame.
  RequestHead head;
  head.request_id = 42;
  head.func = kEcho;
  head.attachment_size = 1000;
  std::string proto;
  EncodeRequestHead(head, &proto);
  std::string frame =
      Header(static_cast<uint32_t>(16 + proto.size()), static_cast<uint16_t>(proto.size())) + proto;
  auto raw = net::testing::RawConnection::Connect(server->port());
  ASSERT_TRUE(raw->Send(frame));
  std::string buffer, bytes;
  ResponseFrame response;
  ASSERT_TRUE(testing::ReadResponseFrame(raw->fd(), &buffer, &bytes, &response));
  EXPECT_EQ(response.head.ret, kRetServerDecodeError);
  EXPECT_EQ(response.head.request_id, 42u);
}

}  // namespace
}  // namespace tracewire::trpc
