// The tRPC frame layout (DESIGN.md §2; trpc-group/trpc trpc/trpc.proto). Every frame is:
//
//   offset size  field
//   0      2     magic 0x0930
//   2      1     data frame type      (0 unary, 1 stream)
//   3      1     stream frame type    (0 unary, 1 INIT, 2 DATA, 3 FEEDBACK, 4 CLOSE)
//   4      4     total size           (this header + proto header + body + attachment)
//   8      2     proto header size    (RequestProtocol/ResponseProtocol; 0 in stream frames)
//   10     4     stream id            (unary: trpc-go v1 repeats the request id; readers ignore it)
//   14     1     protocol version     (unary: 1 as trpc-go v1 writes, stream: 0; any is accepted)
//   15     1     reserved             (0)
//   16     ...   proto header, then body, then attachment (size given by the proto header)
//
// All integers big-endian. Pure functions over bytes; no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tracewire::trpc {

inline constexpr uint16_t kMagic = 0x0930;
inline constexpr size_t kFrameHeaderSize = 16;
inline constexpr size_t kDefaultMaxFrameSize = size_t{10} * 1024 * 1024;  // bytes

enum class DataFrameType : uint8_t { kUnary = 0, kStream = 1 };
enum class StreamFrameType : uint8_t {
  kUnary = 0,
  kInit = 1,
  kData = 2,
  kFeedback = 3,
  kClose = 4
};

// Values of RequestProtocol.call_type.
inline constexpr uint32_t kCallTypeUnary = 0;
inline constexpr uint32_t kCallTypeOneway = 1;

// Values of content_type (TrpcContentEncodeType) used here.
inline constexpr uint32_t kContentTypeProto = 0;
inline constexpr uint32_t kContentTypeJson = 2;
inline constexpr uint32_t kContentTypeNoop = 4;

struct FrameHeader {
  DataFrameType data_frame_type = DataFrameType::kUnary;
  StreamFrameType stream_frame_type = StreamFrameType::kUnary;
  uint32_t total_size = 0;         // bytes, including these 16
  uint16_t proto_header_size = 0;  // bytes
  uint32_t stream_id = 0;
  uint8_t version = 0;
  uint8_t reserved = 0;
};

// Why bytes are not a frame. Every malformed input maps to exactly one of these.
enum class CodecError : uint8_t {
  kOk = 0,
  kBadMagic,           // first two bytes are not 0x0930
  kBadFrameType,       // data or stream frame type unknown, or unary/stream mixed
  kTooLarge,           // total size above the configured maximum
  kBadSize,            // total size below 16, or header size past the total
  kTruncated,          // fewer bytes than the header announces (only from whole-frame decoders)
  kBadProtocolHeader,  // the protobuf header does not parse
  kBadAttachmentSize,  // attachment size past the frame's end
};

// A stable lowercase name ("bad magic") for logs and error messages.
std::string_view CodecErrorName(CodecError error);

// Writes `header` into out[0..16). The magic is always kMagic.
void EncodeFrameHeader(const FrameHeader& header, char* out);

// Decodes and validates the first 16 bytes of `bytes`.
// REQUIRES: bytes.size() >= kFrameHeaderSize.
// Checks magic, frame types, kFrameHeaderSize <= total_size <= max_frame_size and
// kFrameHeaderSize + proto_header_size <= total_size.
CodecError DecodeFrameHeader(std::string_view bytes, size_t max_frame_size, FrameHeader* header);

}  // namespace tracewire::trpc
