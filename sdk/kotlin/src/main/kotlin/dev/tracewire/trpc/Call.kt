package dev.tracewire.trpc

import java.util.concurrent.ConcurrentHashMap
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext

/** The default for every empty body and attachment here: an empty array has nothing to change, so one is shared. */
internal val NO_BYTES = ByteArray(0)

/**
 * Thrown by a handler to answer with a code: [funcRet] for business errors (ret 0), or a
 * framework [ret]. The message goes to error_msg.
 */
class TrpcError(message: String = "", val ret: Int = 0, val funcRet: Int = 0) : Exception(message) {
    val msg: String get() = message ?: ""
}

/**
 * One request being handled. [responseTransInfo] goes back to the caller on top of the
 * request's own trans_info (which the server echoes, as trpc-go does). [deadlineNanos] is on the
 * System.nanoTime() clock, null without a timeout.
 */
class ServerCall(
    val head: RequestHead,
    val body: ByteArray,
    val attachment: ByteArray,
    val localAddress: String = "",
    val localPort: Int = 0,
    val peerAddress: String = "",
    val peerPort: Int = 0,
    val deadlineNanos: Long? = null,
) {
    val func: String get() = head.func
    val transInfo: MutableMap<String, ByteArray> get() = head.transInfo
    val responseTransInfo: MutableMap<String, ByteArray> = LinkedHashMap()
    var responseAttachment: ByteArray = NO_BYTES
    var responseContentType: Long? = null // null: the request's

    /** Milliseconds left before the deadline (at least 1), or null. */
    fun remainingMs(): Long? = deadlineNanos?.let { maxOf(1L, (it - System.nanoTime()) / 1_000_000) }
}

/**
 * The coroutine context element that carries the inbound call of a handler to the client calls
 * it makes (and to every coroutine it starts, which inherit it).
 */
class CurrentServerCall(val call: ServerCall) : AbstractCoroutineContextElement(Key) {
    companion object Key : CoroutineContext.Key<CurrentServerCall>
}

/** An outbound call as the client interceptors see it; they may edit [transInfo]. */
class ClientRequest(
    val func: String,
    val body: ByteArray,
    val callee: String,
    val caller: String,
    val transInfo: MutableMap<String, ByteArray>,
    val timeoutMs: Long,
    val host: String,
    val port: Int,
    val attachment: ByteArray = NO_BYTES,
    val contentType: Long = 0,
    val oneway: Boolean = false,
)

/**
 * The outcome of a client call. [ret] is the framework code (the client's own 101, 111, 121,
 * 122, 141 included), [funcRet] the business code.
 */
class CallResult(
    val ret: Int = 0,
    val funcRet: Int = 0,
    val errorMsg: String = "",
    val body: ByteArray = NO_BYTES,
    val attachment: ByteArray = NO_BYTES,
    val transInfo: Map<String, ByteArray> = emptyMap(),
    val peerAddress: String = "",
    val peerPort: Int = 0,
) {
    val ok: Boolean get() = ret == 0 && funcRet == 0

    /** this when ok, else throws TrpcError with the codes. */
    fun raiseForStatus(): CallResult {
        if (!ok) throw TrpcError(errorMsg.ifEmpty { RetCode.describe(ret).ifEmpty { "func_ret $funcRet" } }, ret, funcRet)
        return this
    }

    override fun toString() = "CallResult(ret=$ret, funcRet=$funcRet, errorMsg='$errorMsg', body=${body.size} bytes)"

    companion object {
        fun failed(ret: Int, message: String) = CallResult(ret = ret, errorMsg = message)
    }
}

/** "/pkg.Service/Method" -> ("pkg.Service", "Method"); no '/' -> ("", func). */
fun splitFunc(func: String): Pair<String, String> {
    val slash = func.lastIndexOf('/')
    if (slash < 0) return "" to func
    return func.substring(0, slash).removePrefix("/") to func.substring(slash + 1)
}

private const val MAX_REMEMBERED_FUNCS = 1024
private const val MAX_REMEMBERED_FUNC_LENGTH = 256 // chars
private val splitFuncs = ConcurrentHashMap<String, Pair<String, String>>()

/**
 * [splitFunc] for the tracing interceptors, which need it on every call: the first 1024 distinct
 * funcs of at most 256 chars are remembered (a service calls and serves a handful), so a repeated
 * func costs a map lookup instead of three substrings and a Pair. The bounds keep what a peer
 * sending made-up funcs can make us hold under ~1 MB.
 */
internal fun splitFuncRemembered(func: String): Pair<String, String> {
    splitFuncs[func]?.let { return it }
    val parts = splitFunc(func)
    if (func.length <= MAX_REMEMBERED_FUNC_LENGTH && splitFuncs.size < MAX_REMEMBERED_FUNCS) splitFuncs.putIfAbsent(func, parts)
    return parts
}
