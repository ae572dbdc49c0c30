// Decodes and re-encodes the shared vectors of testdata/trpc/frames.json.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "base/hex.h"
#include "trpc/frame_codec.h"

namespace tracewire::trpc {
namespace {

using nlohmann::json;

json LoadVectors() {
  std::ifstream in(std::string(TW_SOURCE_DIR) + "/testdata/trpc/frames.json");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

std::string Unhex(const std::string& hex) {
  std::string out(hex.size() / 2, '\0');
  EXPECT_TRUE(DecodeHexTo(hex, reinterpret_cast<uint8_t*>(out.data()), out.size())) << hex;
  return out;
}

uint64_t U(const json& obj, const char* key) { return obj.value(key, uint64_t{0}); }
int64_t I(const json& obj, const char* key) { return obj.value(key, int64_t{0}); }
std::string S(const json& obj, const char* key) { return obj.value(key, std::string()); }

TransInfoView Entries(const json& obj) {
  TransInfoView out;
  if (!obj.contains("trans_info")) return out;
  for (const json& pair : obj["trans_info"]) {
    out.push_back({pair[0].get_ref<const std::string&>(), pair[1].get_ref<const std::string&>()});
  }
  return out;
}

void ExpectHeader(const FrameHeader& h, const json& want) {
  EXPECT_EQ(static_cast<int>(h.data_frame_type), want["data_frame_type"].get<int>());
  EXPECT_EQ(static_cast<int>(h.stream_frame_type), want["stream_frame_type"].get<int>());
  EXPECT_EQ(h.stream_id, want["stream_id"].get<uint32_t>());
  EXPECT_EQ(h.version, want["version"].get<int>());
}

void CheckRequest(const json& v, const std::string& bytes, size_t max) {
  RequestFrame f;
  ASSERT_EQ(DecodeRequestFrame(bytes, max, &f), CodecError::kOk);
  ExpectHeader(f.header, v["header"]);
  const json& head = v["head"];
  EXPECT_EQ(f.head.version, U(head, "version"));
  EXPECT_EQ(f.head.call_type, U(head, "call_type"));
  EXPECT_EQ(f.head.request_id, U(head, "request_id"));
  EXPECT_EQ(f.head.timeout_ms, U(head, "timeout"));
  EXPECT_EQ(f.head.caller, S(head, "caller"));
  EXPECT_EQ(f.head.callee, S(head, "callee"));
  EXPECT_EQ(f.head.func, S(head, "func"));
  EXPECT_EQ(f.head.message_type, U(head, "message_type"));
  EXPECT_EQ(f.head.trans_info, Entries(head));
  EXPECT_EQ(f.head.content_type, U(head, "content_type"));
  EXPECT_EQ(f.head.content_encoding, U(head, "content_encoding"));
  EXPECT_EQ(f.head.attachment_size, U(head, "attachment_size"));
  EXPECT_EQ(f.body, Unhex(v["body_hex"]));
  EXPECT_EQ(f.attachment, Unhex(v["attachment_hex"]));
  std::string again;
  ASSERT_EQ(AppendRequestFrame(f.head, f.body, f.attachment, max, &again), CodecError::kOk);
  EXPECT_EQ(EncodeHex(reinterpret_cast<const uint8_t*>(again.data()), again.size()),
            v["hex"].get<std::string>());
}

void CheckResponse(const json& v, const std::string& bytes, size_t max) {
  ResponseFrame f;
  ASSERT_EQ(DecodeResponseFrame(bytes, max, &f), CodecError::kOk);
  ExpectHeader(f.header, v["header"]);
  const json& head = v["head"];
  EXPECT_EQ(f.head.request_id, U(head, "request_id"));
  EXPECT_EQ(f.head.ret, I(head, "ret"));
  EXPECT_EQ(f.head.func_ret, I(head, "func_ret"));
  EXPECT_EQ(f.head.error_msg, S(head, "error_msg"));
  EXPECT_EQ(f.head.trans_info, Entries(head));
  EXPECT_EQ(f.head.content_type, U(head, "content_type"));
  EXPECT_EQ(f.head.attachment_size, U(head, "attachment_size"));
  EXPECT_EQ(f.body, Unhex(v["body_hex"]));
  EXPECT_EQ(f.attachment, Unhex(v["attachment_hex"]));
  std::string again;
  ASSERT_EQ(AppendResponseFrame(f.head, f.body, f.attachment, max, &again), CodecError::kOk);
  EXPECT_EQ(again, bytes);
}

void CheckStream(const json& v, const std::string& bytes, size_t max) {
  StreamFrame f;
  ASSERT_EQ(DecodeStreamFrame(bytes, max, &f), CodecError::kOk);
  ExpectHeader(f.header, v["header"]);
  if (v.contains("init_meta")) {
    StreamInitMeta m;
    ASSERT_EQ(DecodeStreamInitMeta(f.meta, &m), CodecError::kOk);
    const json& want = v["init_meta"];
    EXPECT_EQ(m.init_window_size, U(want, "init_window_size"));
    EXPECT_TRUE(m.has_request_meta);
    EXPECT_EQ(m.request_meta.func, S(want["request_meta"], "func"));
    EXPECT_EQ(m.request_meta.caller, S(want["request_meta"], "caller"));
    EXPECT_EQ(m.request_meta.trans_info, Entries(want["request_meta"]));
  }
  if (v.contains("feedback_meta")) {
    StreamFeedbackMeta m;
    ASSERT_EQ(DecodeStreamFeedbackMeta(f.meta, &m), CodecError::kOk);
    EXPECT_EQ(m.window_size_increment, U(v["feedback_meta"], "window_size_increment"));
  }
  if (v.contains("close_meta")) {
    StreamCloseMeta m;
    ASSERT_EQ(DecodeStreamCloseMeta(f.meta, &m), CodecError::kOk);
    const json& want = v["close_meta"];
    EXPECT_EQ(m.close_type, I(want, "close_type"));
    EXPECT_EQ(m.ret, I(want, "ret"));
    EXPECT_EQ(m.msg, S(want, "msg"));
    EXPECT_EQ(m.trans_info, Entries(want));
    EXPECT_EQ(m.func_ret, I(want, "func_ret"));
  }
  if (v.contains("body_hex")) EXPECT_EQ(f.body, Unhex(v["body_hex"]));
  std::string again;
  ASSERT_EQ(AppendStreamFrame(f.header.stream_frame_type, f.header.stream_id, f.meta, f.body, max,
                              &again),
            CodecError::kOk);
  EXPECT_EQ(again, bytes);
}

CodecError DecodeAs(const std::string& kind, const std::string& bytes, size_t max) {
  if (kind == "request") {
    RequestFrame f;
    return DecodeRequestFrame(bytes, max, &f);
  }
  if (kind == "response") {
    ResponseFrame f;
    return DecodeResponseFrame(bytes, max, &f);
  }
  StreamFrame f;
  return DecodeStreamFrame(bytes, max, &f);
}

TEST(FrameVectors, ValidFramesDecodeToTheirFieldsAndReencodeByteForByte) {
  const json doc = LoadVectors();
  const auto max = doc["max_frame_size"].get<size_t>();
  ASSERT_GE(doc["valid"].size(), 5u);
  for (const json& v : doc["valid"]) {
    SCOPED_TRACE(v["name"].get<std::string>());
    const std::string bytes = Unhex(v["hex"]);
    const std::string kind = v["kind"];
    if (kind == "request") CheckRequest(v, bytes, max);
    if (kind == "response") CheckResponse(v, bytes, max);
    if (kind == "stream") CheckStream(v, bytes, max);
  }
}

TEST(FrameVectors, InvalidFramesGiveTheNamedError) {
  const json doc = LoadVectors();
  ASSERT_GE(doc["invalid"].size(), 10u);
  for (const json& v : doc["invalid"]) {
    SCOPED_TRACE(v["name"].get<std::string>());
    const size_t max = v.value("max_frame_size", doc["max_frame_size"].get<size_t>());
    const CodecError error = DecodeAs(v["kind"], Unhex(v["hex"]), max);
    EXPECT_EQ(CodecErrorName(error), v["error"].get<std::string>());
  }
}

}  // namespace
}  // namespace tracewire::trpc
