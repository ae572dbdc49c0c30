package dev.tracewire.trpc

import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext

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
    var responseAttachment: ByteArray = ByteArray(0)
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
    val attachment: ByteArray = ByteArray(0),
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
    val body: ByteArray = ByteArray(0),
    val attachment: ByteArray = ByteArray(0),
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
