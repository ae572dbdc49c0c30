"""An asyncio tRPC client: one multiplexed connection per Client (reopened when it breaks),
request ids matched to responses.

A call returns a CallResult, never raises for the peer's or the network's faults: 101 when the
timeout passes, 111 when the connection cannot be made, 121 when the request does not encode
(over the maximum frame size), 122 when a response does not decode (the connection is then
closed), 141 when the connection breaks. Inside a server handler, a call inherits the inbound
trans_info (its own entries win) and the time left of the inbound deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Awaitable, Callable, Mapping, Sequence

from tracewire.trpc import frame
from tracewire.trpc.call import CallResult, ClientRequest, current_server_call, remaining_ms
from tracewire.trpc.errors import CodecError
from tracewire.trpc.protocol import RequestHead
from tracewire.trpc.ret_codes import RetCode

Invoke = Callable[[ClientRequest], Awaitable[CallResult]]
# An interceptor wraps the rest of the chain: `await invoke(request)` sends the call.
ClientInterceptor = Callable[[ClientRequest, Invoke], Awaitable[CallResult]]


class _Connection:
    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, max_frame_size: int
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.pending: dict[int, asyncio.Future[CallResult]] = {}
        self.closed = False
        self._max_frame_size = max_frame_size
        peer = writer.get_extra_info("peername") or ("", 0)
        self.peer_address, self.peer_port = str(peer[0]), int(peer[1])
        self.task = asyncio.create_task(self._read_loop())

    async def _read_loop(self) -> None:
        ret, message = RetCode.CLIENT_NETWORK_ERR, "connection closed by the server"
        try:
            while True:
                header = await self.reader.readexactly(frame.HEADER_SIZE)
                parsed = frame.decode_header(header, self._max_frame_size)
                rest = await self.reader.readexactly(parsed.total_size - frame.HEADER_SIZE)
                response = frame.decode_response_frame(header + rest, self._max_frame_size)
                future = self.pending.pop(response.head.request_id, None)
                if future is not None and not future.done():
                    h = response.head
                    future.set_result(
                        CallResult(
                            h.ret,
                            h.func_ret,
                            h.error_msg,
                            response.body,
                            response.attachment,
                            h.trans_info,
                            self.peer_address,
                            self.peer_port,
                        )
                    )
        except CodecError as e:
            ret, message = RetCode.CLIENT_DECODE_ERR, f"bad response frame: {e}"
        except (asyncio.IncompleteReadError, ConnectionError, OSError) as e:
            if not isinstance(e, asyncio.IncompleteReadError):
                message = f"connection broken: {e}"
        finally:
            self.fail_all(ret, message)

    def fail_all(self, ret: RetCode, message: str) -> None:
        self.closed = True
        for future in self.pending.values():
            if not future.done():
                future.set_result(CallResult.failed(ret, message))
        self.pending.clear()
        self.writer.close()


class Client:
    """Calls one tRPC server at host:port. `caller` is this service's name (the caller field);
    `interceptors` run outermost first. Use `async with Client(...)` or call `close()`."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        caller: str = "",
        interceptors: Sequence[ClientInterceptor] = (),
        default_timeout_ms: int = 5000,
        connect_timeout: float = 3.0,  # s
        max_frame_size: int = frame.DEFAULT_MAX_FRAME_SIZE,
    ) -> None:
        self.host = host
        self.port = port
        self.caller = caller
        self._interceptors = list(interceptors)
        self._default_timeout_ms = default_timeout_ms
        self._connect_timeout = connect_timeout
        self._max_frame_size = max_frame_size
        self._conn: _Connection | None = None
        self._connecting = asyncio.Lock()
        self._ids = itertools.count(1)

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await conn.task

    async def call(
        self,
        func: str,
        body: bytes = b"",
        *,
        callee: str = "",
        trans_info: Mapping[str, bytes] | None = None,
        timeout_ms: int | None = None,
        attachment: bytes = b"",
        content_type: int = frame.CONTENT_TYPE_PROTO,
        oneway: bool = False,
    ) -> CallResult:
        """One unary call of `func` ("/pkg.Service/Method"); timeout in ms (0 = none)."""
        inbound = current_server_call.get()
        merged: dict[str, bytes] = dict(inbound.trans_info) if inbound is not None else {}
        merged.update(trans_info or {})
        timeout = self._default_timeout_ms if timeout_ms is None else timeout_ms
        left = remaining_ms(inbound)
        if left is not None and (timeout == 0 or left < timeout):
            timeout = left
        request = ClientRequest(
            func,
            body,
            callee or _service_of(func),
            self.caller,
            merged,
            timeout,
            self.host,
            self.port,
            attachment,
            content_type,
            oneway,
        )
        return await self._chain(0, request)

    async def _chain(self, index: int, request: ClientRequest) -> CallResult:
        if index < len(self._interceptors):
            return await self._interceptors[index](request, lambda r: self._chain(index + 1, r))
        return await self._send(request)

    async def _connection(self) -> _Connection | CallResult:
        async with self._connecting:
            if self._conn is not None and not self._conn.closed:
                return self._conn
            try:
                async with asyncio.timeout(self._connect_timeout):
                    reader, writer = await asyncio.open_connection(self.host, self.port)
            except (OSError, TimeoutError) as e:
                return CallResult.failed(
                    RetCode.CLIENT_CONNECT_ERR, f"connect {self.host}:{self.port}: {e or 'timeout'}"
                )
            self._conn = _Connection(reader, writer, self._max_frame_size)
            return self._conn

    async def _send(self, request: ClientRequest) -> CallResult:
        request_id = next(self._ids) & 0xFFFFFFFF
        head = RequestHead(
            version=0,
            call_type=frame.CALL_TYPE_ONEWAY if request.oneway else frame.CALL_TYPE_UNARY,
            request_id=request_id,
            timeout=request.timeout_ms,
            caller=request.caller,
            callee=request.callee,
            func=request.func,
            trans_info=request.trans_info,
            content_type=request.content_type,
        )
        try:
            data = frame.encode_request_frame(
                head, request.body, request.attachment, self._max_frame_size
            )
        except CodecError as e:
            return CallResult.failed(RetCode.CLIENT_ENCODE_ERR, f"request does not encode: {e}")
        conn = await self._connection()
        if isinstance(conn, CallResult):
            return conn
        future: asyncio.Future[CallResult] = asyncio.get_running_loop().create_future()
        if not request.oneway:
            conn.pending[request_id] = future
        try:
            conn.writer.write(data)
            await conn.writer.drain()
        except (ConnectionError, OSError) as e:
            conn.pending.pop(request_id, None)
            return CallResult.failed(RetCode.CLIENT_NETWORK_ERR, f"write failed: {e}")
        if request.oneway:
            return CallResult(peer_address=conn.peer_address, peer_port=conn.peer_port)
        try:
            if request.timeout_ms > 0:
                async with asyncio.timeout(request.timeout_ms / 1000):
                    return await asyncio.shield(future)
            return await future
        except TimeoutError:
            conn.pending.pop(request_id, None)
            return CallResult.failed(
                RetCode.CLIENT_INVOKE_TIMEOUT_ERR, f"client timeout after {request.timeout_ms} ms"
            )


def _service_of(func: str) -> str:
    """ "/pkg.Service/Method" -> "pkg.Service" (the default callee)."""
    service, _, _ = func.lstrip("/").rpartition("/")
    return service
