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

        private fun isTraceIdHex(s: String) = (s.length == 16 || s.length == 32) && isLowerHex(s, 0, s.length)

        private fun isSpanIdHex(s: String) = s.length == 16 && isLowerHex(s, 0, 16)

        private fun ids(traceHex: String?, spanHex: String?, sampled: Boolean): Found? {
            if (traceHex == null || !isTraceIdHex(traceHex)) return null
            if (spanHex == null || !isSpanIdHex(spanHex)) return null
            if (isZeroHex(traceHex) || isZeroHex(spanHex)) return null
            return Found(traceHex.padStart(32, '0'), spanHex, sampled)
        }

        /**
         * A b3 header with ids, else null (sampling-only too). The grammar, checked by hand (a
         * regex Matcher per extract was ~4x the SDK's): `<hex>-<16 hex>[-<1|0|d>[-<16 hex>]]`,
         * lower-case hex, then the trace id must be 16 or 32 digits.
         */
        fun parseSingle(value: String): Found? {
            val dash = value.indexOf('-')
            if (dash <= 0 || !isLowerHex(value, 0, dash)) return null
            val spanEnd = dash + 17
            if (value.length < spanEnd || !isLowerHex(value, dash + 1, spanEnd)) return null
            var sampled = false
            if (value.length > spanEnd) {
                // "-" and one sampling character, then the end or "-" and a 16-digit parent id.
                if (value.length < spanEnd + 2 || value[spanEnd] != '-') return null
                val flag = value[spanEnd + 1]
                if (flag != '0' && flag != '1' && flag != 'd') return null
                sampled = flag != '0'
                val rest = spanEnd + 2
                if (value.length != rest) {
                    if (value.length != rest + 17 || value[rest] != '-' || !isLowerHex(value, rest + 1, rest + 17)) return null
                }
            }
            return ids(value.substring(0, dash), value.substring(dash + 1, spanEnd), sampled)
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
            if (parentHex != null && !isSpanIdHex(parentHex)) return null
            return ids(traceHex, spanHex, isSampled)
        }
    }
}
