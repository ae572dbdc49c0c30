package dev.tracewire.bench

import dev.tracewire.tracing.Inject
import dev.tracewire.tracing.Tracing
import dev.tracewire.trpc.CallResult
import dev.tracewire.trpc.ClientRequest
import dev.tracewire.trpc.Handler
import dev.tracewire.trpc.Invoke
import dev.tracewire.trpc.RequestHead
import dev.tracewire.trpc.ServerCall
import io.opentelemetry.context.Context
import io.opentelemetry.context.propagation.TextMapGetter
import io.opentelemetry.context.propagation.TextMapSetter
import io.opentelemetry.sdk.OpenTelemetrySdk
import io.opentelemetry.sdk.trace.ReadWriteSpan
import io.opentelemetry.sdk.trace.ReadableSpan
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.SpanProcessor
import kotlinx.coroutines.Dispatchers
import kotlin.coroutines.Continuation
import kotlin.coroutines.startCoroutine

/*
 * What the Java benchmarks (SdkBench) need from the Kotlin side: the SDK under test, the
 * interceptors run to completion without a dispatcher (the no-op handler and invoke never
 * suspend, so the coroutine finishes inside startCoroutine, as a handler that does not suspend
 * does in the server), carriers and the official SDK's map getter/setter.
 */
object Fixtures {
    const val TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    const val FUNC = "/trpc.test.echo.Echo/Echo"

    @JvmField val BAGGAGE10 = (0 until 10).joinToString(",") { "key$it=value$it" }

    @JvmField val EMPTY = ByteArray(0)

    /** An SDK whose only processor drops every span (ends are still delivered to it). */
    @JvmStatic
    fun sdk(): OpenTelemetrySdk =
        OpenTelemetrySdk
            .builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(DropProcessor).build())
            .build()

    /** trans_info holding [kv] (key, value, key, value...) as ISO-8859-1 bytes. */
    @JvmStatic
    fun transInfo(vararg kv: String): MutableMap<String, ByteArray> {
        val m = LinkedHashMap<String, ByteArray>()
        for (i in kv.indices step 2) m[kv[i]] = kv[i + 1].toByteArray(Charsets.ISO_8859_1)
        return m
    }

    /**
     * Runs [block] and returns its result; fails if it suspended (it must not here). The
     * coroutine has a dispatcher (Unconfined: it never dispatches, so the call stays on this
     * thread), as a handler on the server's Dispatchers.IO has: without one, every withContext
     * with a thread-context element takes kotlinx.coroutines' dispatcher-less path (a new
     * ThreadLocal set and cleared per call), which no server call takes.
     */
    @JvmStatic
    fun <T> runSync(block: suspend () -> T): T {
        var out: Result<T>? = null
        block.startCoroutine(Continuation(Dispatchers.Unconfined) { out = it })
        return checkNotNull(out) { "the benchmarked call suspended" }.getOrThrow()
    }
}

/** Keeps nothing. */
object DropProcessor : SpanProcessor {
    override fun onStart(parentContext: Context, span: ReadWriteSpan) = Unit

    override fun isStartRequired() = false

    override fun onEnd(span: ReadableSpan) = Unit

    override fun isEndRequired() = true
}

/** HashMap<String, String> carriers for the official propagators. */
object MapGetter : TextMapGetter<Map<String, String>> {
    @Suppress("OVERRIDE_DEPRECATION")
    override fun keys(carrier: Map<String, String>): Iterable<String> = carrier.keys

    override fun get(carrier: Map<String, String>?, key: String): String? = carrier?.get(key)
}

object MapSetter : TextMapSetter<MutableMap<String, String>> {
    override fun set(carrier: MutableMap<String, String>?, key: String, value: String) {
        carrier?.put(key, value)
    }
}

/** Tracing.serverInterceptor around a no-op handler, on a call carrying a traceparent. */
class ServerRun(otel: OpenTelemetrySdk) {
    private val interceptor = Tracing.serverInterceptor(otel)
    private val handler: Handler = { Fixtures.EMPTY }
    private val call =
        ServerCall(
            RequestHead(
                caller = "trpc.app.server.service",
                callee = "trpc.test.echo.Echo",
                func = Fixtures.FUNC,
                transInfo = Fixtures.transInfo("traceparent", Fixtures.TRACEPARENT),
            ),
            Fixtures.EMPTY,
            Fixtures.EMPTY,
            "127.0.0.1",
            8000,
            "127.0.0.1",
            40000,
        )

    fun run(): ByteArray = Fixtures.runSync { interceptor(call, handler) }
}

/**
 * What ClientRun does without the interceptor: the same coroutine start, request and invoke, no
 * tracing. Not tracing cost, but inside every "ours" interceptor figure (the official rows need no
 * coroutine), so the table shows it on its own.
 */
class BareClientRun {
    private val ok = CallResult(peerAddress = "127.0.0.1", peerPort = 8000)
    private val invoke: Invoke = { ok }

    fun run(): CallResult =
        Fixtures.runSync {
            invoke(ClientRequest(Fixtures.FUNC, Fixtures.EMPTY, "trpc.test.echo.Echo", "kt", LinkedHashMap(), 1000, "127.0.0.1", 8000))
        }
}

/** Tracing.clientInterceptor (CLIENT span + inject) around an invoke that answers at once. */
class ClientRun(otel: OpenTelemetrySdk, inject: Inject) {
    private val interceptor = Tracing.clientInterceptor(otel, inject)
    private val ok = CallResult(peerAddress = "127.0.0.1", peerPort = 8000)
    private val invoke: Invoke = { ok }

    fun run(): CallResult =
        Fixtures.runSync {
            interceptor(
                ClientRequest(Fixtures.FUNC, Fixtures.EMPTY, "trpc.test.echo.Echo", "kt", LinkedHashMap(), 1000, "127.0.0.1", 8000),
                invoke,
            )
        }
}
