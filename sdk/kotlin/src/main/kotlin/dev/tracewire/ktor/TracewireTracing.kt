package dev.tracewire.ktor

import dev.tracewire.telemetry.TraceMdc
import io.ktor.http.Headers
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.ApplicationCallPipeline
import io.ktor.server.application.call
import io.ktor.server.application.createApplicationPlugin
import io.ktor.server.application.hooks.CallFailed
import io.ktor.server.request.httpMethod
import io.ktor.server.request.path
import io.ktor.server.request.queryString
import io.ktor.server.request.userAgent
import io.ktor.server.routing.RoutingRoot
import io.ktor.util.AttributeKey
import io.opentelemetry.api.GlobalOpenTelemetry
import io.opentelemetry.api.OpenTelemetry
import io.opentelemetry.api.trace.Span
import io.opentelemetry.api.trace.SpanKind
import io.opentelemetry.api.trace.StatusCode
import io.opentelemetry.context.Context
import io.opentelemetry.context.propagation.TextMapGetter
import io.opentelemetry.context.propagation.TextMapPropagator
import io.opentelemetry.extension.kotlin.asContextElement
import kotlinx.coroutines.withContext

/** Settings of [TracewireTracing]. */
class TracewireTracingConfig {
    /** The SDK whose tracer makes the spans; null: GlobalOpenTelemetry. */
    var openTelemetry: OpenTelemetry? = null

    /** How the caller's context is read from the headers; null: the SDK's configured propagators (OTEL_PROPAGATORS). */
    var propagator: TextMapPropagator? = null

    /** Also put trace_id / span_id / trace_flags in the SLF4J MDC while the handler runs. */
    var mdc: Boolean = true
}

/** Ktor request headers as an OpenTelemetry carrier (names are case-insensitive). */
object HeadersGetter : TextMapGetter<Headers> {
    @Suppress("OVERRIDE_DEPRECATION")
    override fun keys(carrier: Headers): Iterable<String> = carrier.names()

    override fun get(carrier: Headers?, key: String): String? = carrier?.get(key)
}

/** The span of one request and how it failed, kept in the call's attributes. */
private class RequestSpan(val span: Span) {
    @Volatile var failure: Throwable? = null

    fun fail(cause: Throwable) {
        if (failure != null) return
        failure = cause
        span.recordException(cause)
    }

    fun end(call: ApplicationCall) {
        val failed = failure
        // No status yet with an unhandled exception: the engine answers 500 after us.
        val status = call.response.status()?.value ?: if (failed != null) 500 else 200
        span.setAttribute("http.response.status_code", status.toLong())
        if (status >= 500) {
            span.setAttribute("error.type", failed?.javaClass?.name ?: status.toString())
            span.setStatus(StatusCode.ERROR, failed?.let { "${it.javaClass.simpleName}: ${it.message}" } ?: "HTTP $status")
        }
        span.end()
    }
}

private val REQUEST_SPAN = AttributeKey<RequestSpan>("tracewire.request.span")

/** "/api/items/{id}/(method:GET)" -> "/api/items/{id}": the route's path without its selectors. */
internal fun routeTemplate(route: String): String =
    route
        .split('/')
        .filter { it.isNotEmpty() && !(it.startsWith("(") && it.endsWith(")")) }
        .joinToString("/", prefix = "/")

/**
 * A Ktor server plugin that gives every incoming HTTP request a SERVER span: it continues the
 * caller's trace when the headers carry one (through the configured propagators: W3C
 * traceparent, B3, ... as OTEL_PROPAGATORS says), else starts a trace. The span is named
 * "METHOD /route" once routing has matched (else "METHOD") and carries the HTTP semantic
 * conventions: http.request.method, url.path, url.scheme, url.query, http.route,
 * http.response.status_code, user_agent.original, client.address (first X-Forwarded-For hop,
 * else the peer), network.peer.address/port, server.address/port, network.protocol.version.
 * A 5xx answer ends it with status ERROR; an exception is recorded as an `exception` event (and
 * is an ERROR when it leaves the handler unanswered, which Ktor turns into a 500).
 *
 * The span's context is the handler's OpenTelemetry context as a coroutine context element, so
 * `Span.current()` holds across suspensions and dispatchers and a tRPC `Client.call` with
 * `Tracing.clientInterceptor()` makes a CLIENT child; TraceMdc puts the ids in the SLF4J MDC.
 * Install it after StatusPages so that exceptions StatusPages answers are still recorded.
 */
val TracewireTracing =
    createApplicationPlugin("TracewireTracing", ::TracewireTracingConfig) {
        val otel = pluginConfig.openTelemetry ?: GlobalOpenTelemetry.get()
        val tracer = otel.getTracer("tracewire.ktor")
        val propagator = pluginConfig.propagator ?: otel.propagators.textMapPropagator
        val mdc = pluginConfig.mdc

        application.intercept(ApplicationCallPipeline.Setup) {
            val request = call.request
            val parent = propagator.extract(Context.root(), request.headers, HeadersGetter)
            val method = request.httpMethod.value
            val local = request.local
            val forwarded =
                request.headers["X-Forwarded-For"]
                    ?.substringBefore(',')
                    ?.trim()
                    ?.takeIf { it.isNotEmpty() }
            val builder =
                tracer
                    .spanBuilder(method)
                    .setParent(parent)
                    .setSpanKind(SpanKind.SERVER)
                    .setAttribute("http.request.method", method)
                    .setAttribute("url.path", request.path())
                    .setAttribute("url.scheme", local.scheme)
                    .setAttribute("server.address", local.serverHost)
                    .setAttribute("server.port", local.serverPort.toLong())
                    .setAttribute("network.peer.address", local.remoteAddress)
                    .setAttribute("network.peer.port", local.remotePort.toLong())
                    .setAttribute("client.address", forwarded ?: local.remoteAddress)
                    .setAttribute("network.protocol.version", local.version.removePrefix("HTTP/"))
            request.queryString().takeIf { it.isNotEmpty() }?.let { builder.setAttribute("url.query", it) }
            request.userAgent()?.let { builder.setAttribute("user_agent.original", it) }
            val state = RequestSpan(builder.startSpan())
            call.attributes.put(REQUEST_SPAN, state)
            val ctx = parent.with(state.span)
            val element = if (mdc) ctx.asContextElement() + TraceMdc(ctx) else ctx.asContextElement()
            try {
                withContext(element) { proceed() }
            } catch (e: Throwable) {
                state.fail(e)
                throw e
            } finally {
                state.end(call)
            }
        }

        // Exceptions that a plugin like StatusPages answers never reach the interceptor above.
        on(CallFailed) { call, cause -> call.attributes.getOrNull(REQUEST_SPAN)?.fail(cause) }

        application.monitor.subscribe(RoutingRoot.RoutingCallStarted) { call ->
            val state = call.attributes.getOrNull(REQUEST_SPAN) ?: return@subscribe
            val route = routeTemplate(call.route.toString())
            state.span.setAttribute("http.route", route)
            state.span.updateName("${call.request.httpMethod.value} $route")
        }
    }
