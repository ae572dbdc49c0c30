"""What a call carries: the server side's view of one request, the client side's request and
result, the error a handler raises, and the context that flows from a handler to its
downstream calls (trans_info and the deadline), kept in a contextvar so asyncio tasks the
handler starts inherit it."""

from __future__ import annotations

import contextvars
import dataclasses
import time

from tracewire.trpc.protocol import RequestHead
from tracewire.trpc.ret_codes import RetCode, describe


class TrpcError(Exception):
    """Raised by a handler to answer with a code: `func_ret` for business errors (ret 0), or a
    framework `ret`. The message goes to error_msg."""

    def __init__(self, message: str = "", *, ret: int = 0, func_ret: int = 0) -> None:
        super().__init__(message)
        self.ret = ret
        self.func_ret = func_ret
        self.message = message


@dataclasses.dataclass
class ServerCall:
    """One request being handled. `response_trans_info` goes back to the caller on top of the
    request's own trans_info (which the server echoes, as trpc-go does)."""

    head: RequestHead
    body: bytes
    attachment: bytes
    local_address: str = ""
    local_port: int = 0
    peer_address: str = ""
    peer_port: int = 0
    deadline: float | None = None  # time.monotonic() seconds; None = no timeout
    response_trans_info: dict[str, bytes] = dataclasses.field(default_factory=dict)
    response_attachment: bytes = b""
    response_content_type: int | None = None  # None: the request's content type

    @property
    def func(self) -> str:
        return self.head.func

    @property
    def trans_info(self) -> dict[str, bytes]:
        return self.head.trans_info


@dataclasses.dataclass
class ClientRequest:
    """An outbound call as the client interceptors see it; they may edit trans_info."""

    func: str
    body: bytes
    callee: str
    caller: str
    trans_info: dict[str, bytes]
    timeout_ms: int
    host: str
    port: int
    attachment: bytes = b""
    content_type: int = 0
    oneway: bool = False


@dataclasses.dataclass
class CallResult:
    """The outcome of a client call. ret is the framework code (the client's own 101, 111, 121,
    122, 141 included), func_ret the business code."""

    ret: int = 0
    func_ret: int = 0
    error_msg: str = ""
    body: bytes = b""
    attachment: bytes = b""
    trans_info: dict[str, bytes] = dataclasses.field(default_factory=dict)
    peer_address: str = ""
    peer_port: int = 0

    @property
    def ok(self) -> bool:
        return self.ret == 0 and self.func_ret == 0

    def raise_for_status(self) -> CallResult:
        """self when ok, else TrpcError with the codes."""
        if not self.ok:
            message = self.error_msg or describe(self.ret) or f"func_ret {self.func_ret}"
            raise TrpcError(message, ret=self.ret, func_ret=self.func_ret)
        return self

    @staticmethod
    def failed(ret: RetCode, message: str) -> CallResult:
        return CallResult(ret=int(ret), error_msg=message)


current_server_call: contextvars.ContextVar[ServerCall | None] = contextvars.ContextVar(
    "tracewire_trpc_server_call", default=None
)


def remaining_ms(call: ServerCall | None) -> int | None:
    """Milliseconds left before the inbound call's deadline (at least 1), or None."""
    if call is None or call.deadline is None:
        return None
    return max(1, int((call.deadline - time.monotonic()) * 1000))
