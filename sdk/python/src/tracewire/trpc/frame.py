"""The tRPC frame (DESIGN.md §2; src/trpc/frame_format.h). Every frame is:

    offset size  field
    0      2     magic 0x0930
    2      1     data frame type      (0 unary, 1 stream)
    3      1     stream frame type    (0 unary, 1 INIT, 2 DATA, 3 FEEDBACK, 4 CLOSE)
    4      4     total size           (header + proto header + body + attachment), bytes
    8      2     proto header size    (0 in stream frames), bytes
    10     4     stream id            (unary: the request id, as trpc-go v1 writes it)
    14     1     protocol version     (unary: 1, stream: 0; any is accepted)
    15     1     reserved             (0)
    16     ...   proto header, then body, then attachment

All integers big-endian. Pure functions over bytes; errors are CodecError.
"""

from __future__ import annotations

import dataclasses
import struct

from tracewire.trpc.errors import CodecError, CodecErrorKind
from tracewire.trpc.protocol import RequestHead, ResponseHead

MAGIC = 0x0930
HEADER_SIZE = 16
DEFAULT_MAX_FRAME_SIZE = 10 * 1024 * 1024  # bytes

UNARY = 0  # data frame type
STREAM = 1
STREAM_INIT, STREAM_DATA, STREAM_FEEDBACK, STREAM_CLOSE = 1, 2, 3, 4  # stream frame types
CALL_TYPE_UNARY, CALL_TYPE_ONEWAY = 0, 1
CONTENT_TYPE_PROTO, CONTENT_TYPE_JSON, CONTENT_TYPE_NOOP = 0, 2, 4

_UNARY_PROTOCOL_VERSION = 1  # trpc-go v1's curProtocolVersion
_HEADER = struct.Struct(">HBBIHIBB")


@dataclasses.dataclass(frozen=True)
class FrameHeader:
    data_frame_type: int = UNARY
    stream_frame_type: int = 0
    total_size: int = 0  # bytes, including these 16
    proto_header_size: int = 0  # bytes
    stream_id: int = 0
    version: int = 0
    reserved: int = 0

    def encode(self) -> bytes:
        return _HEADER.pack(
            MAGIC,
            self.data_frame_type,
            self.stream_frame_type,
            self.total_size,
            self.proto_header_size,
            self.stream_id,
            self.version,
            self.reserved,
        )


@dataclasses.dataclass
class RequestFrame:
    header: FrameHeader
    head: RequestHead
    body: bytes
    attachment: bytes


@dataclasses.dataclass
class ResponseFrame:
    header: FrameHeader
    head: ResponseHead
    body: bytes
    attachment: bytes


@dataclasses.dataclass
class StreamFrame:
    """A stream frame: `meta` is the INIT/FEEDBACK/CLOSE meta's bytes, `body` a DATA payload."""

    header: FrameHeader
    meta: bytes
    body: bytes


def decode_header(
    data: bytes | memoryview, max_frame_size: int = DEFAULT_MAX_FRAME_SIZE
) -> FrameHeader:
    """Decodes and checks the first 16 bytes: magic, frame types, 16 <= total <= max and
    16 + proto header size <= total. REQUIRES len(data) >= 16."""
    magic, data_type, stream_type, total, head_size, stream_id, version, reserved = (
        _HEADER.unpack_from(data)
    )
    if magic != MAGIC:
        raise CodecError(CodecErrorKind.BAD_MAGIC)
    if data_type == UNARY:
        if stream_type != 0:
            raise CodecError(CodecErrorKind.BAD_FRAME_TYPE, "unary frame with a stream type")
    elif data_type == STREAM:
        if not STREAM_INIT <= stream_type <= STREAM_CLOSE:
            raise CodecError(CodecErrorKind.BAD_FRAME_TYPE, f"stream frame type {stream_type}")
    else:
        raise CodecError(CodecErrorKind.BAD_FRAME_TYPE, f"data frame type {data_type}")
    if total < HEADER_SIZE:
        raise CodecError(CodecErrorKind.BAD_SIZE, f"total size {total} below 16")
    if total > max_frame_size:
        raise CodecError(CodecErrorKind.TOO_LARGE, f"{total} bytes > {max_frame_size}")
    if HEADER_SIZE + head_size > total:
        raise CodecError(CodecErrorKind.BAD_SIZE, "proto header past the total size")
    return FrameHeader(data_type, stream_type, total, head_size, stream_id, version, reserved)


def _check_whole(data: bytes, max_frame_size: int, want: int) -> FrameHeader:
    if len(data) < HEADER_SIZE:
        raise CodecError(CodecErrorKind.TRUNCATED, f"{len(data)} bytes, no whole header")
    header = decode_header(data, max_frame_size)
    if header.data_frame_type != want:
        raise CodecError(CodecErrorKind.BAD_FRAME_TYPE, "unary and stream frames mixed")
    if len(data) < header.total_size:
        raise CodecError(CodecErrorKind.TRUNCATED, f"{len(data)} of {header.total_size} bytes")
    if len(data) > header.total_size:
        raise CodecError(
            CodecErrorKind.BAD_SIZE, f"{len(data)} bytes, {header.total_size} announced"
        )
    return header


def _split(data: bytes, header: FrameHeader, attachment_size: int) -> tuple[bytes, bytes]:
    payload = data[HEADER_SIZE + header.proto_header_size :]
    if attachment_size > len(payload):
        raise CodecError(CodecErrorKind.BAD_ATTACHMENT_SIZE)
    cut = len(payload) - attachment_size
    return payload[:cut], payload[cut:]


def decode_request_frame(data: bytes, max_frame_size: int = DEFAULT_MAX_FRAME_SIZE) -> RequestFrame:
    """Decodes exactly one whole unary request frame."""
    header = _check_whole(data, max_frame_size, UNARY)
    head = RequestHead.decode(data[HEADER_SIZE : HEADER_SIZE + header.proto_header_size])
    body, attachment = _split(data, header, head.attachment_size)
    return RequestFrame(header, head, body, attachment)


def decode_response_frame(
    data: bytes, max_frame_size: int = DEFAULT_MAX_FRAME_SIZE
) -> ResponseFrame:
    """Decodes exactly one whole unary response frame."""
    header = _check_whole(data, max_frame_size, UNARY)
    head = ResponseHead.decode(data[HEADER_SIZE : HEADER_SIZE + header.proto_header_size])
    body, attachment = _split(data, header, head.attachment_size)
    return ResponseFrame(header, head, body, attachment)


def decode_stream_frame(data: bytes, max_frame_size: int = DEFAULT_MAX_FRAME_SIZE) -> StreamFrame:
    """Decodes one whole stream frame; everything after the header is the meta (or DATA body),
    whatever the proto header size says (as trpc-go reads it)."""
    header = _check_whole(data, max_frame_size, STREAM)
    payload = data[HEADER_SIZE:]
    if header.stream_frame_type == STREAM_DATA:
        return StreamFrame(header, b"", payload)
    return StreamFrame(header, payload, b"")


def _encode_unary(
    head: RequestHead | ResponseHead, body: bytes, attachment: bytes, max_frame_size: int
) -> bytes:
    head.attachment_size = len(attachment)
    head_bytes = head.encode()
    if len(head_bytes) > 0xFFFF:
        raise CodecError(CodecErrorKind.TOO_LARGE, "proto header above 65535 bytes")
    total = HEADER_SIZE + len(head_bytes) + len(body) + len(attachment)
    if total > max_frame_size:
        raise CodecError(CodecErrorKind.TOO_LARGE, f"{total} bytes > {max_frame_size}")
    # trpc-go v1 writes version 1 and repeats the request id as the stream id.
    header = FrameHeader(UNARY, 0, total, len(head_bytes), head.request_id, _UNARY_PROTOCOL_VERSION)
    return header.encode() + head_bytes + body + attachment


def encode_request_frame(
    head: RequestHead,
    body: bytes = b"",
    attachment: bytes = b"",
    max_frame_size: int = DEFAULT_MAX_FRAME_SIZE,
) -> bytes:
    """One unary request frame as trpc-go v1 writes it; sets head.attachment_size."""
    return _encode_unary(head, body, attachment, max_frame_size)


def encode_response_frame(
    head: ResponseHead,
    body: bytes = b"",
    attachment: bytes = b"",
    max_frame_size: int = DEFAULT_MAX_FRAME_SIZE,
) -> bytes:
    """One unary response frame; sets head.attachment_size."""
    return _encode_unary(head, body, attachment, max_frame_size)


def encode_stream_frame(
    stream_frame_type: int,
    stream_id: int,
    meta: bytes = b"",
    body: bytes = b"",
    max_frame_size: int = DEFAULT_MAX_FRAME_SIZE,
) -> bytes:
    """One stream frame as trpc-go's frameWrite: proto header size 0, version 0."""
    if not STREAM_INIT <= stream_frame_type <= STREAM_CLOSE:
        raise CodecError(CodecErrorKind.BAD_FRAME_TYPE, f"stream frame type {stream_frame_type}")
    total = HEADER_SIZE + len(meta) + len(body)
    if total > max_frame_size:
        raise CodecError(CodecErrorKind.TOO_LARGE, f"{total} bytes > {max_frame_size}")
    header = FrameHeader(STREAM, stream_frame_type, total, 0, stream_id, 0)
    return header.encode() + meta + body
