#include "sidecar/trpc_rewrite.h"

#include <algorithm>

#include "base/proto_wire.h"

namespace tracewire::sidecar {
namespace {

using proto_wire::MakeTag;
using proto_wire::WireReader;
using proto_wire::WireType;

constexpr uint32_t kRequestIdField = 3;
constexpr uint32_t kRequestTransInfoField = 9;
constexpr uint32_t kNoField = 0;                    // field numbers start at 1
constexpr uint32_t kInitRequestMetaField = 1;       // TrpcStreamInitMeta.request_meta
constexpr uint32_t kInitRequestTransInfoField = 5;  // TrpcStreamInitRequestMeta.trans_info

void AppendVarint(uint64_t v, std::string* out) {
  char buf[10];
  char* end = proto_wire::WriteVarint(buf, v);
  out->append(buf, static_cast<size_t>(end - buf));
}

void AppendRequestId(uint32_t request_id, std::string* out) {
  if (request_id == 0) return;  // proto3: a zero scalar is not written
  AppendVarint(MakeTag(kRequestIdField, WireType::kVarint), out);
  AppendVarint(request_id, out);
}

// The key of one encoded map entry (field 1), or false when the entry is malformed.
bool EntryKey(std::string_view entry, std::string_view* key) {
  WireReader reader(entry);
  *key = {};
  while (!reader.done()) {
    uint32_t field;
    WireType type;
    if (!reader.ReadTag(&field, &type)) return false;
    if (field == 1 && type == WireType::kLen) {
      if (!reader.ReadLengthDelimited(key)) return false;
    } else if (!reader.Skip(type)) {
      return false;
    }
  }
  return true;
}

bool Dropped(std::string_view key, std::span<const std::string_view> drop_keys,
             std::span<const TransInfoPair> add) {
  return std::find(drop_keys.begin(), drop_keys.end(), key) != drop_keys.end() ||
         std::any_of(add.begin(), add.end(),
                     [&](const TransInfoPair& p) { return p.first == key; });
}

void AppendEntry(uint32_t map_field, const TransInfoPair& pair, std::string* out) {
  const size_t entry_size =
      proto_wire::LenFieldSize(pair.first.size()) + proto_wire::LenFieldSize(pair.second.size());
  AppendVarint(MakeTag(map_field, WireType::kLen), out);
  AppendVarint(entry_size, out);
  AppendVarint(MakeTag(1, WireType::kLen), out);
  AppendVarint(pair.first.size(), out);
  out->append(pair.first);
  AppendVarint(MakeTag(2, WireType::kLen), out);
  AppendVarint(pair.second.size(), out);
  out->append(pair.second);
}

// Copies every top-level field of `head` to *out except `skip_field`; calls `keep(field,
// payload)` for length-delimited fields: 1 copies it, 0 drops it, -1 fails the copy.
template <typename Keep>
bool CopyFields(std::string_view head, uint32_t skip_field, std::string* out, Keep keep) {
  WireReader reader(head);
  while (!reader.done()) {
    const char* start = reader.position();
    uint32_t field;
    WireType type;
    if (!reader.ReadTag(&field, &type)) return false;
    bool copy = field != skip_field;
    if (type == WireType::kLen) {
      std::string_view payload;
      if (!reader.ReadLengthDelimited(&payload)) return false;
      int verdict = keep(field, payload);
      if (verdict < 0) return false;
      copy = copy && verdict > 0;
    } else if (!reader.Skip(type)) {
      return false;
    }
    if (copy) out->append(start, static_cast<size_t>(reader.position() - start));
  }
  return true;
}

// Copies `message` without `skip_field` and without the entries of its map field `map_field`
// that `drop_keys` or `add` name, then appends the entries of `add` to that map.
bool CopyReplacingEntries(std::string_view message, uint32_t skip_field, uint32_t map_field,
                          std::span<const std::string_view> drop_keys,
                          std::span<const TransInfoPair> add, std::string* out) {
  const bool ok =
      CopyFields(message, skip_field, out, [&](uint32_t field, std::string_view payload) -> int {
        if (field != map_field) return 1;
        std::string_view key;
        if (!EntryKey(payload, &key)) return -1;
        return Dropped(key, drop_keys, add) ? 0 : 1;
      });
  if (!ok) return false;
  for (const TransInfoPair& pair : add) AppendEntry(map_field, pair, out);
  return true;
}

}  // namespace

bool RewriteRequestHead(std::string_view head, uint32_t request_id,
                        std::span<const std::string_view> drop_keys,
                        std::span<const TransInfoPair> add, std::string* out) {
  out->reserve(out->size() + head.size() + 160);
  if (!CopyReplacingEntries(head, kRequestIdField, kRequestTransInfoField, drop_keys, add, out)) {
    return false;
  }
  AppendRequestId(request_id, out);
  return true;
}

bool RewriteStreamInitMeta(std::string_view meta, std::span<const std::string_view> drop_keys,
                           std::span<const TransInfoPair> add, std::string* out) {
  std::string_view request_meta;
  int request_metas = 0;
  const size_t at = out->size();
  out->reserve(at + meta.size() + 160);
  const bool ok = CopyFields(meta, kNoField, out, [&](uint32_t field, std::string_view payload) {
    if (field != kInitRequestMetaField) return 1;
    ++request_metas;
    request_meta = payload;
    return 0;
  });
  // Two request metas would have to be merged field by field to be rewritten faithfully.
  if (!ok || request_metas > 1) {
    out->resize(at);
    return false;
  }
  std::string rewritten;
  if (!CopyReplacingEntries(request_meta, kNoField, kInitRequestTransInfoField, drop_keys, add,
                            &rewritten)) {
    out->resize(at);
    return false;
  }
  AppendVarint(MakeTag(kInitRequestMetaField, WireType::kLen), out);
  AppendVarint(rewritten.size(), out);
  out->append(rewritten);
  return true;
}

bool RewriteResponseRequestId(std::string_view head, uint32_t request_id, std::string* out) {
  out->reserve(out->size() + head.size() + 6);
  if (!CopyFields(head, kRequestIdField, out, [](uint32_t, std::string_view) { return 1; })) {
    return false;
  }
  AppendRequestId(request_id, out);
  return true;
}

trpc::CodecError AppendRewrittenFrame(const trpc::FrameHeader& header, uint32_t request_id,
                                      std::string_view proto_head, std::string_view tail,
                                      size_t max_frame_size, std::string* out) {
  const size_t total = trpc::kFrameHeaderSize + proto_head.size() + tail.size();
  if (proto_head.size() > 0xffff || total > max_frame_size || total > 0xffffffffu) {
    return trpc::CodecError::kTooLarge;
  }
  trpc::FrameHeader h = header;
  h.total_size = static_cast<uint32_t>(total);
  h.proto_header_size = static_cast<uint16_t>(proto_head.size());
  h.stream_id = request_id;
  const size_t at = out->size();
  out->resize(at + trpc::kFrameHeaderSize);
  trpc::EncodeFrameHeader(h, out->data() + at);
  out->append(proto_head);
  out->append(tail);
  return trpc::CodecError::kOk;
}

trpc::CodecError AppendRewrittenStreamFrame(const trpc::FrameHeader& header, std::string_view meta,
                                            size_t max_frame_size, std::string* out) {
  const size_t total = trpc::kFrameHeaderSize + meta.size();
  if (total > max_frame_size || total > 0xffffffffu) return trpc::CodecError::kTooLarge;
  trpc::FrameHeader h = header;
  h.total_size = static_cast<uint32_t>(total);
  h.proto_header_size = 0;  // stream metas follow the header directly
  const size_t at = out->size();
  out->resize(at + trpc::kFrameHeaderSize);
  trpc::EncodeFrameHeader(h, out->data() + at);
  out->append(meta);
  return trpc::CodecError::kOk;
}

}  // namespace tracewire::sidecar
