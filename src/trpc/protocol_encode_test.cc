// The hand-written encoders against libprotobuf's SerializeAsString of the same messages.
#include <gtest/gtest.h>

#include <string>

#include "trpc.pb.h"
#include "trpc/protocol.h"
#include "trpc/ret_code.h"

namespace tracewire::trpc {
namespace {

RequestHead FullRequest() {
  RequestHead h;
  h.version = 1;
  h.call_type = kCallTypeOneway;
  h.request_id = 300;
  h.timeout_ms = 1000;
  h.caller = "trpc.app.server.Caller";
  h.callee = "trpc.test.echo.Echo";
  h.func = "/trpc.test.echo.Echo/Echo";
  h.message_type = 2;
  h.trans_info = {{"traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}};
  h.content_type = kContentTypeJson;
  h.content_encoding = 1;
  h.attachment_size = 70000;
  return h;
}

::trpc::RequestProtocol ToProto(const RequestHead& h) {
  ::trpc::RequestProtocol p;
  p.set_version(h.version);
  p.set_call_type(h.call_type);
  p.set_request_id(h.request_id);
  p.set_timeout(h.timeout_ms);
  p.set_caller(std::string(h.caller));
  p.set_callee(std::string(h.callee));
  p.set_func(std::string(h.func));
  p.set_message_type(h.message_type);
  for (const auto& e : h.trans_info) (*p.mutable_trans_info())[std::string(e.key)] = e.value;
  p.set_content_type(h.content_type);
  p.set_content_encoding(h.content_encoding);
  p.set_attachment_size(h.attachment_size);
  return p;
}

ResponseHead FullResponse() {
  ResponseHead h;
  h.version = 1;
  h.call_type = 0;
  h.request_id = 0xffffffff;
  h.ret = kRetServerNoFunc;
  h.func_ret = -7;
  h.error_msg = "no such func";
  h.message_type = 16;
  h.trans_info = {{"k", std::string_view("\0v", 2)}};
  h.content_type = kContentTypeNoop;
  h.content_encoding = 3;
  h.attachment_size = 5;
  return h;
}

::trpc::ResponseProtocol ToProto(const ResponseHead& h) {
  ::trpc::ResponseProtocol p;
  p.set_version(h.version);
  p.set_call_type(h.call_type);
  p.set_request_id(h.request_id);
  p.set_ret(h.ret);
  p.set_func_ret(h.func_ret);
  p.set_error_msg(std::string(h.error_msg));
  p.set_message_type(h.message_type);
  for (const auto& e : h.trans_info) (*p.mutable_trans_info())[std::string(e.key)] = e.value;
  p.set_content_type(h.content_type);
  p.set_content_encoding(h.content_encoding);
  p.set_attachment_size(h.attachment_size);
  return p;
}

std::string Encode(const RequestHead& h) {
  std::string out;
  EncodeRequestHead(h, &out);
  return out;
}

std::string Encode(const ResponseHead& h) {
  std::string out;
  EncodeResponseHead(h, &out);
  return out;
}

TEST(ProtocolEncode, DefaultHeadsEncodeToNothing) {
  EXPECT_EQ(Encode(RequestHead{}), "");
  EXPECT_EQ(Encode(ResponseHead{}), "");
}

TEST(ProtocolEncode, RequestHeadIsByteIdenticalToLibprotobuf) {
  const RequestHead h = FullRequest();
  EXPECT_EQ(Encode(h), ToProto(h).SerializeAsString());
}

TEST(ProtocolEncode, ResponseHeadIsByteIdenticalToLibprotobuf) {
  const ResponseHead h = FullResponse();
  EXPECT_EQ(Encode(h), ToProto(h).SerializeAsString());
}

TEST(ProtocolEncode, NegativeInt32IsATenByteVarint) {
  ResponseHead h;
  h.ret = -1;
  const std::string bytes = Encode(h);
  EXPECT_EQ(bytes, std::string("\x20\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11));
  EXPECT_EQ(bytes, ToProto(h).SerializeAsString());
}

TEST(ProtocolEncode, EmptyKeyAndValueAreStillWrittenInTheMapEntry) {
  RequestHead h;
  h.trans_info = {{"", ""}};
  EXPECT_EQ(Encode(h), std::string("\x4a\x04\x0a\x00\x12\x00", 6));
  EXPECT_EQ(Encode(h), ToProto(h).SerializeAsString());
}

TEST(ProtocolEncode, ManyTransInfoEntriesParseToTheSameMap) {
  RequestHead h = FullRequest();
  std::vector<std::string> keys;
  std::vector<std::string> values;
  for (int i = 0; i < 20; ++i) {
    keys.push_back("key-" + std::to_string(i));
    values.push_back(keys.back() + "-value");
  }
  for (size_t i = 0; i < keys.size(); ++i) h.trans_info.push_back({keys[i], values[i]});
  ::trpc::RequestProtocol parsed;
  ASSERT_TRUE(parsed.ParseFromString(Encode(h)));
  EXPECT_EQ(parsed.trans_info_size(), 21);
  for (const auto& k : keys) EXPECT_EQ(parsed.trans_info().at(k), k + "-value");
  EXPECT_EQ(parsed.SerializeAsString().size(), Encode(h).size());
}

TEST(ProtocolEncode, SizeFunctionsMatchTheEncoding) {
  EXPECT_EQ(RequestHeadSize(FullRequest()), Encode(FullRequest()).size());
  EXPECT_EQ(ResponseHeadSize(FullResponse()), Encode(FullResponse()).size());
}

TEST(ProtocolEncode, EncodersAppendToTheOutput) {
  std::string out = "prefix";
  EncodeRequestHead(FullRequest(), &out);
  EXPECT_EQ(out, "prefix" + Encode(FullRequest()));
}

TEST(ProtocolEncode, StreamInitMetaIsByteIdenticalToLibprotobuf) {
  StreamInitMeta m;
  m.has_request_meta = true;
  m.request_meta.caller = "caller";
  m.request_meta.callee = "callee";
  m.request_meta.func = "/a.B/C";
  m.request_meta.message_type = 1;
  m.request_meta.trans_info = {{"traceparent", "x"}};
  m.has_response_meta = true;
  m.response_meta.ret = -3;
  m.response_meta.error_msg = "err";
  m.init_window_size = 65535;
  m.content_type = 2;
  m.content_encoding = 1;
  ::trpc::TrpcStreamInitMeta p;
  p.mutable_request_meta()->set_caller("caller");
  p.mutable_request_meta()->set_callee("callee");
  p.mutable_request_meta()->set_func("/a.B/C");
  p.mutable_request_meta()->set_message_type(1);
  (*p.mutable_request_meta()->mutable_trans_info())["traceparent"] = "x";
  p.mutable_response_meta()->set_ret(-3);
  p.mutable_response_meta()->set_error_msg("err");
  p.set_init_window_size(65535);
  p.set_content_type(2);
  p.set_content_encoding(1);
  std::string out;
  EncodeStreamInitMeta(m, &out);
  EXPECT_EQ(out, p.SerializeAsString());
}

TEST(ProtocolEncode, PresentButEmptyInitRequestMetaIsWritten) {
  StreamInitMeta m;
  m.has_request_meta = true;
  ::trpc::TrpcStreamInitMeta p;
  p.mutable_request_meta();
  std::string out;
  EncodeStreamInitMeta(m, &out);
  EXPECT_EQ(out, std::string("\x0a\x00", 2));
  EXPECT_EQ(out, p.SerializeAsString());
}

TEST(ProtocolEncode, StreamFeedbackMetaIsByteIdenticalToLibprotobuf) {
  StreamFeedbackMeta m;
  m.window_size_increment = 1 << 20;
  ::trpc::TrpcStreamFeedBackMeta p;
  p.set_window_size_increment(1 << 20);
  std::string out;
  EncodeStreamFeedbackMeta(m, &out);
  EXPECT_EQ(out, p.SerializeAsString());
}

TEST(ProtocolEncode, StreamCloseMetaIsByteIdenticalToLibprotobuf) {
  StreamCloseMeta m;
  m.close_type = 1;
  m.ret = kRetServerSystemError;
  m.msg = "reset";
  m.message_type = 4;
  m.trans_info = {{"tracestate", "a=b"}};
  m.func_ret = -2;
  ::trpc::TrpcStreamCloseMeta p;
  p.set_close_type(1);
  p.set_ret(kRetServerSystemError);
  p.set_msg("reset");
  p.set_message_type(4);
  (*p.mutable_trans_info())["tracestate"] = "a=b";
  p.set_func_ret(-2);
  std::string out;
  EncodeStreamCloseMeta(m, &out);
  EXPECT_EQ(out, p.SerializeAsString());
}

}  // namespace
}  // namespace tracewire::trpc
