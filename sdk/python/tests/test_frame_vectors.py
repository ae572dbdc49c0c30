"""Every vector of testdata/trpc/frames.json: decode gives the fields, encode gives the bytes."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import load_json
from tracewire.trpc import frame
from tracewire.trpc.errors import CodecError
from tracewire.trpc.protocol import (
    RequestHead,
    ResponseHead,
    StreamCloseMeta,
    StreamFeedbackMeta,
    StreamInitMeta,
    StreamInitRequestMeta,
)

VECTORS = load_json("trpc/frames.json")
MAX = VECTORS["max_frame_size"]


def _head_fields(head: Any) -> dict[str, Any]:
    """A decoded head as the vectors write it: strings, trans_info as [key, value] pairs."""
    out: dict[str, Any] = {}
    for name, value in vars(head).items():
        if name == "trans_info":
            out[name] = [[k, v.decode()] for k, v in value.items()]
        elif isinstance(value, StreamInitRequestMeta):
            out[name] = _head_fields(value)
        elif value is not None:
            out[name] = value
    return out


def _expected(fields: dict[str, Any], cls: type) -> dict[str, Any]:
    """The vector's fields completed with the defaults of `cls` (absent means 0/empty)."""
    want = _head_fields(cls())
    for name, value in fields.items():
        want[name] = _expected(value, StreamInitRequestMeta) if name == "request_meta" else value
    return want


def _build(cls: type, fields: dict[str, Any]) -> Any:
    kwargs: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "trans_info":
            kwargs[name] = {k: v.encode() for k, v in value}
        elif name == "request_meta":
            kwargs[name] = _build(StreamInitRequestMeta, value)
        else:
            kwargs[name] = value
    return cls(**kwargs)


def _header_fields(h: frame.FrameHeader) -> dict[str, int]:
    return {
        "data_frame_type": h.data_frame_type,
        "stream_frame_type": h.stream_frame_type,
        "stream_id": h.stream_id,
        "version": h.version,
    }


UNARY = [v for v in VECTORS["valid"] if v["kind"] != "stream"]
STREAM = [v for v in VECTORS["valid"] if v["kind"] == "stream"]
STREAM_METAS = {
    "init_meta": StreamInitMeta,
    "feedback_meta": StreamFeedbackMeta,
    "close_meta": StreamCloseMeta,
}


@pytest.mark.parametrize("vector", UNARY, ids=[v["name"] for v in UNARY])
def test_unary_vector_decodes_and_reencodes_byte_for_byte(vector: dict[str, Any]) -> None:
    data = bytes.fromhex(vector["hex"])
    cls = RequestHead if vector["kind"] == "request" else ResponseHead
    decoder = frame.decode_request_frame if cls is RequestHead else frame.decode_response_frame
    got = decoder(data, MAX)
    assert _header_fields(got.header) == vector["header"]
    assert _head_fields(got.head) == _expected(vector["head"], cls)
    assert got.body.hex() == vector["body_hex"]
    assert got.attachment.hex() == vector["attachment_hex"]

    head = _build(cls, vector["head"])
    body = bytes.fromhex(vector["body_hex"])
    attachment = bytes.fromhex(vector["attachment_hex"])
    encoder = frame.encode_request_frame if cls is RequestHead else frame.encode_response_frame
    assert encoder(head, body, attachment, MAX).hex() == vector["hex"]


@pytest.mark.parametrize("vector", STREAM, ids=[v["name"] for v in STREAM])
def test_stream_vector_decodes_and_reencodes_byte_for_byte(vector: dict[str, Any]) -> None:
    data = bytes.fromhex(vector["hex"])
    got = frame.decode_stream_frame(data, MAX)
    assert _header_fields(got.header) == vector["header"]
    meta = b""
    for key, cls in STREAM_METAS.items():
        if key in vector:
            decoded = cls.decode(got.meta)
            assert _head_fields(decoded) == _expected(vector[key], cls)
            meta = _build(cls, vector[key]).encode()
            assert meta == got.meta
    assert got.body.hex() == vector.get("body_hex", "")
    again = frame.encode_stream_frame(
        got.header.stream_frame_type, got.header.stream_id, meta, got.body, MAX
    )
    assert again.hex() == vector["hex"]


DECODERS = {
    "request": frame.decode_request_frame,
    "response": frame.decode_response_frame,
    "stream": frame.decode_stream_frame,
}


@pytest.mark.parametrize("vector", VECTORS["invalid"], ids=[v["name"] for v in VECTORS["invalid"]])
def test_invalid_vector_fails_with_its_error(vector: dict[str, Any]) -> None:
    data = bytes.fromhex(vector["hex"])
    with pytest.raises(CodecError) as info:
        DECODERS[vector["kind"]](data, vector.get("max_frame_size", MAX))
    assert info.value.kind.value == vector["error"]


def test_encode_refuses_a_frame_over_the_maximum() -> None:
    with pytest.raises(CodecError) as info:
        frame.encode_request_frame(RequestHead(func="/a.B/C"), b"x" * 100, b"", max_frame_size=64)
    assert info.value.kind.value == "too large"


def test_negative_ret_round_trips_as_a_ten_byte_varint() -> None:
    head = ResponseHead(request_id=3, ret=-1, func_ret=-2147483648)
    data = frame.encode_response_frame(head)
    assert ResponseHead.decode(data[16:]).func_ret == -2147483648
    assert frame.decode_response_frame(data).head.ret == -1


def test_mutated_frames_only_ever_fail_with_codec_error() -> None:
    import contextlib
    import random

    rng = random.Random(7)
    for vector in VECTORS["valid"]:
        data = bytearray.fromhex(vector["hex"])
        decoder = DECODERS[vector["kind"]]
        for _ in range(300):
            mutated = bytearray(data)
            for _ in range(rng.randint(1, 4)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
            if rng.random() < 0.3:
                mutated = mutated[: rng.randrange(len(mutated) + 1)]
            with contextlib.suppress(CodecError):  # anything else fails the test
                decoder(bytes(mutated), MAX)
