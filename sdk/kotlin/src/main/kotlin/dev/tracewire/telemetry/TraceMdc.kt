package dev.tracewire.telemetry

import io.opentelemetry.api.trace.Span
import io.opentelemetry.context.Context
import kotlinx.coroutines.ThreadContextElement
import org.slf4j.MDC
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext

/**
 * SLF4J MDC log correlation for coroutines: while a coroutine carrying this element runs on a
 * thread, the MDC holds `trace_id`, `span_id` and `trace_flags` of [context]'s span (lower hex),
 * so a log pattern like `%X{trace_id}` (or a JSON encoder) stamps every line; on suspension the
 * thread's previous MDC comes back. The tracing interceptors add it next to the OpenTelemetry
 * context element; add `TraceMdc(ctx)` yourself where you make another context current.
 */
class TraceMdc(private val context: Context) :
    AbstractCoroutineContextElement(Key),
    ThreadContextElement<Map<String, String>?> {
    companion object Key : CoroutineContext.Key<TraceMdc> {
        const val TRACE_ID = "trace_id"
        const val SPAN_ID = "span_id"
        const val TRACE_FLAGS = "trace_flags"
    }

    override fun updateThreadContext(context: CoroutineContext): Map<String, String>? {
        val old = MDC.getCopyOfContextMap()
        val sc = Span.fromContext(this.context).spanContext
        if (sc.isValid) {
            MDC.put(TRACE_ID, sc.traceId)
            MDC.put(SPAN_ID, sc.spanId)
            MDC.put(TRACE_FLAGS, sc.traceFlags.asHex())
        } else {
            MDC.remove(TRACE_ID)
            MDC.remove(SPAN_ID)
            MDC.remove(TRACE_FLAGS)
        }
        return old
    }

    override fun restoreThreadContext(context: CoroutineContext, oldState: Map<String, String>?) {
        if (oldState == null) MDC.clear() else MDC.setContextMap(oldState)
    }
}
