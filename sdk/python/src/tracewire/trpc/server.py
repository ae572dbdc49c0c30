"""An asyncio tRPC server, byte-compatible with src/trpc's.

Many calls per connection run concurrently; each response echoes the request's trans_info
(response keys win). Codes: 12 for an unknown func, 21 when a request's timeout passes, 31 when
a handler raises anything but TrpcError, 22 while shutting down. A malformed frame gets one
response with ret 1 (and the request id when still readable) and the connection is closed; a
peer that stalls inside a frame or idles longer than `idle_timeout` is disconnected, so no input
makes the server wait forever. Streaming frames are answered with ret 1 (not served).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence

from tracewire.trpc import frame
from tracewire.trpc.call import ServerCall, TrpcError, current_server_call
from tracewire.trpc.errors import CodecError
from tracewire.trpc.protocol import RequestHead, ResponseHead
from tracewire.trpc.ret_codes import RetCode

Handler = Callable[[ServerCall], Awaitable[bytes]]
# An interceptor wraps the rest of the chain: `await next_handler(call)` runs it.
ServerInterceptor = Callable[[ServerCall, Handler], Awaitable[bytes]]

_log = logging.getLogger("tracewire.trpc.server")
_LOGGED = "_tracewire_logged"  # set on a handler's exception once it has been logged


@dataclasses.dataclass
class ServerStats:
    requests: int = 0
    decode_errors: int = 0
    handler_errors: int = 0
    timeouts: int = 0


def outcome_of(exc: BaseException) -> tuple[int, int, str]:
    """(ret, func_ret, error_msg) a handler's exception answers with."""
    if isinstance(exc, TrpcError):
        return exc.ret, exc.func_ret, exc.message
    return int(RetCode.SERVER_SYSTEM_ERR), 0, f"{type(exc).__name__}: {exc}"


class Server:
    """Serves `handlers` ({"/pkg.Service/Method": handler}) through `interceptors` (outermost
    first). Start with `await start()`, stop with `await close()`."""

    def __init__(
        self,
        handlers: Mapping[str, Handler],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        interceptors: Sequence[ServerInterceptor] = (),
        max_frame_size: int = frame.DEFAULT_MAX_FRAME_SIZE,
        idle_timeout: float = 60.0,  # s
        max_in_flight_per_connection: int = 1024,
    ) -> None:
        self._handlers = dict(handlers)
        self._host = host
        self._port = port
        self._interceptors = list(interceptors)
        self._max_frame_size = max_frame_size
        self._idle_timeout = idle_timeout
        self._max_in_flight = max_in_flight_per_connection
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._connections: set[asyncio.Task[object]] = set()
        self._draining = False
        self.stats = ServerStats()

    @property
    def port(self) -> int:
        """The bound port (the real one when constructed with 0). REQUIRES: started."""
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve_connection, self._host, self._port)

    async def close(self, drain: float = 5.0) -> None:
        """Stops accepting, lets running calls finish for up to `drain` s, closes everything."""
        self._draining = True
        if self._server is not None:
            self._server.close()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=drain)
        for t in list(self._tasks):
            t.cancel()
        for w in list(self._writers):
            w.close()
        if self._connections:  # each ends at the EOF the close gives its reader
            await asyncio.wait(set(self._connections), timeout=1.0)
        if self._server is not None:
            with contextlib.suppress(Exception):
                await self._server.wait_closed()

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self._writers.add(writer)
        me = asyncio.current_task()
        if me is not None:
            self._connections.add(me)
            me.add_done_callback(self._connections.discard)
        local = writer.get_extra_info("sockname") or ("", 0)
        peer = writer.get_extra_info("peername") or ("", 0)
        slots = asyncio.Semaphore(self._max_in_flight)
        mine: set[asyncio.Task[None]] = set()
        try:
            while not self._draining:
                data = await self._read_frame(reader, writer)
                if data is None:
                    break
                self.stats.requests += 1
                try:
                    request = frame.decode_request_frame(data, self._max_frame_size)
                except CodecError as e:
                    await self._reject(writer, e, data)
                    break
                call = ServerCall(
                    request.head,
                    request.body,
                    request.attachment,
                    local_address=str(local[0]),
                    local_port=int(local[1]),
                    peer_address=str(peer[0]),
                    peer_port=int(peer[1]),
                )
                await slots.acquire()
                task = asyncio.create_task(self._run_call(call, writer))
                self._tasks.add(task)
                mine.add(task)
                task.add_done_callback(mine.discard)
                task.add_done_callback(self._tasks.discard)
                task.add_done_callback(lambda _: slots.release())
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            if mine:  # calls already read still get their answers
                await asyncio.wait(set(mine))
            self._writers.discard(writer)
            writer.close()

    async def _read_frame(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bytes | None:
        """One whole frame, or None at the end of input (after answering a bad header)."""
        try:
            async with asyncio.timeout(self._idle_timeout):
                header = await reader.readexactly(frame.HEADER_SIZE)
        except (TimeoutError, asyncio.IncompleteReadError):
            return None
        try:
            parsed = frame.decode_header(header, self._max_frame_size)
        except CodecError as e:
            await self._reject(writer, e, header)
            return None
        try:
            async with asyncio.timeout(self._idle_timeout):
                rest = await reader.readexactly(parsed.total_size - frame.HEADER_SIZE)
        except (TimeoutError, asyncio.IncompleteReadError):
            self.stats.decode_errors += 1
            return None
        if parsed.data_frame_type == frame.STREAM:
            self.stats.decode_errors += 1
            await self._answer(
                writer,
                ResponseHead(
                    ret=int(RetCode.SERVER_DECODE_ERR), error_msg="streams are not served"
                ),
            )
            return None
        return header + rest

    async def _reject(self, writer: asyncio.StreamWriter, error: CodecError, data: bytes) -> None:
        self.stats.decode_errors += 1
        request_id = 0
        with contextlib.suppress(CodecError, Exception):
            h = frame.decode_header(data, self._max_frame_size)
            cut = data[frame.HEADER_SIZE : frame.HEADER_SIZE + h.proto_header_size]
            if len(cut) == h.proto_header_size:
                request_id = RequestHead.decode(cut).request_id
        head = ResponseHead(
            request_id=request_id, ret=int(RetCode.SERVER_DECODE_ERR), error_msg=error.kind.value
        )
        await self._answer(writer, head)

    async def _answer(
        self,
        writer: asyncio.StreamWriter,
        head: ResponseHead,
        body: bytes = b"",
        attachment: bytes = b"",
    ) -> None:
        try:
            data = frame.encode_response_frame(head, body, attachment, self._max_frame_size)
        except CodecError:
            data = frame.encode_response_frame(
                ResponseHead(
                    request_id=head.request_id,
                    ret=int(RetCode.SERVER_ENCODE_ERR),
                    error_msg="response exceeds the maximum frame size",
                )
            )
        with contextlib.suppress(ConnectionError, RuntimeError):
            writer.write(data)
            await writer.drain()

    async def _run_call(self, call: ServerCall, writer: asyncio.StreamWriter) -> None:
        head = call.head
        if head.timeout > 0:
            call.deadline = time.monotonic() + head.timeout / 1000
        current_server_call.set(call)  # this task's own context copy
        ret, func_ret, error_msg, body = 0, 0, "", b""
        try:
            body = await self._chain(0, call)
        except TrpcError as e:
            ret, func_ret, error_msg = outcome_of(e)
        except Exception as e:  # a bug answers 31; the tracing interceptor records it
            if not getattr(e, _LOGGED, False):  # raised by an interceptor, not the handler
                _log.warning("an interceptor of %s raised", head.func, exc_info=True)
            ret, func_ret, error_msg = outcome_of(e)
        if head.call_type == frame.CALL_TYPE_ONEWAY:
            return
        trans_info = {k: v for k, v in head.trans_info.items() if k not in call.response_trans_info}
        trans_info.update(call.response_trans_info)
        content_type = call.response_content_type
        response = ResponseHead(
            version=head.version,
            call_type=head.call_type,
            request_id=head.request_id,
            ret=ret,
            func_ret=func_ret,
            error_msg=error_msg,
            trans_info=trans_info,
            content_type=head.content_type if content_type is None else content_type,
        )
        await self._answer(writer, response, body, call.response_attachment)

    async def _chain(self, index: int, call: ServerCall) -> bytes:
        if index < len(self._interceptors):
            return await self._interceptors[index](call, lambda c: self._chain(index + 1, c))
        if self._draining:
            raise TrpcError("server is shutting down", ret=int(RetCode.SERVER_OVERLOAD_ERR))
        handler = self._handlers.get(call.head.func)
        if handler is None:
            raise TrpcError(f"no such func: {call.head.func}", ret=int(RetCode.SERVER_NOFUNC_ERR))
        try:
            if call.deadline is None:
                return await handler(call)
            try:
                async with asyncio.timeout_at(_loop_time(call.deadline)):
                    return await handler(call)
            except TimeoutError:
                self.stats.timeouts += 1
                raise TrpcError(
                    f"server timeout after {call.head.timeout} ms",
                    ret=int(RetCode.SERVER_TIMEOUT_ERR),
                ) from None
        except TrpcError:
            raise
        except Exception as e:
            # Logged here, inside every interceptor, so the record carries the SERVER span's
            # trace and span ids.
            self.stats.handler_errors += 1
            _log.warning("handler of %s raised", call.head.func, exc_info=True)
            with contextlib.suppress(AttributeError):
                setattr(e, _LOGGED, True)
            raise


def _loop_time(monotonic_deadline: float) -> float:
    """A time.monotonic() deadline on the running loop's clock."""
    loop = asyncio.get_running_loop()
    return loop.time() + (monotonic_deadline - time.monotonic())
