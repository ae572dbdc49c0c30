#include "trpc/frame_format.h"

#include <cstdint>

namespace tracewire::trpc {
namespace {

void PutU16(char* p, uint16_t v) {
  p[0] = static_cast<char>(v >> 8);
  p[1] = static_cast<char>(v);
}

void PutU32(char* p, uint32_t v) {
  p[0] = static_cast<char>(v >> 24);
  p[1] = static_cast<char>(v >> 16);
  p[2] = static_cast<char>(v >> 8);
  p[3] = static_cast<char>(v);
}

uint16_t GetU16(const char* p) {
  return static_cast<uint16_t>((static_cast<uint8_t>(p[0]) << 8) | static_cast<uint8_t>(p[1]));
}

uint32_t GetU32(const char* p) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(p[0])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(p[1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(p[2])) << 8) |
         static_cast<uint32_t>(static_cast<uint8_t>(p[3]));
}

}  // namespace

std::string_view CodecErrorName(CodecError error) {
  switch (error) {
    case CodecError::kOk: return "ok";
    case CodecError::kBadMagic: return "bad magic";
    case CodecError::kBadFrameType: return "bad frame type";
    case CodecError::kTooLarge: return "too large";
    case CodecError::kBadSize: return "bad size";
    case CodecError::kTruncated: return "truncated";
    case CodecError::kBadProtocolHeader: return "bad protocol header";
    case CodecError::kBadAttachmentSize: return "bad attachment size";
  }
  return "unknown codec error";
}

void EncodeFrameHeader(const FrameHeader& header, char* out) {
  PutU16(out, kMagic);
  out[2] = static_cast<char>(header.data_frame_type);
  out[3] = static_cast<char>(header.stream_frame_type);
  PutU32(out + 4, header.total_size);
  PutU16(out + 8, header.proto_header_size);
  PutU32(out + 10, header.stream_id);
  out[14] = static_cast<char>(header.version);
  out[15] = static_cast<char>(header.reserved);
}

CodecError DecodeFrameHeader(std::string_view bytes, size_t max_frame_size, FrameHeader* header) {
  const char* p = bytes.data();
  if (GetU16(p) != kMagic) return CodecError::kBadMagic;
  const auto data_type = static_cast<uint8_t>(p[2]);
  const auto stream_type = static_cast<uint8_t>(p[3]);
  if (data_type == static_cast<uint8_t>(DataFrameType::kUnary)) {
    if (stream_type != static_cast<uint8_t>(StreamFrameType::kUnary)) {
      return CodecError::kBadFrameType;
    }
  } else if (data_type == static_cast<uint8_t>(DataFrameType::kStream)) {
    if (stream_type < static_cast<uint8_t>(StreamFrameType::kInit) ||
        stream_type > static_cast<uint8_t>(StreamFrameType::kClose)) {
      return CodecError::kBadFrameType;
    }
  } else {
    return CodecError::kBadFrameType;
  }
  const uint32_t total_size = GetU32(p + 4);
  const uint16_t proto_header_size = GetU16(p + 8);
  if (total_size < kFrameHeaderSize) return CodecError::kBadSize;
  if (total_size > max_frame_size) return CodecError::kTooLarge;
  if (kFrameHeaderSize + proto_header_size > total_size) return CodecError::kBadSize;
  header->data_frame_type = static_cast<DataFrameType>(data_type);
  header->stream_frame_type = static_cast<StreamFrameType>(stream_type);
  header->total_size = total_size;
  header->proto_header_size = proto_header_size;
  header->stream_id = GetU32(p + 10);
  header->version = static_cast<uint8_t>(p[14]);
  header->reserved = static_cast<uint8_t>(p[15]);
  return CodecError::kOk;
}

}  // namespace tracewire::trpc
