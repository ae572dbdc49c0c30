package dev.tracewire.trpc

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.cancel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import java.io.IOException
import java.net.InetSocketAddress
import java.nio.ByteBuffer
import java.nio.channels.AsynchronousServerSocketChannel
import java.nio.channels.AsynchronousSocketChannel
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong

/** A handler of one func: returns the response body, or throws (TrpcError for a code). */
typealias Handler = suspend (ServerCall) -> ByteArray

/** Wraps the rest of the chain: `next(call)` runs it. */
typealias ServerInterceptor = suspend (call: ServerCall, next: Handler) -> ByteArray

/** Counters of a server (monotonic). */
class ServerStats {
    val requests = AtomicLong()
    val decodeErrors = AtomicLong()
    val handlerErrors = AtomicLong()
    val timeouts = AtomicLong()
}

/** (ret, func_ret, error_msg) a handler's exception answers with. */
fun outcomeOf(e: Throwable): Triple<Int, Int, String> =
    if (e is TrpcError) Triple(e.ret, e.funcRet, e.msg) else Triple(RetCode.SERVER_SYSTEM_ERR, 0, "${e.javaClass.simpleName}: ${e.message}")

/**
 * A coroutine tRPC server, byte-compatible with src/trpc's. Serves [handlers]
 * ("/pkg.Service/Method" -> handler) through [interceptors] (outermost first).
 *
 * Many calls per connection run concurrently (at most [maxInFlightPerConnection]); each response
 * echoes the request's trans_info (response keys win). Codes: 12 for an unknown func, 21 when a
 * request's timeout passes, 31 when a handler throws anything but TrpcError, 22 while shutting
 * down. A malformed frame gets one response with ret 1 (and the request id when still readable)
 * and the connection is closed; a peer silent for [idleTimeoutMs] (also inside a frame) is
 * disconnected, so no input makes the server wait forever. Stream frames are answered with ret 1.
 */
class Server(
    handlers: Map<String, Handler>,
    private val host: String = "127.0.0.1",
    private val requestedPort: Int = 0,
    interceptors: List<ServerInterceptor> = emptyList(),
    private val maxFrameSize: Int = Frame.DEFAULT_MAX_FRAME_SIZE,
    private val idleTimeoutMs: Long = 60_000,
    private val maxInFlightPerConnection: Int = 1024,
) {
    private val handlers = handlers.toMap()
    private val interceptors = interceptors.toList()
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO + CoroutineName("trpc-server"))
    private val inFlight = ConcurrentHashMap.newKeySet<Job>()
    private val connections = ConcurrentHashMap.newKeySet<AsynchronousSocketChannel>()
    private var channel: AsynchronousServerSocketChannel? = null

    @Volatile private var draining = false
    val stats = ServerStats()

    /** The bound port (the real one when constructed with 0). REQUIRES: started. */
    val port: Int get() = (channel!!.localAddress as InetSocketAddress).port

    /** Binds and starts accepting; returns this. */
    fun start(): Server {
        val ch = AsynchronousServerSocketChannel.open().bind(InetSocketAddress(host, requestedPort))
        channel = ch
        scope.launch {
            while (ch.isOpen) {
                val c =
                    try {
                        ch.acceptSuspending()
                    } catch (e: IOException) {
                        if (!ch.isOpen) break else continue
                    }
                connections += c
                launch { serveConnection(c) }
            }
        }
        return this
    }

    /** Stops accepting, lets running calls finish for up to [drainMs], closes everything. */
    suspend fun close(drainMs: Long = 5_000) {
        draining = true
        runCatching { channel?.close() }
        // A snapshot through toArray: toList() on a concurrent set can see one element by its
        // size and then none by its iterator, when that call ends in between.
        withTimeoutOrNull(drainMs) { inFlight.toTypedArray().forEach { it.join() } }
        for (c in connections) runCatching { c.close() }
        scope.cancel()
        scope.coroutineContext[Job]?.join()
    }

    private suspend fun serveConnection(c: AsynchronousSocketChannel) {
        val writeLock = Mutex()
        val slots = Semaphore(maxInFlightPerConnection)
        val local = c.localAddress as InetSocketAddress
        val peer = c.remoteAddress as InetSocketAddress
        try {
            coroutineScope {
                while (!draining) {
                    val data =
                        try {
                            withTimeoutOrNull(idleTimeoutMs) { readFrame(c, maxFrameSize) }
                        } catch (e: CodecException) {
                            reject(c, writeLock, e, null)
                            null
                        } ?: break
                    stats.requests.incrementAndGet()
                    if (data[2].toInt() == Frame.STREAM) {
                        stats.decodeErrors.incrementAndGet()
                        answer(c, writeLock, ResponseHead(ret = RetCode.SERVER_DECODE_ERR, errorMsg = "streams are not served"))
                        break
                    }
                    val request =
                        try {
                            Frame.decodeRequest(data, maxFrameSize)
                        } catch (e: CodecException) {
                            reject(c, writeLock, e, data)
                            break
                        }
                    val call =
                        ServerCall(
                            request.head,
                            request.body,
                            request.attachment,
                            local.address.hostAddress,
                            local.port,
                            peer.address.hostAddress,
                            peer.port,
                            if (request.head.timeout > 0) System.nanoTime() + request.head.timeout * 1_000_000 else null,
                        )
                    slots.acquire()
                    val job =
                        launch {
                            try {
                                runCall(call, c, writeLock)
                            } finally {
                                slots.release()
                            }
                        }
                    inFlight += job
                    job.invokeOnCompletion { inFlight -= job }
                }
            } // calls already read still get their answers before the close
        } catch (_: IOException) {
        } finally {
            connections -= c
            runCatching { c.close() }
        }
    }

    private suspend fun reject(c: AsynchronousSocketChannel, lock: Mutex, error: CodecException, data: ByteArray?) {
        stats.decodeErrors.incrementAndGet()
        var requestId = 0L
        if (data != null) {
            runCatching {
                val h = Frame.decodeHeader(data, maxFrameSize)
                requestId = RequestHead.decode(data, Frame.HEADER_SIZE, Frame.HEADER_SIZE + h.protoHeaderSize).requestId
            }
        }
        answer(c, lock, ResponseHead(requestId = requestId, ret = RetCode.SERVER_DECODE_ERR, errorMsg = error.kind.wireName))
    }

    private suspend fun answer(
        c: AsynchronousSocketChannel,
        lock: Mutex,
        head: ResponseHead,
        body: ByteArray =
            ByteArray(
                0,
            ),
        attachment: ByteArray = ByteArray(0),
    ) {
        val data =
            try {
                Frame.encodeResponse(head, body, attachment, maxFrameSize)
            } catch (_: CodecException) {
                Frame.encodeResponse(
                    ResponseHead(
                        requestId = head.requestId,
                        ret = RetCode.SERVER_ENCODE_ERR,
                        errorMsg = "response exceeds the maximum frame size",
                    ),
                )
            }
        try {
            lock.withLock { c.writeFully(ByteBuffer.wrap(data)) }
        } catch (_: IOException) {
        }
    }

    private suspend fun runCall(call: ServerCall, c: AsynchronousSocketChannel, lock: Mutex) {
        val head = call.head
        var outcome = Triple(0, 0, "")
        var body = ByteArray(0)
        try {
            body = withContext(CurrentServerCall(call)) { chain(0, call) }
        } catch (e: TrpcError) {
            outcome = outcomeOf(e)
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            // a handler's bug answers 31; the tracing interceptor records it
            stats.handlerErrors.incrementAndGet()
            LOG.log(System.Logger.Level.WARNING, "handler of ${head.func} threw", e)
            outcome = outcomeOf(e)
        }
        if (head.callType == Frame.CALL_TYPE_ONEWAY) return
        val transInfo = LinkedHashMap<String, ByteArray>()
        for ((k, v) in head.transInfo) if (k !in call.responseTransInfo) transInfo[k] = v
        transInfo.putAll(call.responseTransInfo)
        val response =
            ResponseHead(
                version = head.version,
                callType = head.callType,
                requestId = head.requestId,
                ret = outcome.first,
                funcRet = outcome.second,
                errorMsg = outcome.third,
                transInfo = transInfo,
                contentType = call.responseContentType ?: head.contentType,
            )
        answer(c, lock, response, body, call.responseAttachment)
    }

    private suspend fun chain(index: Int, call: ServerCall): ByteArray {
        if (index < interceptors.size) return interceptors[index](call) { chain(index + 1, it) }
        if (draining) throw TrpcError("server is shutting down", ret = RetCode.SERVER_OVERLOAD_ERR)
        val handler = handlers[call.func] ?: throw TrpcError("no such func: ${call.func}", ret = RetCode.SERVER_NOFUNC_ERR)
        val left = call.remainingMs() ?: return handler(call)
        return try {
            withTimeout(left) { handler(call) }
        } catch (_: TimeoutCancellationException) {
            stats.timeouts.incrementAndGet()
            throw TrpcError("server timeout after ${call.head.timeout} ms", ret = RetCode.SERVER_TIMEOUT_ERR)
        }
    }

    private companion object {
        val LOG: System.Logger = System.getLogger("dev.tracewire.trpc.Server")
    }
}
