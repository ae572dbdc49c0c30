// Hand-written protobuf encoders of protocol.h. Fields go out in field-number order, zero
// scalars and empty bytes are omitted (proto3), and each trans_info entry is a map entry
// message that always carries key (1) and value (2), as libprotobuf writes them.
#include "trpc/internal/protocol_encode.h"

#include <cstddef>
#include <cstdint>
#include <string>

#include "trpc/internal/proto_wire.h"
#include "trpc/protocol.h"

namespace tracewire::trpc {
namespace {

using internal::BytesFieldSize;
using internal::Int32AsVarint;
using internal::LenFieldSize;
using internal::Tag;
using internal::VarintFieldSize;
using internal::WireType;
using internal::WriteBytesField;
using internal::WriteLenField;
using internal::WriteVarint;
using internal::WriteVarintField;

size_t EntrySize(const TransInfoEntry& e) {
  return LenFieldSize(e.key.size()) + LenFieldSize(e.value.size());
}

size_t TransInfoSize(const TransInfoView& trans_info) {
  size_t n = 0;
  for (const TransInfoEntry& e : trans_info) n += LenFieldSize(EntrySize(e));
  return n;
}

char* WriteTransInfo(char* p, uint32_t field, const TransInfoView& trans_info) {
  for (const TransInfoEntry& e : trans_info) {
    *p++ = Tag(field, WireType::kLen);
    p = WriteVarint(p, EntrySize(e));
    p = WriteLenField(p, 1, e.key);
    p = WriteLenField(p, 2, e.value);
  }
  return p;
}

char* WriteInt32Field(char* p, uint32_t field, int32_t v) {
  return WriteVarintField(p, field, Int32AsVarint(v));
}

size_t Int32FieldSize(int32_t v) { return VarintFieldSize(Int32AsVarint(v)); }

size_t InitRequestMetaSize(const StreamInitRequestMeta& m) {
  return BytesFieldSize(m.caller.size()) + BytesFieldSize(m.callee.size()) +
         BytesFieldSize(m.func.size()) + VarintFieldSize(m.message_type) +
         TransInfoSize(m.trans_info);
}

size_t InitResponseMetaSize(const StreamInitResponseMeta& m) {
  return Int32FieldSize(m.ret) + BytesFieldSize(m.error_msg.size());
}

size_t InitMetaSize(const StreamInitMeta& m) {
  size_t n = 0;
  if (m.has_request_meta) n += LenFieldSize(InitRequestMetaSize(m.request_meta));
  if (m.has_response_meta) n += LenFieldSize(InitResponseMetaSize(m.response_meta));
  return n + VarintFieldSize(m.init_window_size) + VarintFieldSize(m.content_type) +
         VarintFieldSize(m.content_encoding);
}

size_t CloseMetaSize(const StreamCloseMeta& m) {
  return Int32FieldSize(m.close_type) + Int32FieldSize(m.ret) + BytesFieldSize(m.msg.size()) +
         VarintFieldSize(m.message_type) + TransInfoSize(m.trans_info) + Int32FieldSize(m.func_ret);
}

// Grows *out by `n` bytes and returns where they start.
char* Extend(std::string* out, size_t n) {
  const size_t old = out->size();
  out->resize(old + n);
  return out->data() + old;
}

}  // namespace

namespace internal {

size_t RequestHeadSizeWith(const RequestHead& h, uint32_t attachment_size) {
  return VarintFieldSize(h.version) + VarintFieldSize(h.call_type) + VarintFieldSize(h.request_id) +
         VarintFieldSize(h.timeout_ms) + BytesFieldSize(h.caller.size()) +
         BytesFieldSize(h.callee.size()) + BytesFieldSize(h.func.size()) +
         VarintFieldSize(h.message_type) + TransInfoSize(h.trans_info) +
         VarintFieldSize(h.content_type) + VarintFieldSize(h.content_encoding) +
         VarintFieldSize(attachment_size);
}

size_t ResponseHeadSizeWith(const ResponseHead& h, uint32_t attachment_size) {
  return VarintFieldSize(h.version) + VarintFieldSize(h.call_type) + VarintFieldSize(h.request_id) +
         Int32FieldSize(h.ret) + Int32FieldSize(h.func_ret) + BytesFieldSize(h.error_msg.size()) +
         VarintFieldSize(h.message_type) + TransInfoSize(h.trans_info) +
         VarintFieldSize(h.content_type) + VarintFieldSize(h.content_encoding) +
         VarintFieldSize(attachment_size);
}

char* WriteRequestHead(const RequestHead& h, uint32_t attachment_size, char* p) {
  p = WriteVarintField(p, 1, h.version);
  p = WriteVarintField(p, 2, h.call_type);
  p = WriteVarintField(p, 3, h.request_id);
  p = WriteVarintField(p, 4, h.timeout_ms);
  p = WriteBytesField(p, 5, h.caller);
  p = WriteBytesField(p, 6, h.callee);
  p = WriteBytesField(p, 7, h.func);
  p = WriteVarintField(p, 8, h.message_type);
  p = WriteTransInfo(p, 9, h.trans_info);
  p = WriteVarintField(p, 10, h.content_type);
  p = WriteVarintField(p, 11, h.content_encoding);
  return WriteVarintField(p, 12, attachment_size);
}

char* WriteResponseHead(const ResponseHead& h, uint32_t attachment_size, char* p) {
  p = WriteVarintField(p, 1, h.version);
  p = WriteVarintField(p, 2, h.call_type);
  p = WriteVarintField(p, 3, h.request_id);
  p = WriteInt32Field(p, 4, h.ret);
  p = WriteInt32Field(p, 5, h.func_ret);
  p = WriteBytesField(p, 6, h.error_msg);
  p = WriteVarintField(p, 7, h.message_type);
  p = WriteTransInfo(p, 8, h.trans_info);
  p = WriteVarintField(p, 9, h.content_type);
  p = WriteVarintField(p, 10, h.content_encoding);
  return WriteVarintField(p, 12, attachment_size);  // ResponseProtocol has no field 11
}

}  // namespace internal

size_t RequestHeadSize(const RequestHead& head) {
  return internal::RequestHeadSizeWith(head, head.attachment_size);
}

size_t ResponseHeadSize(const ResponseHead& head) {
  return internal::ResponseHeadSizeWith(head, head.attachment_size);
}

void EncodeRequestHead(const RequestHead& head, std::string* out) {
  char* p = Extend(out, RequestHeadSize(head));
  internal::WriteRequestHead(head, head.attachment_size, p);
}

void EncodeResponseHead(const ResponseHead& head, std::string* out) {
  char* p = Extend(out, ResponseHeadSize(head));
  internal::WriteResponseHead(head, head.attachment_size, p);
}

void EncodeStreamInitMeta(const StreamInitMeta& m, std::string* out) {
  char* p = Extend(out, InitMetaSize(m));
  if (m.has_request_meta) {
    const StreamInitRequestMeta& r = m.request_meta;
    *p++ = Tag(1, WireType::kLen);
    p = WriteVarint(p, InitRequestMetaSize(r));
    p = WriteBytesField(p, 1, r.caller);
    p = WriteBytesField(p, 2, r.callee);
    p = WriteBytesField(p, 3, r.func);
    p = WriteVarintField(p, 4, r.message_type);
    p = WriteTransInfo(p, 5, r.trans_info);
  }
  if (m.has_response_meta) {
    const StreamInitResponseMeta& r = m.response_meta;
    *p++ = Tag(2, WireType::kLen);
    p = WriteVarint(p, InitResponseMetaSize(r));
    p = WriteInt32Field(p, 1, r.ret);
    p = WriteBytesField(p, 2, r.error_msg);
  }
  p = WriteVarintField(p, 3, m.init_window_size);
  p = WriteVarintField(p, 4, m.content_type);
  WriteVarintField(p, 5, m.content_encoding);
}

void EncodeStreamFeedbackMeta(const StreamFeedbackMeta& m, std::string* out) {
  char* p = Extend(out, VarintFieldSize(m.window_size_increment));
  WriteVarintField(p, 1, m.window_size_increment);
}

void EncodeStreamCloseMeta(const StreamCloseMeta& m, std::string* out) {
  char* p = Extend(out, CloseMetaSize(m));
  p = WriteInt32Field(p, 1, m.close_type);
  p = WriteInt32Field(p, 2, m.ret);
  p = WriteBytesField(p, 3, m.msg);
  p = WriteVarintField(p, 4, m.message_type);
  p = WriteTransInfo(p, 5, m.trans_info);
  WriteInt32Field(p, 6, m.func_ret);
}

}  // namespace tracewire::trpc
