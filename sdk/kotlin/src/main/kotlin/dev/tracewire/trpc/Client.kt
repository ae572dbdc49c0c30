package dev.tracewire.trpc

import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import java.io.EOFException
import java.io.IOException
import java.net.InetSocketAddress
import java.nio.ByteBuffer
import java.nio.channels.AsynchronousSocketChannel
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong
import kotlin.coroutines.coroutineContext

/** Sends the call (the rest of the client chain). */
typealias Invoke = suspend (ClientRequest) -> CallResult

/** Wraps the rest of the chain: `invoke(request)` sends the call. */
typealias ClientInterceptor = suspend (request: ClientRequest, invoke: Invoke) -> CallResult

/**
 * A coroutine tRPC client of one server at [host]:[port]: one multiplexed connection (reopened
 * when it breaks), request ids matched to responses. [caller] is this service's name;
 * [interceptors] run outermost first.
 *
 * A call returns a CallResult and never throws for the peer's or the network's faults: 101 when
 * the timeout passes, 111 when the connection cannot be made (within [connectTimeoutMs]), 121
 * when the request does not encode (over [maxFrameSize]), 122 when a response does not decode
 * (the connection is then closed), 141 when the connection breaks. Inside a server handler a call
 * inherits the inbound trans_info (its own entries win) and the time left of the inbound deadline.
 */
class Client(
    val host: String,
    val port: Int,
    val caller: String = "",
    interceptors: List<ClientInterceptor> = emptyList(),
    private val defaultTimeoutMs: Long = 5_000,
    private val connectTimeoutMs: Long = 3_000,
    private val maxFrameSize: Int = Frame.DEFAULT_MAX_FRAME_SIZE,
) : AutoCloseable {
    private val interceptors = interceptors.toList()
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO + CoroutineName("trpc-client"))
    private val connecting = Mutex()
    private val ids = AtomicLong()

    @Volatile private var conn: Connection? = null

    override fun close() {
        conn?.failAll(RetCode.CLIENT_CANCELED_ERR, "client closed")
        scope.cancel()
    }

    /** One unary call of [func] ("/pkg.Service/Method"); [timeoutMs] 0 = none, null = the default. */
    suspend fun call(
        func: String,
        body: ByteArray = ByteArray(0),
        callee: String = "",
        transInfo: Map<String, ByteArray> = emptyMap(),
        timeoutMs: Long? = null,
        attachment: ByteArray = ByteArray(0),
        contentType: Long = Frame.CONTENT_TYPE_PROTO,
        oneway: Boolean = false,
    ): CallResult {
        val inbound = coroutineContext[CurrentServerCall]?.call
        val merged = LinkedHashMap<String, ByteArray>()
        inbound?.let { merged.putAll(it.transInfo) }
        merged.putAll(transInfo)
        var timeout = timeoutMs ?: defaultTimeoutMs
        val left = inbound?.remainingMs()
        if (left != null && (timeout == 0L || left < timeout)) timeout = left
        val request =
            ClientRequest(
                func,
                body,
                callee.ifEmpty { splitFunc(func).first },
                caller,
                merged,
                timeout,
                host,
                port,
                attachment,
                contentType,
                oneway,
            )
        return chain(0, request)
    }

    private suspend fun chain(index: Int, request: ClientRequest): CallResult {
        if (index < interceptors.size) return interceptors[index](request) { chain(index + 1, it) }
        return send(request)
    }

    private suspend fun connection(): Any =
        connecting.withLock {
            conn?.takeIf { !it.closed }?.let { return@withLock it }
            val ch = AsynchronousSocketChannel.open()
            try {
                withContext(Dispatchers.IO) { withTimeout(connectTimeoutMs) { ch.connectSuspending(InetSocketAddress(host, port)) } }
            } catch (e: Exception) {
                runCatching { ch.close() }
                if (e is kotlinx.coroutines.CancellationException && e !is TimeoutCancellationException) throw e
                val why = if (e is TimeoutCancellationException) "timeout after $connectTimeoutMs ms" else e.toString()
                return@withLock CallResult.failed(RetCode.CLIENT_CONNECT_ERR, "connect $host:$port: $why")
            }
            Connection(ch).also { conn = it }
        }

    private suspend fun send(request: ClientRequest): CallResult {
        val id = ids.incrementAndGet() and 0xFFFFFFFFL
        val head =
            RequestHead(
                callType = if (request.oneway) Frame.CALL_TYPE_ONEWAY else Frame.CALL_TYPE_UNARY,
                requestId = id,
                timeout = request.timeoutMs,
                caller = request.caller,
                callee = request.callee,
                func = request.func,
                transInfo = request.transInfo,
                contentType = request.contentType,
            )
        val data =
            try {
                Frame.encodeRequest(head, request.body, request.attachment, maxFrameSize)
            } catch (e: CodecException) {
                return CallResult.failed(RetCode.CLIENT_ENCODE_ERR, "request does not encode: ${e.message}")
            }
        val c =
            when (val got = connection()) {
                is Connection -> got
                else -> return got as CallResult
            }
        val reply = CompletableDeferred<CallResult>()
        if (!request.oneway) {
            c.pending[id] = reply
            if (c.closed) { // failAll ran before the entry went in
                c.pending.remove(id)
                return CallResult.failed(RetCode.CLIENT_NETWORK_ERR, "connection closed")
            }
        }
        try {
            try {
                c.writeLock.withLock { c.ch.writeFully(ByteBuffer.wrap(data)) }
            } catch (e: IOException) {
                return CallResult.failed(RetCode.CLIENT_NETWORK_ERR, "write failed: $e")
            }
            if (request.oneway) return CallResult(peerAddress = c.peerAddress, peerPort = c.peerPort)
            if (request.timeoutMs <= 0) return reply.await()
            return withTimeoutOrNull(request.timeoutMs) { reply.await() }
                ?: CallResult.failed(RetCode.CLIENT_INVOKE_TIMEOUT_ERR, "client timeout after ${request.timeoutMs} ms")
        } finally {
            c.pending.remove(id)
        }
    }

    private inner class Connection(val ch: AsynchronousSocketChannel) {
        val pending = ConcurrentHashMap<Long, CompletableDeferred<CallResult>>()
        val writeLock = Mutex()
        private val peer = ch.remoteAddress as InetSocketAddress
        val peerAddress: String = peer.address.hostAddress
        val peerPort: Int = peer.port

        @Volatile var closed = false

        init {
            scope.launch { readLoop() }
        }

        private suspend fun readLoop() {
            var ret = RetCode.CLIENT_NETWORK_ERR
            var message = "connection closed by the server"
            try {
                while (true) {
                    val response = Frame.decodeResponse(readFrame(ch, maxFrameSize), maxFrameSize)
                    val h = response.head
                    pending.remove(h.requestId)?.complete(
                        CallResult(h.ret, h.funcRet, h.errorMsg, response.body, response.attachment, h.transInfo, peerAddress, peerPort),
                    )
                }
            } catch (e: CodecException) {
                ret = RetCode.CLIENT_DECODE_ERR
                message = "bad response frame: ${e.message}"
            } catch (e: IOException) {
                if (e !is EOFException) message = "connection broken: $e"
            } finally {
                failAll(ret, message)
            }
        }

        fun failAll(ret: Int, message: String) {
            closed = true
            for (d in pending.values) d.complete(CallResult.failed(ret, message))
            pending.clear()
            runCatching { ch.close() }
        }
    }
}
