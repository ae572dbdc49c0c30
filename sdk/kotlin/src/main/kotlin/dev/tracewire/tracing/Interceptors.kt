package dev.tracewire.tracing

import dev.tracewire.propagation.B3Propagator
import dev.tracewire.propagation.FirstWinsCompositePropagator
import dev.tracewire.propagation.GrpcTraceBinPropagator
import dev.tracewire.propagation.TransInfoGetter
import dev.tracewire.propagation.TransInfoSetter
import dev.tracewire.propagation.W3CBaggagePropagator
import dev.tracewire.propagation.W3CTraceContextPropagator
import dev.tracewire.telemetry.TraceMdc
import dev.tracewire.trpc.ClientInterceptor
import dev.tracewire.trpc.Frame
import dev.tracewire.trpc.ServerInterceptor
import dev.tracewire.trpc.TrpcError
import dev.tracewire.trpc.outcomeOf
import dev.tracewire.trpc.splitFuncRemembered
import io.opentelemetry.api.GlobalOpenTelemetry
import io.opentelemetry.api.OpenTelemetry
import io.opentelemetry.api.common.AttributeKey
import io.opentelemetry.api.trace.Span
import io.opentelemetry.api.trace.SpanKind
import io.opentelemetry.api.trace.StatusCode
import io.opentelemetry.context.Context
import io.opentelemetry.extension.kotlin.asContextElement
import io.opentelemetry.extension.kotlin.getOpenTelemetryContext
import kotlinx.coroutines.withContext
import kotlin.coroutines.coroutineContext

/** How a client call carries its context in trans_info. */
enum class Inject { TEXT, BINARY, BOTH }

/*
 * Server and client interceptors tracing tRPC calls with the OpenTelemetry Java API, carrying the
 * context in trans_info as src/trpc/tracing does (and trpc-go's OpenTelemetry plugin reads it).
 *
 * Server: extracts the caller's context — W3C traceparent/tracestate first, then grpc-trace-bin
 * (raw or base64), then B3; baggage merged — and runs the handler under a SERVER span made
 * current as a coroutine context element (asContextElement), so it stays current across
 * suspension and dispatcher switches, in every coroutine the handler starts, and for its
 * downstream calls. Client: starts a CLIENT span under the current context, removes every trace
 * key the request inherited (a stale traceparent must not reach the next hop), injects the new
 * context as text (traceparent, tracestate, baggage), binary (grpc-trace-bin raw, plus baggage)
 * or both. Spans are named after the func and carry rpc.system "trpc", rpc.service, rpc.method,
 * server.address/port, network.peer.address/port and trpc-go's trpc.caller_service,
 * trpc.callee_service, trpc.callee_method, trpc.status_code, trpc.status_msg, trpc.status_type.
 * A non-zero ret or func_ret ends the span with status ERROR; a handler's exception is recorded
 * as an exception event (with its stack trace).
 */
object Tracing {
    const val SCOPE = "tracewire.trpc"

    /** Every trans_info key a propagator here writes: what a client call must not forward. */
    val TRACE_KEYS =
        listOf(
            "traceparent",
            "tracestate",
            "baggage",
            "grpc-trace-bin",
            "b3",
            "x-b3-traceid",
            "x-b3-spanid",
            "x-b3-parentspanid",
            "x-b3-sampled",
            "x-b3-flags",
        )

    /** W3C, then grpc-trace-bin, then B3; baggage merged. */
    fun extractPropagator() =
        FirstWinsCompositePropagator(
            listOf(W3CTraceContextPropagator(), GrpcTraceBinPropagator(), B3Propagator(), W3CBaggagePropagator()),
        )

    fun injectPropagator(inject: Inject): FirstWinsCompositePropagator {
        val members = ArrayList<io.opentelemetry.context.propagation.TextMapPropagator>()
        if (inject != Inject.BINARY) members += W3CTraceContextPropagator()
        if (inject != Inject.TEXT) members += GrpcTraceBinPropagator()
        members += W3CBaggagePropagator()
        return FirstWinsCompositePropagator(members)
    }

    // Keys made once: AttributeKey.stringKey per call would allocate and look the key up each time.
    private val RPC_SYSTEM = AttributeKey.stringKey("rpc.system")
    private val RPC_SERVICE = AttributeKey.stringKey("rpc.service")
    private val RPC_METHOD = AttributeKey.stringKey("rpc.method")
    private val SERVER_ADDRESS = AttributeKey.stringKey("server.address")
    private val SERVER_PORT = AttributeKey.longKey("server.port")
    private val PEER_ADDRESS = AttributeKey.stringKey("network.peer.address")
    private val PEER_PORT = AttributeKey.longKey("network.peer.port")
    private val CALLER_SERVICE = AttributeKey.stringKey("trpc.caller_service")
    private val CALLEE_SERVICE = AttributeKey.stringKey("trpc.callee_service")
    private val CALLEE_METHOD = AttributeKey.stringKey("trpc.callee_method")
    private val ONEWAY = AttributeKey.booleanKey("trpc.oneway")
    private val STATUS_CODE = AttributeKey.longKey("trpc.status_code")
    private val STATUS_TYPE = AttributeKey.longKey("trpc.status_type")
    private val STATUS_MSG = AttributeKey.stringKey("trpc.status_msg")

    /** The trpc.status_* attributes, and ERROR for a non-zero code (set one by one: no Attributes to build and sort). */
    private fun setOutcome(span: Span, ret: Int, funcRet: Int, message: String) {
        span.setAttribute(STATUS_CODE, (if (ret != 0) ret else funcRet).toLong())
        span.setAttribute(
            STATUS_TYPE,
            if (ret != 0) {
                1L
            } else if (funcRet != 0) {
                2L
            } else {
                0L
            },
        )
        if (message.isNotEmpty()) span.setAttribute(STATUS_MSG, message)
        if (ret != 0 || funcRet != 0) span.setStatus(StatusCode.ERROR, message)
    }

    /** The SERVER span interceptor (the global OpenTelemetry unless one is given). */
    fun serverInterceptor(openTelemetry: OpenTelemetry = GlobalOpenTelemetry.get()): ServerInterceptor {
        val tracer = openTelemetry.getTracer(SCOPE)
        val propagator = extractPropagator()
        return { call, next ->
            val head = call.head
            val parent =
                if (head.transInfo.isEmpty()) {
                    Context.root()
                } else {
                    propagator.extract(
                        Context.root(),
                        head.transInfo,
                        TransInfoGetter,
                    )
                }
            val (service, method) = splitFuncRemembered(head.func)
            val builder =
                tracer
                    .spanBuilder(head.func)
                    .setParent(parent)
                    .setSpanKind(SpanKind.SERVER)
                    .setAttribute(RPC_SYSTEM, "trpc")
                    .setAttribute(RPC_SERVICE, service)
                    .setAttribute(RPC_METHOD, method)
                    .setAttribute(SERVER_ADDRESS, call.localAddress)
                    .setAttribute(SERVER_PORT, call.localPort.toLong())
                    .setAttribute(PEER_ADDRESS, call.peerAddress)
                    .setAttribute(PEER_PORT, call.peerPort.toLong())
                    .setAttribute(CALLER_SERVICE, head.caller)
                    .setAttribute(CALLEE_SERVICE, head.callee)
                    .setAttribute(CALLEE_METHOD, method)
            if (head.callType == Frame.CALL_TYPE_ONEWAY) builder.setAttribute(ONEWAY, true)
            val span = builder.startSpan()
            try {
                // The caller's context (its baggage too) with the SERVER span.
                val ctx = parent.with(span)
                val body = withContext(ctx.asContextElement() + TraceMdc(ctx)) { next(call) }
                if (span.isRecording) setOutcome(span, 0, 0, "")
                body
            } catch (e: Throwable) {
                if (span.isRecording) {
                    val (ret, funcRet, message) = outcomeOf(e)
                    if (e !is TrpcError) span.recordException(e)
                    setOutcome(span, ret, funcRet, message)
                }
                throw e
            } finally {
                span.end()
            }
        }
    }

    /** The CLIENT span interceptor; [inject] picks the context's form in trans_info. */
    fun clientInterceptor(openTelemetry: OpenTelemetry = GlobalOpenTelemetry.get(), inject: Inject = Inject.TEXT): ClientInterceptor {
        val tracer = openTelemetry.getTracer(SCOPE)
        val propagator = injectPropagator(inject)
        return { request, invoke ->
            val (service, method) = splitFuncRemembered(request.func)
            // The coroutine's OpenTelemetry context, else the thread's (blocking callers).
            val fromCoroutine = coroutineContext.getOpenTelemetryContext()
            val parent = if (fromCoroutine === Context.root()) Context.current() else fromCoroutine
            val builder =
                tracer
                    .spanBuilder(request.func)
                    .setParent(parent)
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute(RPC_SYSTEM, "trpc")
                    .setAttribute(RPC_SERVICE, service)
                    .setAttribute(RPC_METHOD, method)
                    .setAttribute(SERVER_ADDRESS, request.host)
                    .setAttribute(SERVER_PORT, request.port.toLong())
                    .setAttribute(CALLEE_SERVICE, request.callee.ifEmpty { service })
                    .setAttribute(CALLEE_METHOD, method)
            if (request.caller.isNotEmpty()) builder.setAttribute(CALLER_SERVICE, request.caller)
            if (request.oneway) builder.setAttribute(ONEWAY, true)
            val span = builder.startSpan()
            try {
                val ctx = parent.with(span)
                if (request.transInfo.isNotEmpty()) for (key in TRACE_KEYS) request.transInfo.remove(key)
                propagator.inject(ctx, request.transInfo, TransInfoSetter)
                val result = withContext(ctx.asContextElement() + TraceMdc(ctx)) { invoke(request) }
                if (span.isRecording) {
                    if (result.peerAddress.isNotEmpty()) {
                        span.setAttribute(PEER_ADDRESS, result.peerAddress)
                        span.setAttribute(PEER_PORT, result.peerPort.toLong())
                    }
                    setOutcome(span, result.ret, result.funcRet, result.errorMsg)
                }
                result
            } catch (e: Throwable) {
                span.recordException(e)
                span.setStatus(StatusCode.ERROR, e.toString())
                throw e
            } finally {
                span.end()
            }
        }
    }
}
