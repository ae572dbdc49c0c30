package dev.tracewire.propagation

import io.opentelemetry.api.trace.TraceState
import io.opentelemetry.context.Context
import io.opentelemetry.context.propagation.TextMapGetter
import io.opentelemetry.context.propagation.TextMapPropagator
import io.opentelemetry.context.propagation.TextMapSetter

/**
 * W3C Trace Context level 1 (traceparent, tracestate) to the letter. Unlike the OpenTelemetry
 * SDK's W3CTraceContextPropagator (each required by testdata/propagation/tracecontext.json):
 * higher versions are parsed by their 00 prefix (flags followed by the end or '-'); a tracestate
 * breaking the grammar, with duplicate keys or over 32 members is discarded whole; on inject over
 * 512 bytes, members over 128 bytes are dropped first (from the end), then any from the end.
 * Extract leaves the context as it is when traceparent is invalid.
 */
class W3CTraceContextPropagator : TextMapPropagator {
    override fun fields(): Collection<String> = FIELDS

    override fun <C> inject(context: Context, carrier: C?, setter: TextMapSetter<C>) {
        val sc = validSpanContext(context) ?: return
        setter.set(carrier, TRACEPARENT, formatTraceparent(sc.traceId, sc.spanId, sc.isSampled))
        if (!sc.traceState.isEmpty) {
            val members = ArrayList<Pair<String, String>>()
            sc.traceState.forEach { k, v -> members += k to v }
            val header = formatTracestate(members)
            if (header.isNotEmpty()) setter.set(carrier, TRACESTATE, header)
        }
    }

    override fun <C> extract(context: Context, carrier: C?, getter: TextMapGetter<C>): Context {
        val value = getter.get(carrier, TRACEPARENT) ?: return context
        val parsed = parseTraceparent(value) ?: return context
        val members = getter.get(carrier, TRACESTATE)?.let { parseTracestate(it) }
        if (members.isNullOrEmpty()) return withRemoteSpan(context, parsed.traceId, parsed.spanId, parsed.flags)
        val builder = TraceState.builder()
        // The SDK's builder puts each new member in front: add them last to first.
        for ((k, v) in members.asReversed()) builder.put(k, v)
        return withRemoteSpan(context, parsed.traceId, parsed.spanId, parsed.flags, builder.build())
    }

    /** A valid traceparent's ids (lower hex) and flags byte. */
    data class Traceparent(val traceId: String, val spanId: String, val flags: Int)

    companion object {
        const val TRACEPARENT = "traceparent"
        const val TRACESTATE = "tracestate"
        const val TRACEPARENT_SIZE = 55
        const val MAX_MEMBERS = 32
        const val MAX_HEADER_SIZE = 512 // bytes, on inject
        const val LONG_MEMBER_SIZE = 128 // bytes
        private val FIELDS = listOf(TRACEPARENT, TRACESTATE)

        private const val KEY_CHARS = "[a-z0-9_\\-*/]"
        private val SIMPLE_KEY = Regex("[a-z]$KEY_CHARS{0,255}")
        private val TENANT_KEY = Regex("[a-z0-9]$KEY_CHARS{0,240}@[a-z]$KEY_CHARS{0,13}")
        private val VALUE = Regex("[\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]{0,255}[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e]")

        /**
         * The fields at fixed offsets, checked by hand (a regex Matcher per call cost ~15x the
         * SDK's parse): "vv-<32 hex>-<16 hex>-ff", lower-case hex, then the version rules.
         */
        fun parseTraceparent(value: String): Traceparent? {
            if (value.length < TRACEPARENT_SIZE) return null
            if (!isLowerHex(value, 0, 2) || value[2] != '-' || !isLowerHex(value, 3, 35) || value[35] != '-') return null
            if (!isLowerHex(value, 36, 52) || value[52] != '-' || !isLowerHex(value, 53, 55)) return null
            val v0 = value[0]
            val v1 = value[1]
            if ((v0 == 'f' && v1 == 'f') || (v0 == '0' && v1 == '0' && value.length != TRACEPARENT_SIZE)) return null
            if (value.length > TRACEPARENT_SIZE && value[TRACEPARENT_SIZE] != '-') return null
            val traceId = value.substring(3, 35)
            val spanId = value.substring(36, 52)
            if (isZeroHex(traceId) || isZeroHex(spanId)) return null
            return Traceparent(traceId, spanId, Character.digit(value[53], 16) * 16 + Character.digit(value[54], 16))
        }

        /** Version 00; of the flags only the sampled bit (the others MUST be zero at 00). */
        fun formatTraceparent(traceId: String, spanId: String, sampled: Boolean) = "00-$traceId-$spanId-${if (sampled) "01" else "00"}"

        fun isValidKey(key: String) = (if ('@' in key) TENANT_KEY else SIMPLE_KEY).matches(key)

        /** The members of a tracestate header, or null when it is invalid as a whole. */
        fun parseTracestate(header: String): List<Pair<String, String>>? {
            val members = ArrayList<Pair<String, String>>()
            val seen = HashSet<String>()
            for (raw in header.split(',')) {
                val member = trimOws(raw)
                if (member.isEmpty()) continue
                val eq = member.indexOf('=')
                if (eq < 0) return null
                val key = member.substring(0, eq)
                val value = member.substring(eq + 1)
                if (!isValidKey(key) || !VALUE.matches(value)) return null
                if (members.size == MAX_MEMBERS || !seen.add(key)) return null
                members += key to value
            }
            return members
        }

        /** The header for [members], truncated to 512 bytes by whole members (§3.3.1.5). */
        fun formatTracestate(members: List<Pair<String, String>>): String {
            val sizes = members.map { it.first.length + 1 + it.second.length }
            val keep = BooleanArray(members.size) { true }
            var total = sizes.sum() + members.size - 1
            for (onlyLong in listOf(true, false)) {
                for (i in members.indices.reversed()) {
                    if (total <= MAX_HEADER_SIZE) break
                    if (!keep[i] || (onlyLong && sizes[i] <= LONG_MEMBER_SIZE)) continue
                    keep[i] = false
                    total -= sizes[i] + 1
                }
            }
            return members.filterIndexed { i, _ -> keep[i] }.joinToString(",") { "${it.first}=${it.second}" }
        }
    }
}
