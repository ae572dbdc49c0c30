package dev.tracewire.trpc

import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import java.io.DataInputStream
import java.net.ServerSocket
import java.net.Socket
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** The coroutine client and server against each other and against hostile raw sockets. */
class RuntimeTest {
    private val closers = ArrayList<() -> Unit>()

    @AfterEach
    fun tearDown() = closers.reversed().forEach { it() }

    private fun server(handlers: Map<String, Handler>, idleTimeoutMs: Long = 60_000): Server {
        val s = Server(handlers, idleTimeoutMs = idleTimeoutMs).start()
        closers += { runBlocking { s.close(drainMs = 500) } }
        return s
    }

    private fun client(port: Int, maxFrameSize: Int = Frame.DEFAULT_MAX_FRAME_SIZE): Client {
        val c = Client("127.0.0.1", port, caller = "trpc.test.kotlin.Client", maxFrameSize = maxFrameSize)
        closers += { c.close() }
        return c
    }

    private val echo: Map<String, Handler> =
        mapOf(
            "/trpc.test.Echo/Echo" to { call ->
                call.responseTransInfo["answered-by"] = "kotlin".toByteArray()
                call.body
            },
            "/trpc.test.Echo/Fail" to { _ -> error("boom") },
            "/trpc.test.Echo/Business" to { _ -> throw TrpcError("empty query", funcRet = 400) },
            "/trpc.test.Echo/Slow" to { call ->
                delay(call.body.decodeToString().toLong())
                call.body
            },
        )

    /** A response read off a raw socket (blocking, test only), or null at EOF. */
    private fun readResponse(s: Socket): ResponseFrame? {
        val input = DataInputStream(s.getInputStream())
        val header = ByteArray(16)
        try {
            input.readFully(header)
        } catch (_: java.io.EOFException) {
            return null
        }
        val h = Frame.decodeHeader(header)
        val data = header.copyOf(h.totalSize)
        input.readFully(data, 16, h.totalSize - 16)
        return Frame.decodeResponse(data)
    }

    private fun raw(port: Int): Socket =
        Socket("127.0.0.1", port).also {
            it.soTimeout = 5_000
            closers += { it.close() }
        }

    @Test
    fun echoesBodyAndTransInfo() =
        runBlocking {
            val s = server(echo)
            val r = client(s.port).call("/trpc.test.Echo/Echo", "hello".toByteArray(), transInfo = mapOf("k" to "v".toByteArray()))
            assertEquals(0, r.ret, r.errorMsg)
            assertEquals("hello", r.body.decodeToString())
            assertEquals("v", r.transInfo["k"]?.decodeToString())
            assertEquals("kotlin", r.transInfo["answered-by"]?.decodeToString())
            assertEquals(1L, s.stats.requests.get())
        }

    @Test
    fun frameworkAndBusinessCodes() =
        runBlocking {
            val c = client(server(echo).port)
            val missing = c.call("/trpc.test.Echo/Nope")
            assertEquals(RetCode.SERVER_NOFUNC_ERR, missing.ret)
            val failed = c.call("/trpc.test.Echo/Fail")
            assertEquals(RetCode.SERVER_SYSTEM_ERR, failed.ret)
            assertEquals("IllegalStateException: boom", failed.errorMsg)
            val business = c.call("/trpc.test.Echo/Business")
            assertEquals(0, business.ret)
            assertEquals(400, business.funcRet)
            assertEquals("empty query", business.errorMsg)
        }

    @Test
    fun serverTimeoutAnswers21() {
        val s = server(echo)
        val sock = raw(s.port)
        val head = RequestHead(requestId = 9, timeout = 100, func = "/trpc.test.Echo/Slow")
        sock.getOutputStream().write(Frame.encodeRequest(head, "3000".toByteArray()))
        val r = readResponse(sock)!!
        assertEquals(9L, r.head.requestId)
        assertEquals(RetCode.SERVER_TIMEOUT_ERR, r.head.ret)
        assertEquals(1L, s.stats.timeouts.get())
    }

    @Test
    fun clientTimeoutConnectAndEncodeErrors() =
        runBlocking {
            val silent = ServerSocket(0).also { closers += { it.close() } } // connects, never answers
            assertEquals(RetCode.CLIENT_INVOKE_TIMEOUT_ERR, client(silent.localPort).call("/a.B/C", timeoutMs = 100).ret)
            val closedPort = ServerSocket(0).use { it.localPort }
            assertEquals(RetCode.CLIENT_CONNECT_ERR, client(closedPort).call("/a.B/C").ret)
            val small = client(server(echo).port, maxFrameSize = 1024)
            assertEquals(RetCode.CLIENT_ENCODE_ERR, small.call("/trpc.test.Echo/Echo", ByteArray(2000)).ret)
            assertEquals(0, small.call("/trpc.test.Echo/Echo", ByteArray(100)).ret)
        }

    @Test
    fun concurrentCallsOnOneConnectionAnswerOutOfOrder() =
        runBlocking {
            val c = client(server(echo).port)
            val got = listOf("300", "10", "150").map { async { c.call("/trpc.test.Echo/Slow", it.toByteArray()) } }.awaitAll()
            assertEquals(listOf("300", "10", "150"), got.map { it.body.decodeToString() })
            assertTrue(got.all { it.ok })
        }

    @Test
    fun onewayGetsNoAnswerButRuns() =
        runBlocking {
            var ran = false
            val s =
                server(
                    mapOf(
                        "/a.B/C" to { _ ->
                            ran = true
                            ByteArray(0)
                        },
                    ),
                )
            val c = client(s.port)
            assertEquals(0, c.call("/a.B/C", oneway = true).ret)
            assertEquals(0, c.call("/a.B/C").ret) // the connection still works
            delay(100)
            assertTrue(ran)
        }

    @Test
    fun badMagicAndTooLargeAreAnsweredThenClosed() {
        val s = server(echo)
        for ((bytes, error) in listOf(
            ByteArray(16) { 0x41 } to "bad magic",
            byteArrayOf(0x09, 0x30, 0, 0, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0) to "too large",
        )) {
            val sock = raw(s.port)
            sock.getOutputStream().write(bytes)
            val r = readResponse(sock)!!
            assertEquals(RetCode.SERVER_DECODE_ERR, r.head.ret)
            assertEquals(error, r.head.errorMsg)
            assertEquals(null, readResponse(sock))
        }
        assertEquals(2L, s.stats.decodeErrors.get())
    }

    @Test
    fun badProtocolHeaderKeepsTheRequestIdIfReadable() {
        val s = server(echo)
        val sock = raw(s.port)
        val frame = Frame.encodeRequest(RequestHead(requestId = 5, func = "/a.B/C"), "x".toByteArray())
        frame[16 + 0] = 0x18 // field 3 varint: request id
        frame[16 + 1] = 0x05
        val broken = frame.copyOf()
        broken[16 + 2] = 0xff.toByte() // the func field's tag becomes a bad one
        sock.getOutputStream().write(broken)
        val r = readResponse(sock)!!
        assertEquals(RetCode.SERVER_DECODE_ERR, r.head.ret)
        assertEquals("bad protocol header", r.head.errorMsg)
    }

    @Test
    fun stalledPeerAndStreamFramesNeverHang() {
        val s = server(echo, idleTimeoutMs = 300)
        val stalled = raw(s.port)
        stalled.getOutputStream().write(byteArrayOf(0x09, 0x30, 0, 0))
        val start = System.nanoTime()
        assertEquals(null, readResponse(stalled))
        assertTrue(System.nanoTime() - start < 3_000_000_000L)
        val stream = raw(s.port)
        stream.getOutputStream().write(Frame.encodeStream(Frame.STREAM_INIT, 1, StreamInitMeta(initWindowSize = 65535).encode()))
        val r = readResponse(stream)!!
        assertEquals(RetCode.SERVER_DECODE_ERR, r.head.ret)
        assertEquals(null, readResponse(stream))
    }

    @Test
    fun garbageResponseGives122AndTheClientRecovers() =
        runBlocking {
            val evil = ServerSocket(0).also { closers += { it.close() } }
            val t =
                Thread {
                    runCatching {
                        evil.accept().use {
                            it.getInputStream().read(ByteArray(64))
                            it.getOutputStream().write(ByteArray(16) { 0x42 })
                            Thread.sleep(200)
                        }
                    }
                }.apply {
                    isDaemon = true
                    start()
                }
            val r = client(evil.localPort).call("/a.B/C", timeoutMs = 2_000)
            assertEquals(RetCode.CLIENT_DECODE_ERR, r.ret)
            assertTrue("bad magic" in r.errorMsg, r.errorMsg)
            t.join(1_000)
        }

    @Test
    fun handlerContextFlowsIntoDownstreamCalls() =
        runBlocking {
            val inner =
                server(
                    mapOf(
                        "/b.C/D" to { call ->
                            (call.transInfo["tenant"] ?: ByteArray(0)) + ":${call.head.timeout}".toByteArray()
                        },
                    ),
                )
            val down = client(inner.port)
            val outer = server(mapOf("/a.B/C" to { _ -> down.call("/b.C/D").raiseForStatus().body }))
            val r = client(outer.port).call("/a.B/C", transInfo = mapOf("tenant" to "t1".toByteArray()), timeoutMs = 800)
            val (tenant, timeout) = r.body.decodeToString().split(":")
            assertEquals("t1", tenant)
            assertTrue(timeout.toLong() in 1..800, timeout)
            assertContentEquals("t1".toByteArray(), r.transInfo["tenant"])
        }
}
