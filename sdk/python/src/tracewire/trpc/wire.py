"""Protobuf wire coding for the tRPC headers: the few scalar and length-delimited forms they use.

Readers accept what libprotobuf accepts (varints of at most 10 bytes, tags and lengths of at most
5, field numbers >= 1, no groups) and raise CodecError(BAD_PROTOCOL_HEADER) on anything else.
"""

from __future__ import annotations

from tracewire.trpc.errors import CodecError, CodecErrorKind

VARINT = 0
FIXED64 = 1
LEN = 2
FIXED32 = 5

_MASK64 = (1 << 64) - 1


def _bad(detail: str) -> CodecError:
    return CodecError(CodecErrorKind.BAD_PROTOCOL_HEADER, detail)


def put_varint(out: bytearray, value: int) -> None:
    """Appends `value` (0 <= value < 2**64) as a base-128 varint."""
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def put_uint(out: bytearray, field: int, value: int) -> None:
    """A uint32/int32 field; zero is not written (proto3). Negative int32 take 10 bytes."""
    if value == 0:
        return
    put_varint(out, field << 3 | VARINT)
    put_varint(out, value & _MASK64)


def put_len(out: bytearray, field: int, data: bytes) -> None:
    """A length-delimited field, written even when empty."""
    put_varint(out, field << 3 | LEN)
    put_varint(out, len(data))
    out += data


def put_bytes(out: bytearray, field: int, data: bytes) -> None:
    """A bytes/string field; empty is not written (proto3)."""
    if data:
        put_len(out, field, data)


def put_map(out: bytearray, field: int, entries: dict[str, bytes]) -> None:
    """A map<string, bytes>: one entry message per pair, key (1) then value (2), both always."""
    for key, value in entries.items():
        entry = bytearray()
        put_len(entry, 1, key.encode("utf-8", "surrogateescape"))
        put_len(entry, 2, value)
        put_len(out, field, bytes(entry))


class Reader:
    """A bounds-checked reader over one message's bytes."""

    __slots__ = ("_data", "_pos", "_end")

    def __init__(self, data: bytes | memoryview) -> None:
        self._data = bytes(data)
        self._pos = 0
        self._end = len(self._data)

    def done(self) -> bool:
        return self._pos == self._end

    def _varint(self, max_bytes: int) -> int:
        result = 0
        for i in range(max_bytes):
            if self._pos == self._end:
                raise _bad("truncated varint")
            byte = self._data[self._pos]
            self._pos += 1
            result |= (byte & 0x7F) << (7 * i)
            if byte & 0x80 == 0:
                return result & _MASK64
        raise _bad("varint too long")

    def varint(self) -> int:
        return self._varint(10)

    def tag(self) -> tuple[int, int]:
        tag = self._varint(5)
        if tag > 0xFFFFFFFF or tag >> 3 == 0:
            raise _bad("bad field tag")
        return tag >> 3, tag & 7

    def length_delimited(self) -> bytes:
        n = self._varint(5)
        if n > self._end - self._pos:
            raise _bad("length past the end")
        start = self._pos
        self._pos += n
        return self._data[start : self._pos]

    def skip(self, wire_type: int) -> None:
        if wire_type == VARINT:
            self.varint()
        elif wire_type == LEN:
            self.length_delimited()
        elif wire_type in (FIXED64, FIXED32):
            n = 8 if wire_type == FIXED64 else 4
            if self._end - self._pos < n:
                raise _bad("fixed field cut short")
            self._pos += n
        else:
            raise _bad("group or unknown wire type")


def as_u32(value: int) -> int:
    return value & 0xFFFFFFFF


def as_i32(value: int) -> int:
    v = value & 0xFFFFFFFF
    return v - (1 << 32) if v & 0x80000000 else v


def fields(data: bytes | memoryview, schema: dict[int, int]) -> list[tuple[int, int | bytes]]:
    """Every field of `data` named in `schema` (number -> wire type), in wire order; unknown
    fields are skipped, a known field with another wire type is an error."""
    reader = Reader(data)
    out: list[tuple[int, int | bytes]] = []
    while not reader.done():
        number, wire_type = reader.tag()
        want = schema.get(number)
        if want is None:
            reader.skip(wire_type)
            continue
        if wire_type != want:
            raise _bad(f"field {number} has wire type {wire_type}")
        out.append((number, reader.varint() if want == VARINT else reader.length_delimited()))
    return out


def map_entry(data: bytes) -> tuple[str, bytes]:
    """Decodes one map<string, bytes> entry; a missing key or value is empty."""
    key = b""
    value = b""
    for number, v in fields(data, {1: LEN, 2: LEN}):
        assert isinstance(v, bytes)
        if number == 1:
            key = v
        else:
            value = v
    return key.decode("utf-8", "surrogateescape"), value
