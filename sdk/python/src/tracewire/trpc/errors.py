"""Why bytes are not a tRPC frame: one error kind per malformed input (names as the C++ codec's)."""

from __future__ import annotations

import enum


class CodecErrorKind(enum.Enum):
    """The kinds of src/trpc/frame_format.h's CodecError; `.value` is its stable name."""

    BAD_MAGIC = "bad magic"  # first two bytes are not 0x0930
    BAD_FRAME_TYPE = "bad frame type"  # unknown data/stream frame type, or unary/stream mixed
    TOO_LARGE = "too large"  # total size above the maximum
    BAD_SIZE = "bad size"  # total size below 16, header size past the total, or extra bytes
    TRUNCATED = "truncated"  # fewer bytes than the header announces
    BAD_PROTOCOL_HEADER = "bad protocol header"  # the protobuf header does not parse
    BAD_ATTACHMENT_SIZE = "bad attachment size"  # attachment size past the frame's end


class CodecError(ValueError):
    """Raised by every decoder and encoder of tracewire.trpc on bytes that are not a frame."""

    def __init__(self, kind: CodecErrorKind, detail: str = "") -> None:
        super().__init__(kind.value if not detail else f"{kind.value}: {detail}")
        self.kind = kind
