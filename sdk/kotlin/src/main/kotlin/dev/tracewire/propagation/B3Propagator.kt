package dev.tracewire.propagation

import io.opentelemetry.context.Context
import io.opentelemetry.context.propagation.TextMapGetter
import io.opentelemetry.context.propagation.TextMapPropagator
import io.opentelemetry.context.propagation.TextMapSetter

/**
 * B3 single (`b3`) and multi (`X-B3-*`) headers, for the Envoy/Zipkin world. Extract: the single
 * header wins; an invalid or sampling-only single header falls back to multi; a sampling-only
 * header yields no context; 64-bit trace ids fill the low 8 bytes; debug implies sampled.
 * Inject writes the 128-bit id and 1/0 (the single header, or multi when [multi]), never the
 * parent id or debug.
 */
class B3Propagator(private val multi: Boolean = false) : TextMapPropagator {
    override fun fields(): Collection<String> = if (multi) listOf(TRACE_ID, SPAN_ID, SAMPLED) else listOf(B3)

    override fun <C> inject(context: Context, carrier: C?, setter: TextMapSetter<C>) {
        val sc = validSpanContext(context) ?: return
        val bit = if (sc.isSampled) "1" else "0"
        if (!multi) {
            setter.set(carrier, B3, "${sc.traceId}-${sc.spanId}-$bit")
            return
        }
        setter.set(carrier, TRACE_ID, sc.traceId)
        setter.set(carrier, SPAN_ID, sc.spanId)
        setter.set(carrier, SAMPLED, bit)
    }

    override fun <C> extract(context: Context, carrier: C?, getter: TextMapGetter<C>): Context {
        val found =
            getter.get(carrier, B3)?.let { parseSingle(it) }
                ?: parseMulti(
                    getter.get(carrier, TRACE_ID),
                    getter.get(carrier, SPAN_ID),
                    getter.get(carrier, PARENT_SPAN_ID),
                    getter.get(carrier, SAMPLED),
                    getter.get(carrier, FLAGS),
                )
                ?: return context
        return withRemoteSpan(context, found.traceId, found.spanId, if (found.sampled) 1 else 0)
    }

    /** Extracted ids as 32/16 lower hex. */
    data class Found(val traceId: String, val spanId: String, val sampled: Boolean)

    companion object {
        const val B3 = "b3"
        const val TRACE_ID = "x-b3-traceid"
        const val SPAN_ID = "x-b3-spanid"
        const val PARENT_SPAN_ID = "x-b3-parentspanid"
        const val SAMPLED = "x-b3-sampled"
        const val FLAGS = "x-b3-flags"

        private val HEX16 = Regex("[0-9a-f]{16}")
        private val TRACE_ID_RE = Regex("[0-9a-f]{16}|[0-9a-f]{32}")
        private val SINGLE = Regex("([0-9a-f]+)-([0-9a-f]{16})(?:-([01d])(?:-([0-9a-f]{16}))?)?")

        private fun ids(traceHex: String?, spanHex: String?, sampled: Boolean): Found? {
            if (traceHex == null || !TRACE_ID_RE.matches(traceHex)) return null
            if (spanHex == null || !HEX16.matches(spanHex)) return null
            if (isZeroHex(traceHex) || isZeroHex(spanHex)) return null
            return Found(traceHex.padStart(32, '0'), spanHex, sampled)
        }

        /** A b3 header with ids, else null (sampling-only too). */
        fun parseSingle(value: String): Found? {
            val m = SINGLE.matchEntire(value) ?: return null
            return ids(m.groupValues[1], m.groupValues[2], m.groupValues[3] == "1" || m.groupValues[3] == "d")
        }

        /** The X-B3-* headers' context, or null when they hold no valid one. */
        fun parseMulti(traceHex: String?, spanHex: String?, parentHex: String?, sampled: String?, flags: String?): Found? {
            val isSampled =
                when {
                    flags != null && flags != "0" -> {
                        if (flags == "1") true else return null
                    }

                    sampled != null -> {
                        when (sampled) {
                            "1", "true" -> true
                            "0", "false" -> false
                            else -> return null
                        }
                    }

                    else -> {
                        false
                    }
                }
            if (parentHex != null && !HEX16.matches(parentHex)) return null
            return ids(traceHex, spanHex, isSampled)
        }
    }
}
