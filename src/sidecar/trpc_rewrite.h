// Byte-level rewriting of tRPC frames as a proxy forwards them: in unary frames the request id
// is renumbered (many downstream connections share fewer upstream ones) and the trace entries
// of trans_info are replaced; in a stream's INIT frame, the trace entries of its request meta's
// trans_info. Every other field of the protobuf header — unknown ones included —
// and the body and attachment are copied byte for byte. Pure functions; layout in
// trpc/frame_format.h, field numbers in trpc/proto/trpc.proto.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "trpc/frame_format.h"

namespace tracewire::sidecar {

using TransInfoPair = std::pair<std::string_view, std::string_view>;

// Appends to *out a RequestProtocol equal to `head` except: request_id (field 3) is
// `request_id`; trans_info (field 9) entries whose key is in `drop_keys` or `add` are left out;
// the entries of `add` are appended. Returns false (out unspecified) when `head` is not
// well-formed protobuf at the top level or in a trans_info entry.
bool RewriteRequestHead(std::string_view head, uint32_t request_id,
                        std::span<const std::string_view> drop_keys,
                        std::span<const TransInfoPair> add, std::string* out);

// Appends to *out a TrpcStreamInitMeta equal to `meta` except that its request_meta's (field
// 1) trans_info (field 5) loses the entries `drop_keys` or `add` name and gains those of `add`
// (a meta without request_meta gets one holding just them). The request meta moves to the end;
// every other field, unknown ones included, is copied byte for byte. False (out unchanged) when
// `meta` is malformed or holds two request metas.
bool RewriteStreamInitMeta(std::string_view meta, std::span<const std::string_view> drop_keys,
                           std::span<const TransInfoPair> add, std::string* out);

// Appends to *out a ResponseProtocol equal to `head` but with request_id (field 3)
// `request_id`. False when `head` is not well-formed protobuf at the top level.
bool RewriteResponseRequestId(std::string_view head, uint32_t request_id, std::string* out);

// Appends one whole unary frame: `header` with its sizes recomputed and its stream id set to
// `request_id`, then `proto_head`, then `tail` (body + attachment, as found in the original
// frame). kTooLarge (nothing appended) past `max_frame_size` or a 65535-byte proto header.
trpc::CodecError AppendRewrittenFrame(const trpc::FrameHeader& header, uint32_t request_id,
                                      std::string_view proto_head, std::string_view tail,
                                      size_t max_frame_size, std::string* out);

// Appends one whole stream frame: `header` (stream id, frame type, version kept) with its size
// recomputed for `meta`, then `meta`. kTooLarge (nothing appended) past `max_frame_size`.
trpc::CodecError AppendRewrittenStreamFrame(const trpc::FrameHeader& header, std::string_view meta,
                                            size_t max_frame_size, std::string* out);

}  // namespace tracewire::sidecar
