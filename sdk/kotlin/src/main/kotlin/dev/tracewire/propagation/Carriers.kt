package dev.tracewire.propagation

import io.opentelemetry.api.trace.Span
import io.opentelemetry.api.trace.SpanContext
import io.opentelemetry.api.trace.TraceFlags
import io.opentelemetry.api.trace.TraceState
import io.opentelemetry.context.Context
import io.opentelemetry.context.propagation.TextMapGetter
import io.opentelemetry.context.propagation.TextMapSetter

/*
 * Getters and setters for the OpenTelemetry TextMap API over trans_info (String keys, byte
 * values). The TextMap API speaks String, so values cross it as ISO-8859-1: every byte is one
 * char, which keeps binary values (grpc-trace-bin's raw 29 bytes) exact and leaves the ASCII
 * text formats unchanged.
 */

typealias TransInfo = MutableMap<String, ByteArray>

/** Reads trans_info with exact (case-sensitive) keys, as trpc-go does. */
object TransInfoGetter : TextMapGetter<TransInfo> {
    @Suppress("OVERRIDE_DEPRECATION")
    override fun keys(carrier: TransInfo): Iterable<String> = carrier.keys

    override fun get(carrier: TransInfo?, key: String): String? = carrier?.get(key)?.toString(Charsets.ISO_8859_1)
}

/** Writes trans_info; a value written replaces the old one. */
object TransInfoSetter : TextMapSetter<TransInfo> {
    override fun set(carrier: TransInfo?, key: String, value: String) {
        carrier?.put(key, value.toByteArray(Charsets.ISO_8859_1))
    }
}

/** Without leading and trailing spaces and tabs. */
internal fun trimOws(s: String): String = s.trim(' ', '\t')

internal fun isZeroHex(s: String) = s.all { it == '0' }

/** Whether [s] holds only 0-9 and a-f from [from] (inclusive) to [to] (exclusive). */
internal fun isLowerHex(s: String, from: Int, to: Int): Boolean {
    for (i in from until to) {
        val c = s[i]
        if (c !in '0'..'9' && c !in 'a'..'f') return false
    }
    return true
}

/** [context] with an extracted remote span context (ids as lower hex) made current. */
internal fun withRemoteSpan(
    context: Context,
    traceIdHex: String,
    spanIdHex: String,
    flags: Int,
    traceState: TraceState = TraceState.getDefault(),
): Context {
    val sc = SpanContext.createFromRemoteParent(traceIdHex, spanIdHex, TraceFlags.fromByte(flags.toByte()), traceState)
    return context.with(Span.wrap(sc))
}

/** The span context to inject from [context], if valid. */
internal fun validSpanContext(context: Context): SpanContext? = Span.fromContext(context).spanContext.takeIf { it.isValid }
