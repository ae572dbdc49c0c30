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
import dev.tracewire.trpc.splitFunc
import io.opentelemetry.api.GlobalOpenTelemetry
import io.opentelemetry.api.OpenTelemetry
import io.opentelemetry.api.common.Attributes
import io.opentelemetry.api.common.AttributesBuilder
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

    private fun setOutcome(span: Span, ret: Int, funcRet: Int, message: String, more: AttributesBuilder = Attributes.builder()) {
        more.put("trpc.status_code", (if (ret != 0) ret else funcRet).toLong())
        more.put(
            "trpc.status_type",
            if (ret != 0) {
                1L
            } else if (funcRet != 0) {
                2L
            } else {
                0L
            },
        )
        if (message.isNotEmpty()) more.put("trpc.status_msg", message)
        span.setAllAttributes(more.build())
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
            val (service, method) = splitFunc(head.func)
            val builder =
                tracer
                    .spanBuilder(head.func)
                    .setParent(parent)
                    .setSpanKind(SpanKind.SERVER)
                    .setAttribute("rpc.system", "trpc")
                    .setAttribute("rpc.service", service)
                    .setAttribute("rpc.method", method)
                    .setAttribute("server.address", call.localAddress)
                    .setAttribute("server.port", call.localPort.toLong())
                    .setAttribute("network.peer.address", call.peerAddress)
                    .setAttribute("network.peer.port", call.peerPort.toLong())
                    .setAttribute("trpc.caller_service", head.caller)
                    .setAttribute("trpc.callee_service", head.callee)
                    .setAttribute("trpc.callee_method", method)
            if (head.callType == Frame.CALL_TYPE_ONEWAY) builder.setAttribute("trpc.oneway", true)
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
            val (service, method) = splitFunc(request.func)
            // The coroutine's OpenTelemetry context, else the thread's (blocking callers).
            val fromCoroutine = coroutineContext.getOpenTelemetryContext()
            val parent = if (fromCoroutine === Context.root()) Context.current() else fromCoroutine
            val builder =
                tracer
                    .spanBuilder(request.func)
                    .setParent(parent)
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute("rpc.system", "trpc")
                    .setAttribute("rpc.service", service)
                    .setAttribute("rpc.method", method)
                    .setAttribute("server.address", request.host)
                    .setAttribute("server.port", request.port.toLong())
                    .setAttribute("trpc.callee_service", request.callee.ifEmpty { service })
                    .setAttribute("trpc.callee_method", method)
            if (request.caller.isNotEmpty()) builder.setAttribute("trpc.caller_service", request.caller)
            if (request.oneway) builder.setAttribute("trpc.oneway", true)
            val span = builder.startSpan()
            try {
                val ctx = parent.with(span)
                for (key in TRACE_KEYS) request.transInfo.remove(key)
                propagator.inject(ctx, request.transInfo, TransInfoSetter)
                val result = withContext(ctx.asContextElement() + TraceMdc(ctx)) { invoke(request) }
                if (span.isRecording) {
                    val peer = Attributes.builder()
                    if (result.peerAddress.isNotEmpty()) {
                        peer.put("network.peer.address", result.peerAddress).put("network.peer.port", result.peerPort.toLong())
                    }
                    setOutcome(span, result.ret, result.funcRet, result.errorMsg, peer)
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
