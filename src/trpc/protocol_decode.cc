// Hand-written protobuf decoders of protocol.h. Each decoder walks the fields once; strings are
// views into the input. Repeated scalar fields keep the last value; a repeated message field
// (the INIT metas) merges into one struct, as protobuf does; unknown fields of valid wire types
// are skipped. A known field with the wrong wire type, truncation, over-long varints, groups and
// field number 0 are errors (kBadProtocolHeader).
#include <cstdint>
#include <string_view>
#include <utility>

#include "trpc/internal/proto_wire.h"
#include "trpc/protocol.h"

namespace tracewire::trpc {
namespace {

using internal::WireReader;
using internal::WireType;

// One field of a message being decoded: its number, and its value as a varint or as bytes.
struct Field {
  uint32_t number = 0;
  WireType type = WireType::kVarint;
  uint64_t varint = 0;
  std::string_view bytes;
};

// Reads the next field. `Expected` maps a field number to the wire type the field must have, or
// to kEndGroup when the message has no such field (a template argument, so it inlines). Known
// fields must carry the expected wire type and get their value read; unknown ones are skipped
// and reported with number 0.
template <WireType (*Expected)(uint32_t)>
inline bool NextField(WireReader& r, Field* f) {
  WireType type{};
  if (!r.ReadTag(&f->number, &type)) return false;
  const WireType want = Expected(f->number);
  if (want == WireType::kEndGroup) {  // not a field of this message
    f->number = 0;
    return r.Skip(type);
  }
  if (type != want) return false;
  f->type = type;
  if (type == WireType::kVarint) return r.ReadVarint(&f->varint);
  return r.ReadLengthDelimited(&f->bytes);
}

uint32_t AsU32(const Field& f) { return static_cast<uint32_t>(f.varint); }
int32_t AsI32(const Field& f) { return static_cast<int32_t>(static_cast<uint32_t>(f.varint)); }

// Map entries: key (1) and value (2), both length-delimited; missing ones are empty.
WireType EntryField(uint32_t n) { return n == 1 || n == 2 ? WireType::kLen : WireType::kEndGroup; }

bool AppendEntry(std::string_view entry, TransInfoView* out) {
  WireReader r(entry);
  TransInfoEntry e;
  Field f;
  while (!r.done()) {
    if (!NextField<EntryField>(r, &f)) return false;
    if (f.number == 1) e.key = f.bytes;
    if (f.number == 2) e.value = f.bytes;
  }
  out->push_back(e);
  return true;
}

WireType RequestField(uint32_t n) {
  switch (n) {
    case 5:
    case 6:
    case 7:
    case 9: return WireType::kLen;
    case 1:
    case 2:
    case 3:
    case 4:
    case 8:
    case 10:
    case 11:
    case 12: return WireType::kVarint;
    default: return WireType::kEndGroup;
  }
}

WireType ResponseField(uint32_t n) {
  switch (n) {
    case 6:
    case 8: return WireType::kLen;
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 7:
    case 9:
    case 10:
    case 12: return WireType::kVarint;
    default: return WireType::kEndGroup;
  }
}

WireType InitRequestField(uint32_t n) {
  switch (n) {
    case 1:
    case 2:
    case 3:
    case 5: return WireType::kLen;
    case 4: return WireType::kVarint;
    default: return WireType::kEndGroup;
  }
}

WireType InitResponseField(uint32_t n) {
  switch (n) {
    case 1: return WireType::kVarint;
    case 2: return WireType::kLen;
    default: return WireType::kEndGroup;
  }
}

WireType InitField(uint32_t n) {
  switch (n) {
    case 1:
    case 2: return WireType::kLen;
    case 3:
    case 4:
    case 5: return WireType::kVarint;
    default: return WireType::kEndGroup;
  }
}

WireType FeedbackField(uint32_t n) { return n == 1 ? WireType::kVarint : WireType::kEndGroup; }

WireType CloseField(uint32_t n) {
  switch (n) {
    case 3:
    case 5: return WireType::kLen;
    case 1:
    case 2:
    case 4:
    case 6: return WireType::kVarint;
    default: return WireType::kEndGroup;
  }
}

// Merges one occurrence of a TrpcStreamInitRequestMeta into *m.
bool MergeInitRequestMeta(std::string_view bytes, StreamInitRequestMeta* m) {
  WireReader r(bytes);
  Field f;
  while (!r.done()) {
    if (!NextField<InitRequestField>(r, &f)) return false;
    switch (f.number) {
      case 1: m->caller = f.bytes; break;
      case 2: m->callee = f.bytes; break;
      case 3: m->func = f.bytes; break;
      case 4: m->message_type = AsU32(f); break;
      case 5:
        if (!AppendEntry(f.bytes, &m->trans_info)) return false;
        break;
      default: break;
    }
  }
  return true;
}

bool MergeInitResponseMeta(std::string_view bytes, StreamInitResponseMeta* m) {
  WireReader r(bytes);
  Field f;
  while (!r.done()) {
    if (!NextField<InitResponseField>(r, &f)) return false;
    if (f.number == 1) m->ret = AsI32(f);
    if (f.number == 2) m->error_msg = f.bytes;
  }
  return true;
}

constexpr CodecError kBad = CodecError::kBadProtocolHeader;

// Resets *out to its defaults but keeps the trans_info vector's capacity, so decoding into a
// reused struct does not allocate.
template <typename Message>
void Reset(Message* out) {
  TransInfoView keep = std::move(out->trans_info);
  keep.clear();
  *out = Message{};
  out->trans_info = std::move(keep);
}

}  // namespace

CodecError DecodeRequestHead(std::string_view bytes, RequestHead* out) {
  Reset(out);
  WireReader r(bytes);
  Field f;
  while (!r.done()) {
    if (!NextField<RequestField>(r, &f)) return kBad;
    switch (f.number) {
      case 1: out->version = AsU32(f); break;
      case 2: out->call_type = AsU32(f); break;
      case 3: out->request_id = AsU32(f); break;
      case 4: out->timeout_ms = AsU32(f); break;
      case 5: out->caller = f.bytes; break;
      case 6: out->callee = f.bytes; break;
      case 7: out->func = f.bytes; break;
      case 8: out->message_type = AsU32(f); break;
      case 9:
        if (!AppendEntry(f.bytes, &out->trans_info)) return kBad;
        break;
      case 10: out->content_type = AsU32(f); break;
      case 11: out->content_encoding = AsU32(f); break;
      case 12: out->attachment_size = AsU32(f); break;
      default: break;
    }
  }
  return CodecError::kOk;
}

CodecError DecodeResponseHead(std::string_view bytes, ResponseHead* out) {
  Reset(out);
  WireReader r(bytes);
  Field f;
  while (!r.done()) {
    if (!NextField<ResponseField>(r, &f)) return kBad;
    switch (f.number) {
      case 1: out->version = AsU32(f); break;
      case 2: out->call_type = AsU32(f); break;
      case 3: out->request_id = AsU32(f); break;
      case 4: out->ret = AsI32(f); break;
      case 5: out->func_ret = AsI32(f); break;
      case 6: out->error_msg = f.bytes; break;
      case 7: out->message_type = AsU32(f); break;
      case 8:
        if (!AppendEntry(f.bytes, &out->trans_info)) return kBad;
        break;
      case 9: out->content_type = AsU32(f); break;
      case 10: out->content_encoding = AsU32(f); break;
      case 12: out->attachment_size = AsU32(f); break;
      default: break;
    }
  }
  return CodecError::kOk;
}

CodecError DecodeStreamInitMeta(std::string_view bytes, StreamInitMeta* out) {
  Reset(&out->request_meta);
  out->has_request_meta = false;
  out->has_response_meta = false;
  out->response_meta = StreamInitResponseMeta{};
  out->init_window_size = 0;
  out->content_type = 0;
  out->content_encoding = 0;
  WireReader r(bytes);
  Field f;
  while (!r.done()) {
    if (!NextField<InitField>(r, &f)) return kBad;
    switch (f.number) {
      case 1:
        out->has_request_meta = true;
        if (!MergeInitRequestMeta(f.bytes, &out->request_meta)) return kBad;
        break;
      case 2:
        out->has_response_meta = true;
        if (!MergeInitResponseMeta(f.bytes, &out->response_meta)) return kBad;
        break;
      case 3: out->init_window_size = AsU32(f); break;
      case 4: out->content_type = AsU32(f); break;
      case 5: out->content_encoding = AsU32(f); break;
      default: break;
    }
  }
  return CodecError::kOk;
}

CodecError DecodeStreamFeedbackMeta(std::string_view bytes, StreamFeedbackMeta* out) {
  *out = StreamFeedbackMeta{};
  WireReader r(bytes);
  Field f;
  while (!r.done()) {
    if (!NextField<FeedbackField>(r, &f)) return kBad;
    if (f.number == 1) out->window_size_increment = AsU32(f);
  }
  return CodecError::kOk;
}

CodecError DecodeStreamCloseMeta(std::string_view bytes, StreamCloseMeta* out) {
  Reset(out);
  WireReader r(bytes);
  Field f;
  while (!r.done()) {
    if (!NextField<CloseField>(r, &f)) return kBad;
    switch (f.number) {
      case 1: out->close_type = AsI32(f); break;
      case 2: out->ret = AsI32(f); break;
      case 3: out->msg = f.bytes; break;
      case 4: out->message_type = AsU32(f); break;
      case 5:
        if (!AppendEntry(f.bytes, &out->trans_info)) return kBad;
        break;
      case 6: out->func_ret = AsI32(f); break;
      default: break;
    }
  }
  return CodecError::kOk;
}

}  // namespace tracewire::trpc
