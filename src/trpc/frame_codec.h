// Whole tRPC frames: finding frame boundaries in a byte stream, and decoding or encoding unary
// request/response frames and streaming frames. Decoded frames are views into the input bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "trpc/frame_format.h"
#include "trpc/protocol.h"

namespace tracewire::trpc {

// Looks at the front of a connection's input buffer. On kOk, *frame_size is the size in bytes of
// the first complete frame, or 0 when more bytes are needed (fewer than 16, or fewer than the
// header's total size). On error the stream cannot be resynchronised and must be closed.
// Hot path: reads at most 16 bytes, never copies.
CodecError PeekFrame(std::string_view input, size_t max_frame_size, FrameHeader* header,
                     size_t* frame_size);

struct RequestFrame {
  FrameHeader header;
  RequestHead head;
  std::string_view body;
  std::string_view attachment;
};

struct ResponseFrame {
  FrameHeader header;
  ResponseHead head;
  std::string_view body;
  std::string_view attachment;
};

// One streaming frame. `meta` is the undecoded protobuf meta of INIT/FEEDBACK/CLOSE frames (use
// the Decode*Meta functions of protocol.h); for DATA frames it is empty and `body` holds the data.
// As in trpc-go, the meta or data is everything after the 16-byte header (trpc-go writes stream
// frames with proto header size 0).
struct StreamFrame {
  FrameHeader header;
  std::string_view meta;
  std::string_view body;
};

// Decode exactly one whole frame (`frame` is header.total_size bytes, as found by PeekFrame).
// Errors: the frame-header errors, kTruncated when `frame` is shorter than its total size,
// kBadSize when longer, kBadFrameType for a stream frame given to a unary decoder or the
// reverse, kBadProtocolHeader, kBadAttachmentSize.
CodecError DecodeRequestFrame(std::string_view frame, size_t max_frame_size, RequestFrame* out);
CodecError DecodeResponseFrame(std::string_view frame, size_t max_frame_size, ResponseFrame* out);
CodecError DecodeStreamFrame(std::string_view frame, size_t max_frame_size, StreamFrame* out);

// Append one whole frame to *out, setting head.attachment_size from `attachment` and the frame
// header's sizes; unary frames carry version 1 and the request id as stream id, like trpc-go's.
// Fails with kTooLarge (appending nothing) when the frame would exceed max_frame_size or the proto
// header 65535 bytes. Hot path: one resize of *out.
CodecError AppendRequestFrame(const RequestHead& head, std::string_view body,
                              std::string_view attachment, size_t max_frame_size, std::string* out);
CodecError AppendResponseFrame(const ResponseHead& head, std::string_view body,
                               std::string_view attachment, size_t max_frame_size,
                               std::string* out);
// Streaming frames: `meta` is an encoded meta (or empty for DATA), `body` the DATA payload; both
// follow the header, whose proto header size is 0. kBadFrameType for StreamFrameType::kUnary.
CodecError AppendStreamFrame(StreamFrameType type, uint32_t stream_id, std::string_view meta,
                             std::string_view body, size_t max_frame_size, std::string* out);

}  // namespace tracewire::trpc
