"""The asyncio server and client: codes, timeouts, multiplexing, malformed input."""

from __future__ import annotations

import asyncio
import socket

from helpers import running
from tracewire.trpc import Client, RetCode, ServerCall, frame
from tracewire.trpc.protocol import RequestHead


def test_echo_round_trip_with_attachment_and_trans_info_echoed() -> None:
    async def main() -> None:
        async with running() as server, Client("127.0.0.1", server.port) as client:
            r = await client.call("/trpc.test.echo.Echo/Echo", b"hello", trans_info={"user": b"42"})
            assert r.ok and r.body == b"hello"
            assert r.trans_info["user"] == b"42"

    asyncio.run(main())


def test_response_trans_info_wins_over_the_echoed_request_keys() -> None:
    async def tagged(call: ServerCall) -> bytes:
        call.response_trans_info["k"] = b"from-server"
        return b""

    async def main() -> None:
        async with running({"/a.B/C": tagged}) as server, Client("127.0.0.1", server.port) as c:
            r = await c.call("/a.B/C", trans_info={"k": b"from-client", "other": b"1"})
            assert r.trans_info == {"k": b"from-server", "other": b"1"}

    asyncio.run(main())


def test_codes_for_unknown_func_business_error_and_handler_exception() -> None:
    async def main() -> None:
        async with running() as server, Client("127.0.0.1", server.port) as client:
            r = await client.call("/trpc.test.echo.Echo/Nope")
            assert r.ret == RetCode.SERVER_NOFUNC_ERR
            r = await client.call("/trpc.test.echo.Echo/Fail")
            assert (r.ret, r.func_ret, r.error_msg) == (0, 1, "echo: failure requested")
            r = await client.call("/trpc.test.echo.Echo/Boom")
            assert r.ret == RetCode.SERVER_SYSTEM_ERR
            assert "RuntimeError: deep inside" in r.error_msg
            assert server.stats.handler_errors == 1

    asyncio.run(main())


def test_calls_on_one_connection_complete_out_of_order() -> None:
    async def main() -> None:
        async with running() as server, Client("127.0.0.1", server.port) as client:
            slow = asyncio.create_task(client.call("/trpc.test.echo.Echo/Sleep", b"200"))
            fast = await client.call("/trpc.test.echo.Echo/Sleep", b"1")
            assert fast.ok and not slow.done()
            assert (await slow).body == b"200"

    asyncio.run(main())


def test_client_timeout_is_101_and_the_connection_stays_usable() -> None:
    async def main() -> None:
        async with running() as server, Client("127.0.0.1", server.port) as client:
            r = await client.call("/trpc.test.echo.Echo/Sleep", b"1000", timeout_ms=50)
            assert r.ret == RetCode.CLIENT_INVOKE_TIMEOUT_ERR
            assert (await client.call("/trpc.test.echo.Echo/Echo", b"x")).body == b"x"

    asyncio.run(main())


def test_connect_error_is_111() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, never listening

    async def main() -> None:
        async with Client("127.0.0.1", port) as client:
            r = await client.call("/a.B/C")
            assert r.ret == RetCode.CLIENT_CONNECT_ERR

    asyncio.run(main())


def test_oversized_request_is_121_before_sending() -> None:
    async def main() -> None:
        async with running() as server, Client("127.0.0.1", server.port, max_frame_size=64) as c:
            r = await c.call("/trpc.test.echo.Echo/Echo", b"x" * 100)
            assert r.ret == RetCode.CLIENT_ENCODE_ERR

    asyncio.run(main())


def test_deadline_of_a_handler_caps_its_downstream_timeout() -> None:
    async def main() -> None:
        seen: list[int] = []

        async def downstream_meta(call: ServerCall) -> bytes:
            seen.append(call.head.timeout)
            return b""

        async with running({"/d.S/M": downstream_meta}) as down:
            client = Client("127.0.0.1", down.port)

            async def forward(call: ServerCall) -> bytes:
                await client.call("/d.S/M", timeout_ms=5000)
                return b""

            async with running({"/u.S/M": forward}) as up, Client("127.0.0.1", up.port) as c:
                assert (await c.call("/u.S/M", timeout_ms=300)).ok
            await client.close()
        assert 0 < seen[0] <= 300

    asyncio.run(main())


async def _raw_exchange(port: int, data: bytes, wait: float = 2.0) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    try:
        async with asyncio.timeout(wait):
            return await reader.read()  # until the server closes
    finally:
        writer.close()


def test_server_timeout_is_21() -> None:
    head = RequestHead(request_id=9, timeout=50, func="/trpc.test.echo.Echo/Sleep")
    request = frame.encode_request_frame(head, b"1000")

    async def main() -> None:
        async with running() as server:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(request)
            header = await reader.readexactly(16)
            rest = await reader.readexactly(frame.decode_header(header).total_size - 16)
            writer.close()
            response = frame.decode_response_frame(header + rest)
            assert (response.head.request_id, response.head.ret) == (9, 21)

    asyncio.run(main())


def test_bad_magic_gets_ret_1_then_close() -> None:
    async def main() -> None:
        async with running() as server:
            out = await _raw_exchange(server.port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            response = frame.decode_response_frame(out)
            assert response.head.ret == RetCode.SERVER_DECODE_ERR
            assert response.head.error_msg == "bad magic"
            assert server.stats.decode_errors == 1

    asyncio.run(main())


def test_frame_over_the_maximum_is_refused_without_reading_it() -> None:
    header = frame.FrameHeader(total_size=11 * 1024 * 1024, proto_header_size=0).encode()

    async def main() -> None:
        async with running() as server:
            out = await _raw_exchange(server.port, header)
            assert frame.decode_response_frame(out).head.error_msg == "too large"

    asyncio.run(main())


def test_bad_protocol_header_answers_with_the_request_id_when_readable() -> None:
    good = RequestHead(request_id=77, func="/a.B/C").encode()
    bad = good + b"\x4a\x05\x0a"  # a trans_info entry cut short
    data = frame.FrameHeader(total_size=16 + len(bad), proto_header_size=len(bad)).encode() + bad

    async def main() -> None:
        async with running() as server:
            out = await _raw_exchange(server.port, data)
            head = frame.decode_response_frame(out).head
            assert (head.ret, head.error_msg) == (1, "bad protocol header")

    asyncio.run(main())


def test_a_peer_stalling_inside_a_frame_is_disconnected() -> None:
    async def main() -> None:
        async with running(idle_timeout=0.2) as server:
            partial = frame.FrameHeader(total_size=100).encode() + b"abc"
            out = await _raw_exchange(server.port, partial, wait=2.0)
            assert out == b""  # closed, not hanging

    asyncio.run(main())


def test_stream_frames_are_answered_with_ret_1() -> None:
    data = frame.encode_stream_frame(frame.STREAM_DATA, 1, body=b"data")

    async def main() -> None:
        async with running() as server:
            out = await _raw_exchange(server.port, data)
            assert frame.decode_response_frame(out).head.ret == 1

    asyncio.run(main())


def test_oneway_gets_no_response() -> None:
    async def main() -> None:
        got: list[bytes] = []

        async def note(call: ServerCall) -> bytes:
            got.append(call.body)
            return b"ignored"

        async with running({"/a.B/C": note}) as server, Client("127.0.0.1", server.port) as c:
            r = await c.call("/a.B/C", b"fire", oneway=True)
            assert r.ok
            for _ in range(100):
                if got:
                    break
                await asyncio.sleep(0.01)
            assert got == [b"fire"]

    asyncio.run(main())


async def _fake_server(answer: bytes) -> asyncio.Server:
    """Reads one request header, writes `answer` and closes."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(16)
        writer.write(answer)
        await writer.drain()
        writer.close()

    return await asyncio.start_server(serve, "127.0.0.1", 0)


def test_a_bad_response_is_122_and_a_dropped_connection_141() -> None:
    async def main() -> None:
        for answer, code in ((b"HTTP/1.1 400 Bad Request\r\n\r\n", 122), (b"", 141)):
            fake = await _fake_server(answer)
            port = fake.sockets[0].getsockname()[1]
            async with Client("127.0.0.1", port) as client:
                r = await client.call("/a.B/C", timeout_ms=2000)
                assert r.ret == code, r
            fake.close()

    asyncio.run(main())
