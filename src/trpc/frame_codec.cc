// Whole-frame decoding and encoding (frame_codec.h). Layout: frame_format.h.
#include "trpc/frame_codec.h"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "trpc/internal/proto_wire.h"
#include "trpc/internal/protocol_encode.h"

namespace tracewire::trpc {
namespace {

// Validates the frame header of a whole frame of the wanted kind and checks that `frame` is
// exactly as long as it announces.
CodecError CheckWholeFrame(std::string_view frame, size_t max_frame_size, DataFrameType want,
                           FrameHeader* header) {
  if (frame.size() < kFrameHeaderSize) return CodecError::kTruncated;
  const CodecError error = DecodeFrameHeader(frame, max_frame_size, header);
  if (error != CodecError::kOk) return error;
  if (header->data_frame_type != want) return CodecError::kBadFrameType;
  if (frame.size() < header->total_size) return CodecError::kTruncated;
  if (frame.size() > header->total_size) return CodecError::kBadSize;
  return CodecError::kOk;
}

// Splits what follows the proto header into body and attachment.
template <typename Frame>
CodecError SplitPayload(std::string_view frame, Frame* out) {
  const std::string_view payload = frame.substr(kFrameHeaderSize + out->header.proto_header_size);
  if (out->head.attachment_size > payload.size()) return CodecError::kBadAttachmentSize;
  const size_t body_size = payload.size() - out->head.attachment_size;
  out->body = payload.substr(0, body_size);
  out->attachment = payload.substr(body_size);
  return CodecError::kOk;
}

std::string_view ProtoHeaderOf(std::string_view frame, const FrameHeader& header) {
  return frame.substr(kFrameHeaderSize, header.proto_header_size);
}

// Checks the sizes of a frame to be written; on success *total is its size in bytes.
CodecError FrameTotal(size_t proto_header_size, size_t payload_size, size_t max_frame_size,
                      size_t* total) {
  if (proto_header_size > std::numeric_limits<uint16_t>::max()) return CodecError::kTooLarge;
  *total = kFrameHeaderSize + proto_header_size + payload_size;
  if (*total > max_frame_size || *total > std::numeric_limits<uint32_t>::max()) {
    return CodecError::kTooLarge;
  }
  return CodecError::kOk;
}

// Grows *out by `total` bytes, writes a unary frame header there and returns where the proto
// header goes.
char* StartFrame(const FrameHeader& header, std::string* out) {
  const size_t old = out->size();
  out->resize(old + header.total_size);
  char* p = out->data() + old;
  EncodeFrameHeader(header, p);
  return p + kFrameHeaderSize;
}

// trpc-go v1 writes protocol version 1 and repeats the request id as the stream id in unary
// frames (trpc-go codec.go: curProtocolVersion, FrameHead.upgradeProtocol); we do the same so
// our frames are indistinguishable from its own.
constexpr uint8_t kUnaryProtocolVersion = 1;

FrameHeader UnaryHeader(size_t total, size_t proto_header_size, uint32_t request_id) {
  FrameHeader header;
  header.total_size = static_cast<uint32_t>(total);
  header.proto_header_size = static_cast<uint16_t>(proto_header_size);
  header.stream_id = request_id;
  header.version = kUnaryProtocolVersion;
  return header;
}

bool AttachmentFits(std::string_view attachment) {
  return attachment.size() <= std::numeric_limits<uint32_t>::max();
}

}  // namespace

CodecError PeekFrame(std::string_view input, size_t max_frame_size, FrameHeader* header,
                     size_t* frame_size) {
  *frame_size = 0;
  if (input.size() < kFrameHeaderSize) return CodecError::kOk;
  const CodecError error = DecodeFrameHeader(input, max_frame_size, header);
  if (error != CodecError::kOk) return error;
  if (input.size() >= header->total_size) *frame_size = header->total_size;
  return CodecError::kOk;
}

CodecError DecodeRequestFrame(std::string_view frame, size_t max_frame_size, RequestFrame* out) {
  CodecError error = CheckWholeFrame(frame, max_frame_size, DataFrameType::kUnary, &out->header);
  if (error != CodecError::kOk) return error;
  error = DecodeRequestHead(ProtoHeaderOf(frame, out->header), &out->head);
  if (error != CodecError::kOk) return error;
  return SplitPayload(frame, out);
}

CodecError DecodeResponseFrame(std::string_view frame, size_t max_frame_size, ResponseFrame* out) {
  CodecError error = CheckWholeFrame(frame, max_frame_size, DataFrameType::kUnary, &out->header);
  if (error != CodecError::kOk) return error;
  error = DecodeResponseHead(ProtoHeaderOf(frame, out->header), &out->head);
  if (error != CodecError::kOk) return error;
  return SplitPayload(frame, out);
}

CodecError DecodeStreamFrame(std::string_view frame, size_t max_frame_size, StreamFrame* out) {
  const CodecError error =
      CheckWholeFrame(frame, max_frame_size, DataFrameType::kStream, &out->header);
  if (error != CodecError::kOk) return error;
  // trpc-go writes stream metas after the 16-byte header with proto header size 0, and reads
  // everything after the header as the meta (or the data); so do we, whatever the size says.
  const std::string_view payload = frame.substr(kFrameHeaderSize);
  if (out->header.stream_frame_type == StreamFrameType::kData) {
    out->meta = std::string_view();
    out->body = payload;
  } else {
    out->meta = payload;
    out->body = std::string_view();
  }
  return CodecError::kOk;
}

CodecError AppendRequestFrame(const RequestHead& head, std::string_view body,
                              std::string_view attachment, size_t max_frame_size,
                              std::string* out) {
  if (!AttachmentFits(attachment)) return CodecError::kTooLarge;
  const auto attachment_size = static_cast<uint32_t>(attachment.size());
  const size_t head_size = internal::RequestHeadSizeWith(head, attachment_size);
  size_t total = 0;
  const CodecError error =
      FrameTotal(head_size, body.size() + attachment.size(), max_frame_size, &total);
  if (error != CodecError::kOk) return error;
  char* p = StartFrame(UnaryHeader(total, head_size, head.request_id), out);
  p = internal::WriteRequestHead(head, attachment_size, p);
  p = internal::WriteBytes(p, body);
  internal::WriteBytes(p, attachment);
  return CodecError::kOk;
}

CodecError AppendResponseFrame(const ResponseHead& head, std::string_view body,
                               std::string_view attachment, size_t max_frame_size,
                               std::string* out) {
  if (!AttachmentFits(attachment)) return CodecError::kTooLarge;
  const auto attachment_size = static_cast<uint32_t>(attachment.size());
  const size_t head_size = internal::ResponseHeadSizeWith(head, attachment_size);
  size_t total = 0;
  const CodecError error =
      FrameTotal(head_size, body.size() + attachment.size(), max_frame_size, &total);
  if (error != CodecError::kOk) return error;
  char* p = StartFrame(UnaryHeader(total, head_size, head.request_id), out);
  p = internal::WriteResponseHead(head, attachment_size, p);
  p = internal::WriteBytes(p, body);
  internal::WriteBytes(p, attachment);
  return CodecError::kOk;
}

CodecError AppendStreamFrame(StreamFrameType type, uint32_t stream_id, std::string_view meta,
                             std::string_view body, size_t max_frame_size, std::string* out) {
  if (type == StreamFrameType::kUnary || static_cast<uint8_t>(type) > 4) {
    return CodecError::kBadFrameType;
  }
  size_t total = 0;
  const CodecError error = FrameTotal(0, meta.size() + body.size(), max_frame_size, &total);
  if (error != CodecError::kOk) return error;
  FrameHeader header;  // proto header size 0 and version 0, as trpc-go's stream frames
  header.data_frame_type = DataFrameType::kStream;
  header.stream_frame_type = type;
  header.total_size = static_cast<uint32_t>(total);
  header.stream_id = stream_id;
  char* p = StartFrame(header, out);
  p = internal::WriteBytes(p, meta);
  internal::WriteBytes(p, body);
  return CodecError::kOk;
}

}  // namespace tracewire::trpc
