"""The protobuf headers of tRPC frames (trpc.proto of trpc-group/trpc; field numbers and types
exactly as there), encoded and decoded by hand.

Strings (caller, callee, func, messages, trans_info keys) are `str`, decoded as UTF-8 with
surrogateescape so any bytes round-trip; trans_info values are `bytes`. Encoding writes fields in
field-number order and omits zero scalars and empty bytes, as libprotobuf and trpc-go do; map
entries always hold both key and value. Decoding keeps the last value of a repeated scalar,
merges repeated sub-messages, skips unknown fields of valid wire types and raises
CodecError(BAD_PROTOCOL_HEADER) otherwise.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from tracewire.trpc import wire

# Field kinds of a schema entry.
_U32 = "u32"
_I32 = "i32"
_STR = "str"
_BYTES = "bytes"
_MAP = "map"
_MSG = "msg"

_WIRE_TYPE = {_U32: wire.VARINT, _I32: wire.VARINT, _STR: wire.LEN, _BYTES: wire.LEN}


class _Message:
    """Base of the header messages: SCHEMA lists (field number, attribute, kind[, class])."""

    SCHEMA: ClassVar[tuple[tuple[Any, ...], ...]] = ()

    def encode(self) -> bytes:
        out = bytearray()
        for number, attr, kind, *_ in self.SCHEMA:
            value = getattr(self, attr)
            if kind in (_U32, _I32):
                wire.put_uint(out, number, value)
            elif kind == _STR:
                wire.put_bytes(out, number, value.encode("utf-8", "surrogateescape"))
            elif kind == _BYTES:
                wire.put_bytes(out, number, value)
            elif kind == _MAP:
                wire.put_map(out, number, value)
            elif value is not None:  # _MSG: present sub-messages are written even when empty
                wire.put_len(out, number, value.encode())
        return bytes(out)

    @classmethod
    def decode(cls, data: bytes | memoryview) -> Any:
        msg = cls()
        msg.merge(data)
        return msg

    def merge(self, data: bytes | memoryview) -> None:
        schema = {e[0]: e for e in self.SCHEMA}
        types = {n: _WIRE_TYPE.get(e[2], wire.LEN) for n, e in schema.items()}
        for number, value in wire.fields(data, types):
            _, attr, kind, *sub = schema[number]
            if kind == _U32:
                assert isinstance(value, int)
                setattr(self, attr, wire.as_u32(value))
            elif kind == _I32:
                assert isinstance(value, int)
                setattr(self, attr, wire.as_i32(value))
            elif kind == _STR:
                assert isinstance(value, bytes)
                setattr(self, attr, value.decode("utf-8", "surrogateescape"))
            elif kind == _BYTES:
                setattr(self, attr, value)
            elif kind == _MAP:
                assert isinstance(value, bytes)
                key, entry_value = wire.map_entry(value)
                getattr(self, attr)[key] = entry_value
            else:
                assert isinstance(value, bytes)
                current = getattr(self, attr)
                if current is None:
                    current = sub[0]()
                    setattr(self, attr, current)
                current.merge(value)


@dataclasses.dataclass
class RequestHead(_Message):
    """trpc.RequestProtocol. timeout is in ms (0 = none)."""

    version: int = 0
    call_type: int = 0  # 0 unary, 1 oneway
    request_id: int = 0
    timeout: int = 0
    caller: str = ""
    callee: str = ""
    func: str = ""
    message_type: int = 0
    trans_info: dict[str, bytes] = dataclasses.field(default_factory=dict)
    content_type: int = 0
    content_encoding: int = 0
    attachment_size: int = 0

    SCHEMA: ClassVar[tuple[tuple[Any, ...], ...]] = (
        (1, "version", _U32),
        (2, "call_type", _U32),
        (3, "request_id", _U32),
        (4, "timeout", _U32),
        (5, "caller", _STR),
        (6, "callee", _STR),
        (7, "func", _STR),
        (8, "message_type", _U32),
        (9, "trans_info", _MAP),
        (10, "content_type", _U32),
        (11, "content_encoding", _U32),
        (12, "attachment_size", _U32),
    )


@dataclasses.dataclass
class ResponseHead(_Message):
    """trpc.ResponseProtocol (there is no field 11)."""

    version: int = 0
    call_type: int = 0
    request_id: int = 0
    ret: int = 0  # framework code (RetCode)
    func_ret: int = 0  # business code
    error_msg: str = ""
    message_type: int = 0
    trans_info: dict[str, bytes] = dataclasses.field(default_factory=dict)
    content_type: int = 0
    content_encoding: int = 0
    attachment_size: int = 0

    SCHEMA: ClassVar[tuple[tuple[Any, ...], ...]] = (
        (1, "version", _U32),
        (2, "call_type", _U32),
        (3, "request_id", _U32),
        (4, "ret", _I32),
        (5, "func_ret", _I32),
        (6, "error_msg", _STR),
        (7, "message_type", _U32),
        (8, "trans_info", _MAP),
        (9, "content_type", _U32),
        (10, "content_encoding", _U32),
        (12, "attachment_size", _U32),
    )


@dataclasses.dataclass
class StreamInitRequestMeta(_Message):
    caller: str = ""
    callee: str = ""
    func: str = ""
    message_type: int = 0
    trans_info: dict[str, bytes] = dataclasses.field(default_factory=dict)

    SCHEMA: ClassVar[tuple[tuple[Any, ...], ...]] = (
        (1, "caller", _STR),
        (2, "callee", _STR),
        (3, "func", _STR),
        (4, "message_type", _U32),
        (5, "trans_info", _MAP),
    )


@dataclasses.dataclass
class StreamInitResponseMeta(_Message):
    ret: int = 0
    error_msg: str = ""

    SCHEMA: ClassVar[tuple[tuple[Any, ...], ...]] = ((1, "ret", _I32), (2, "error_msg", _STR))


@dataclasses.dataclass
class StreamInitMeta(_Message):
    """trpc.TrpcStreamInitMeta; init_window_size in bytes."""

    request_meta: StreamInitRequestMeta | None = None
    response_meta: StreamInitResponseMeta | None = None
    init_window_size: int = 0
    content_type: int = 0
    content_encoding: int = 0

    SCHEMA: ClassVar[tuple[tuple[Any, ...], ...]] = (
        (1, "request_meta", _MSG, StreamInitRequestMeta),
        (2, "response_meta", _MSG, StreamInitResponseMeta),
        (3, "init_window_size", _U32),
        (4, "content_type", _U32),
        (5, "content_encoding", _U32),
    )


@dataclasses.dataclass
class StreamFeedbackMeta(_Message):
    window_size_increment: int = 0  # bytes

    SCHEMA: ClassVar[tuple[tuple[Any, ...], ...]] = ((1, "window_size_increment", _U32),)


@dataclasses.dataclass
class StreamCloseMeta(_Message):
    close_type: int = 0  # 0 close, 1 reset
    ret: int = 0
    msg: str = ""
    message_type: int = 0
    trans_info: dict[str, bytes] = dataclasses.field(default_factory=dict)
    func_ret: int = 0

    SCHEMA: ClassVar[tuple[tuple[Any, ...], ...]] = (
        (1, "close_type", _I32),
        (2, "ret", _I32),
        (3, "msg", _STR),
        (4, "message_type", _U32),
        (5, "trans_info", _MAP),
        (6, "func_ret", _I32),
    )
