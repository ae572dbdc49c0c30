// The protobuf headers of tRPC frames (trpc.proto's RequestProtocol, ResponseProtocol and the
// streaming metas), as plain structs whose strings are views, with a hand-written protobuf
// encoder and decoder. Decoding allocates only the trans_info vector; the views point into the
// decoded bytes, which must outlive the struct. Encoding reads the views, so whatever they point
// to must live until the Encode call returns. Field numbers: proto/trpc.proto.
//
// Decoders accept what libprotobuf accepts for these messages: fields in any order, repeated
// scalars (last wins), unknown fields skipped; for map entries a repeated key keeps the last
// value. They reject wrong wire types, truncated varints or lengths, and nesting they do not
// expect, with CodecError::kBadProtocolHeader.
// Encoders write fields in field-number order, omit zero/empty scalars (proto3), and write
// trans_info entries in vector order; the output parses with libprotobuf to equal messages.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "trpc/frame_format.h"

namespace tracewire::trpc {

struct TransInfoEntry {
  std::string_view key;
  std::string_view value;  // bytes
  friend bool operator==(const TransInfoEntry&, const TransInfoEntry&) = default;
};
using TransInfoView = std::vector<TransInfoEntry>;

// Returns the value of the last entry named `key`, or nullptr.
const std::string_view* FindTransInfo(const TransInfoView& trans_info, std::string_view key);

struct RequestHead {              // RequestProtocol
  uint32_t version = 0;           // 1
  uint32_t call_type = 0;         // 2: kCallTypeUnary or kCallTypeOneway
  uint32_t request_id = 0;        // 3
  uint32_t timeout_ms = 0;        // 4: 0 = none
  std::string_view caller;        // 5
  std::string_view callee;        // 6
  std::string_view func;          // 7: "/pkg.Service/Method"
  uint32_t message_type = 0;      // 8
  TransInfoView trans_info;       // 9
  uint32_t content_type = 0;      // 10
  uint32_t content_encoding = 0;  // 11
  uint32_t attachment_size = 0;   // 12: bytes
};

struct ResponseHead {             // ResponseProtocol
  uint32_t version = 0;           // 1
  uint32_t call_type = 0;         // 2
  uint32_t request_id = 0;        // 3
  int32_t ret = 0;                // 4: RetCode
  int32_t func_ret = 0;           // 5
  std::string_view error_msg;     // 6
  uint32_t message_type = 0;      // 7
  TransInfoView trans_info;       // 8
  uint32_t content_type = 0;      // 9
  uint32_t content_encoding = 0;  // 10
  uint32_t attachment_size = 0;   // 12: bytes
};

struct StreamInitRequestMeta {  // TrpcStreamInitRequestMeta
  std::string_view caller;      // 1
  std::string_view callee;      // 2
  std::string_view func;        // 3
  uint32_t message_type = 0;    // 4
  TransInfoView trans_info;     // 5
};

struct StreamInitResponseMeta {  // TrpcStreamInitResponseMeta
  int32_t ret = 0;               // 1
  std::string_view error_msg;    // 2
};

struct StreamInitMeta {  // TrpcStreamInitMeta
  bool has_request_meta = false;
  StreamInitRequestMeta request_meta;  // 1
  bool has_response_meta = false;
  StreamInitResponseMeta response_meta;  // 2
  uint32_t init_window_size = 0;         // 3: bytes
  uint32_t content_type = 0;             // 4
  uint32_t content_encoding = 0;         // 5
};

struct StreamFeedbackMeta {            // TrpcStreamFeedBackMeta
  uint32_t window_size_increment = 0;  // 1: bytes
};

struct StreamCloseMeta {      // TrpcStreamCloseMeta
  int32_t close_type = 0;     // 1: 0 close, 1 reset
  int32_t ret = 0;            // 2
  std::string_view msg;       // 3
  uint32_t message_type = 0;  // 4
  TransInfoView trans_info;   // 5
  int32_t func_ret = 0;       // 6
};

// Appends the protobuf encoding to *out. Hot path: one resize of *out, no other allocation.
void EncodeRequestHead(const RequestHead& head, std::string* out);
void EncodeResponseHead(const ResponseHead& head, std::string* out);
void EncodeStreamInitMeta(const StreamInitMeta& meta, std::string* out);
void EncodeStreamFeedbackMeta(const StreamFeedbackMeta& meta, std::string* out);
void EncodeStreamCloseMeta(const StreamCloseMeta& meta, std::string* out);

// The encoded sizes, in bytes, of the above.
size_t RequestHeadSize(const RequestHead& head);
size_t ResponseHeadSize(const ResponseHead& head);

// Decode `bytes` into *out (overwriting every field). kOk or kBadProtocolHeader.
CodecError DecodeRequestHead(std::string_view bytes, RequestHead* out);
CodecError DecodeResponseHead(std::string_view bytes, ResponseHead* out);
CodecError DecodeStreamInitMeta(std::string_view bytes, StreamInitMeta* out);
CodecError DecodeStreamFeedbackMeta(std::string_view bytes, StreamFeedbackMeta* out);
CodecError DecodeStreamCloseMeta(std::string_view bytes, StreamCloseMeta* out);

}  // namespace tracewire::trpc
