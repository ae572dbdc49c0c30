#!/usr/bin/env python3
"""Generates frames.json: language-neutral tRPC frame vectors (schema in README.md).

The protobuf and frame encoders below are written from the specs alone (protobuf encoding guide,
trpc.proto, the frame layout of DESIGN.md section 2) and share no code with src/trpc, so the C++
codec, and later the Python and Kotlin SDKs, are checked against an independent implementation.

Run from anywhere: python3 testdata/trpc/make_frames.py  (writes frames.json next to itself).
"""

import json
import os
import struct

MAGIC = 0x0930
MAX_FRAME_SIZE = 10 * 1024 * 1024

# Field numbers of trpc.proto.
REQUEST_FIELDS = [
    ("version", 1, "u32"),
    ("call_type", 2, "u32"),
    ("request_id", 3, "u32"),
    ("timeout", 4, "u32"),
    ("caller", 5, "bytes"),
    ("callee", 6, "bytes"),
    ("func", 7, "bytes"),
    ("message_type", 8, "u32"),
    ("trans_info", 9, "map"),
    ("content_type", 10, "u32"),
    ("content_encoding", 11, "u32"),
    ("attachment_size", 12, "u32"),
]
RESPONSE_FIELDS = [
    ("version", 1, "u32"),
    ("call_type", 2, "u32"),
    ("request_id", 3, "u32"),
    ("ret", 4, "i32"),
    ("func_ret", 5, "i32"),
    ("error_msg", 6, "bytes"),
    ("message_type", 7, "u32"),
    ("trans_info", 8, "map"),
    ("content_type", 9, "u32"),
    ("content_encoding", 10, "u32"),
    ("attachment_size", 12, "u32"),
]
INIT_REQUEST_FIELDS = [
    ("caller", 1, "bytes"),
    ("callee", 2, "bytes"),
    ("func", 3, "bytes"),
    ("message_type", 4, "u32"),
    ("trans_info", 5, "map"),
]
CLOSE_FIELDS = [
    ("close_type", 1, "i32"),
    ("ret", 2, "i32"),
    ("msg", 3, "bytes"),
    ("message_type", 4, "u32"),
    ("trans_info", 5, "map"),
    ("func_ret", 6, "i32"),
]


def varint(v):
    if v < 0:
        v += 1 << 64  # int32 negatives are sign-extended to 64 bits
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def len_field(number, payload):
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def encode(fields, values):
    """proto3 encoding in field-number order; zero scalars and empty bytes omitted; map entries
    always carry key and value, in the order given (a list of [key, value] pairs)."""
    out = b""
    for name, number, kind in fields:
        v = values.get(name)
        if kind in ("u32", "i32") and v:
            out += varint(number << 3) + varint(v)
        elif kind == "bytes" and v:
            out += len_field(number, v.encode())
        elif kind == "map" and v:
            for key, value in v:
                out += len_field(number, len_field(1, key.encode()) + len_field(2, value.encode()))
    return out


def frame(data_type, stream_type, proto, payload, stream_id=0, version=0):
    total = 16 + len(proto) + len(payload)
    return (
        struct.pack(
            ">HBBIHIBB", MAGIC, data_type, stream_type, total, len(proto), stream_id, version, 0
        )
        + proto
        + payload
    )


def unary_request(head, body=b"", attachment=b""):
    head = dict(head, attachment_size=len(attachment))
    # trpc-go v1 (codec.go): protocol version 1, stream id = request id in unary frames.
    return frame(
        0,
        0,
        encode(REQUEST_FIELDS, head),
        body + attachment,
        stream_id=head.get("request_id", 0),
        version=1,
    )


def unary_response(head, body=b"", attachment=b""):
    head = dict(head, attachment_size=len(attachment))
    return frame(
        0,
        0,
        encode(RESPONSE_FIELDS, head),
        body + attachment,
        stream_id=head.get("request_id", 0),
        version=1,
    )


def stream(stream_type, stream_id, payload):
    # trpc-go (codec_stream.go frameWrite): proto header size 0, meta or data after the header.
    return frame(1, stream_type, b"", payload, stream_id=stream_id, version=0)


TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def valid_vectors():
    out = []
    # 1. Byte-exact as trpc-go v1.x's ClientCodec.Encode writes a unary call with one metadata
    # entry: RequestProtocol version 0 and call_type 0 (omitted), request id from its counter
    # (1 for the first call), timeout in ms, caller/callee/func, content type pb (0, omitted),
    # trans_info, attachment_size 0 (omitted); body = the serialized request (field 1 "hello").
    head = {
        "request_id": 1,
        "timeout": 1000,
        "caller": "trpc.app.server.service",
        "callee": "trpc.test.echo.Echo",
        "func": "/trpc.test.echo.Echo/Echo",
        "trans_info": [["traceparent", TRACEPARENT]],
    }
    body = b"\x0a\x05hello"
    out.append(
        {
            "name": "trpc-go unary request",
            "kind": "request",
            "hex": unary_request(head, body).hex(),
            "header": {"data_frame_type": 0, "stream_frame_type": 0, "stream_id": 1, "version": 1},
            "head": dict(head, attachment_size=0),
            "body_hex": body.hex(),
            "attachment_hex": "",
        }
    )
    head = {
        "version": 0,
        "call_type": 1,
        "request_id": 4294967295,
        "timeout": 0,
        "caller": "c",
        "callee": "d",
        "func": "/a.B/C",
        "message_type": 2,
        "trans_info": [["traceparent", TRACEPARENT], ["tracestate", "rojo=00f067aa0ba902b7"]],
        "content_type": 2,
        "content_encoding": 1,
    }
    out.append(
        {
            "name": "oneway request with attachment and two trans_info entries",
            "kind": "request",
            "hex": unary_request(head, b"{}", b"ATTACH").hex(),
            "header": {
                "data_frame_type": 0,
                "stream_frame_type": 0,
                "stream_id": 4294967295,
                "version": 1,
            },
            "head": dict(head, attachment_size=6),
            "body_hex": b"{}".hex(),
            "attachment_hex": b"ATTACH".hex(),
        }
    )
    out.append(
        {
            "name": "empty request",
            "kind": "request",
            "hex": unary_request({}).hex(),
            "header": {"data_frame_type": 0, "stream_frame_type": 0, "stream_id": 0, "version": 1},
            "head": {},
            "body_hex": "",
            "attachment_hex": "",
        }
    )
    head = {
        "request_id": 1,
        "ret": 12,
        "func_ret": -1,
        "error_msg": "service handle: func not found",
        "trans_info": [["k", "v"]],
    }
    out.append(
        {
            "name": "response no such func, negative func_ret",
            "kind": "response",
            "hex": unary_response(head).hex(),
            "header": {"data_frame_type": 0, "stream_frame_type": 0, "stream_id": 1, "version": 1},
            "head": dict(head, attachment_size=0),
            "body_hex": "",
            "attachment_hex": "",
        }
    )
    head = {"request_id": 7, "content_type": 4}
    out.append(
        {
            "name": "response with body and attachment",
            "kind": "response",
            "hex": unary_response(head, b"pong", b"\x00\xff").hex(),
            "header": {"data_frame_type": 0, "stream_frame_type": 0, "stream_id": 7, "version": 1},
            "head": dict(head, attachment_size=2),
            "body_hex": b"pong".hex(),
            "attachment_hex": "00ff",
        }
    )
    request_meta = {
        "caller": "c",
        "callee": "d",
        "func": "/a.B/C",
        "trans_info": [["traceparent", TRACEPARENT]],
    }
    init_meta = (
        len_field(1, encode(INIT_REQUEST_FIELDS, request_meta)) + varint(3 << 3) + varint(65535)
    )
    out.append(
        {
            "name": "stream INIT with trans_info",
            "kind": "stream",
            "hex": stream(1, 1, init_meta).hex(),
            "header": {"data_frame_type": 1, "stream_frame_type": 1, "stream_id": 1, "version": 0},
            "init_meta": {"request_meta": request_meta, "init_window_size": 65535},
        }
    )
    out.append(
        {
            "name": "stream DATA",
            "kind": "stream",
            "hex": stream(2, 1, b"data").hex(),
            "header": {"data_frame_type": 1, "stream_frame_type": 2, "stream_id": 1, "version": 0},
            "body_hex": b"data".hex(),
        }
    )
    out.append(
        {
            "name": "stream FEEDBACK",
            "kind": "stream",
            "hex": stream(3, 1, varint(1 << 3) + varint(32768)).hex(),
            "header": {"data_frame_type": 1, "stream_frame_type": 3, "stream_id": 1, "version": 0},
            "feedback_meta": {"window_size_increment": 32768},
        }
    )
    close = {
        "close_type": 1,
        "ret": 21,
        "msg": "timeout",
        "trans_info": [["k", "v"]],
        "func_ret": -3,
    }
    out.append(
        {
            "name": "stream CLOSE reset",
            "kind": "stream",
            "hex": stream(4, 1, encode(CLOSE_FIELDS, close)).hex(),
            "header": {"data_frame_type": 1, "stream_frame_type": 4, "stream_id": 1, "version": 0},
            "close_meta": close,
        }
    )
    return out


def invalid_vectors():
    good = unary_request({"request_id": 3, "func": "/a.B/C"}, b"body")
    out = []

    def add(name, kind, data, error, max_frame_size=None):
        v = {"name": name, "kind": kind, "hex": data.hex(), "error": error}
        if max_frame_size is not None:
            v["max_frame_size"] = max_frame_size
        out.append(v)

    add("bad magic", "request", b"\x09\x31" + good[2:], "bad magic")
    add("http request", "request", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "bad magic")
    add("unknown data frame type", "request", good[:2] + b"\x02" + good[3:], "bad frame type")
    add(
        "unary frame with stream frame type",
        "request",
        good[:3] + b"\x01" + good[4:],
        "bad frame type",
    )
    add("stream frame to the request decoder", "request", stream(2, 1, b"x"), "bad frame type")
    add("unary frame to the stream decoder", "stream", good, "bad frame type")
    add("stream frame type above CLOSE", "stream", frame(1, 5, b"", b""), "bad frame type")
    add("total size above the maximum", "request", good, "too large", max_frame_size=len(good) - 1)
    add("total size below 16", "request", good[:4] + struct.pack(">I", 15) + good[8:], "bad size")
    add(
        "proto header past the total",
        "request",
        good[:8] + struct.pack(">H", len(good)) + good[10:],
        "bad size",
    )
    add("fewer than 16 bytes", "request", good[:15], "truncated")
    add("frame shorter than its total size", "request", good[:-1], "truncated")
    add("frame longer than its total size", "request", good + b"!", "bad size")
    add(
        "truncated varint in the proto header",
        "request",
        frame(0, 0, b"\x18\x80", b""),
        "bad protocol header",
    )
    add(
        "length past the proto header",
        "response",
        frame(0, 0, b"\x32\x09abc", b""),
        "bad protocol header",
    )
    add("wrong wire type for func", "request", frame(0, 0, b"\x38\x01", b""), "bad protocol header")
    add("group wire type", "request", frame(0, 0, b"\x6b\x6c", b""), "bad protocol header")
    add("field number 0", "response", frame(0, 0, b"\x00\x01", b""), "bad protocol header")
    add(
        "attachment size past the end",
        "request",
        frame(0, 0, b"\x60\x05", b"abcd"),
        "bad attachment size",
    )
    add(
        "response attachment size past the end",
        "response",
        frame(0, 0, b"\x60\x01", b""),
        "bad attachment size",
    )
    return out


def main():
    doc = {
        "comment": "tRPC frame vectors; schema in README.md; generated by make_frames.py",
        "max_frame_size": MAX_FRAME_SIZE,
        "valid": valid_vectors(),
        "invalid": invalid_vectors(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "frames.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
