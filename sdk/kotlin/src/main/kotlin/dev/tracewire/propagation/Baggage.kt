package dev.tracewire.propagation

import io.opentelemetry.api.baggage.Baggage
import io.opentelemetry.api.baggage.BaggageEntryMetadata
import io.opentelemetry.context.Context
import io.opentelemetry.context.ContextKey
import io.opentelemetry.context.propagation.TextMapGetter
import io.opentelemetry.context.propagation.TextMapPropagator
import io.opentelemetry.context.propagation.TextMapSetter
import java.io.ByteArrayOutputStream

/** One baggage entry: [value] decoded, [metadata] its W3C properties ("p1;p2=v", "" for none). */
data class BaggageEntry(val key: String, val value: String, val metadata: String = "")

/**
 * W3C Baggage to the letter. Entries land in the OpenTelemetry [Baggage] of the context (the
 * API works on them) and, because that Baggage keeps its keys sorted, also in an ordered list
 * beside it ([BaggageOrder]), so inject writes them in the order they came. Rules
 * (testdata/propagation/baggage.json): invalid members are dropped one by one; a duplicate key
 * replaces the earlier value in its position; extract keeps the first 64 entries; inject skips
 * whole entries that would pass 8192 bytes; values are percent-encoded with upper-case %XX for
 * every byte outside baggage-octet and for '%'; properties are normalized to "k;k2=v" without OWS.
 * Extract merges into the context's baggage (the carrier's entries win).
 */
class W3CBaggagePropagator : TextMapPropagator {
    override fun fields(): Collection<String> = FIELDS

    override fun <C> inject(context: Context, carrier: C?, setter: TextMapSetter<C>) {
        val baggage = Baggage.fromContext(context)
        if (baggage.isEmpty) return
        val header =
            if (BaggageOrder.isRecorded(context)) {
                formatBaggage(BaggageOrder.entries(context))
            } else {
                // No recorded order: the API's own, straight from its entries (no list to build).
                HeaderBuilder().also { h -> baggage.forEach { k, v -> h.add(k, v.value, v.metadata.value) } }.toString()
            }
        if (header.isNotEmpty()) setter.set(carrier, BAGGAGE, header)
    }

    /**
     * A header built member by member under the limits: at most [MAX_ENTRIES] members, and a
     * member that would take it past [MAX_HEADER_SIZE] is taken back out and skipped. Every char
     * written is ASCII, so the length counts bytes.
     */
    private class HeaderBuilder {
        private val out = StringBuilder()
        private var count = 0

        /** Adds a member unless its key is invalid or it does not fit; false once the header is full. */
        fun add(key: String, value: String, metadata: String): Boolean {
            if (count == MAX_ENTRIES) return false
            if (!isValidKey(key)) return true
            val start = out.length
            if (count > 0) out.append(',')
            out.append(key).append('=')
            appendPercentEncoded(out, value)
            if (metadata.isNotEmpty()) normalizeProperties(metadata)?.takeIf { it.isNotEmpty() }?.let { out.append(';').append(it) }
            if (out.length > MAX_HEADER_SIZE) out.setLength(start) else count++
            return true
        }

        override fun toString() = out.toString()
    }

    override fun <C> extract(context: Context, carrier: C?, getter: TextMapGetter<C>): Context {
        val header = getter.get(carrier, BAGGAGE) ?: return context
        val parsed = parseBaggage(header)
        if (parsed.isEmpty()) return context
        val merged = LinkedHashMap<String, BaggageEntry>()
        for (e in BaggageOrder.entries(context)) merged[e.key] = e
        for (e in parsed) merged[e.key] = e
        return BaggageOrder.store(context, merged.values.toList())
    }

    companion object {
        const val BAGGAGE = "baggage"
        const val MAX_ENTRIES = 64
        const val MAX_HEADER_SIZE = 8192 // bytes
        private val FIELDS = listOf(BAGGAGE)

        // Character classes as ASCII tables (a Regex.matches per key and value, a new Matcher each
        // time, made inject ~7x the SDK's). TOKEN: RFC 7230 tchar; OCTET: W3C baggage-octet.
        private val TOKEN = asciiTable { c -> c in '0'..'9' || c in 'A'..'Z' || c in 'a'..'z' || c in "!#$%&'*+-.^_`|~" }
        private val OCTET = asciiTable { c -> c.code in 0x21..0x7E && c !in "\",;\\" }

        private fun asciiTable(member: (Char) -> Boolean) = BooleanArray(128) { member(it.toChar()) }

        private fun allIn(table: BooleanArray, s: String): Boolean {
            for (c in s) if (c.code >= 128 || !table[c.code]) return false
            return true
        }

        fun isValidKey(key: String) = key.isNotEmpty() && allIn(TOKEN, key)

        private fun isOctets(value: String) = allIn(OCTET, value)

        private fun hexDigit(c: Char) = Character.digit(c, 16)

        /** %XX escapes decoded (a '%' without two hex digits stays); invalid UTF-8 -> U+FFFD. */
        fun percentDecode(encoded: String): String {
            if ('%' !in encoded) return encoded
            val out = ByteArrayOutputStream(encoded.length)
            var i = 0
            while (i < encoded.length) {
                val c = encoded[i]
                if (c == '%' && i + 2 < encoded.length && hexDigit(encoded[i + 1]) >= 0 && hexDigit(encoded[i + 2]) >= 0) {
                    out.write(hexDigit(encoded[i + 1]) * 16 + hexDigit(encoded[i + 2]))
                    i += 3
                } else {
                    out.write(c.code and 0xFF)
                    i++
                }
            }
            return out.toByteArray().toString(Charsets.UTF_8)
        }

        /** UTF-8 bytes outside baggage-octet, and '%', as upper-case %XX. */
        fun percentEncode(value: String): String = StringBuilder(value.length).also { appendPercentEncoded(it, value) }.toString()

        private val UPPER_HEX = "0123456789ABCDEF".toCharArray()

        /** [percentEncode] into [out]; a value that needs no escape is appended as it is (no UTF-8 bytes made). */
        private fun appendPercentEncoded(out: StringBuilder, value: String) {
            if (isOctets(value) && '%' !in value) {
                out.append(value)
                return
            }
            for (b in value.toByteArray(Charsets.UTF_8)) {
                val c = b.toInt() and 0xFF
                if (c < 128 && OCTET[c] && c != '%'.code) {
                    out.append(c.toChar())
                } else {
                    out.append('%').append(UPPER_HEX[c ushr 4]).append(UPPER_HEX[c and 0xF])
                }
            }
        }

        /** `;`-separated properties as "k1;k2=v2", or null when one breaks the grammar. */
        fun normalizeProperties(props: String): String? {
            val out = ArrayList<String>()
            for (raw in props.split(';')) {
                val prop = trimOws(raw)
                val eq = prop.indexOf('=')
                val key = trimOws(if (eq < 0) prop else prop.substring(0, eq))
                if (!isValidKey(key)) return null
                if (eq >= 0) {
                    val value = trimOws(prop.substring(eq + 1))
                    if (!isOctets(value)) return null
                    out += "$key=$value"
                } else {
                    out += key
                }
            }
            return out.joinToString(";")
        }

        private fun parseMember(member: String): BaggageEntry? {
            val eq = member.indexOf('=')
            if (eq < 0) return null
            val key = trimOws(member.substring(0, eq))
            val rest = member.substring(eq + 1)
            val semi = rest.indexOf(';')
            val value = trimOws(if (semi < 0) rest else rest.substring(0, semi))
            if (!isValidKey(key) || !isOctets(value)) return null
            val metadata = if (semi < 0) "" else normalizeProperties(rest.substring(semi + 1)) ?: return null
            return BaggageEntry(key, percentDecode(value), metadata)
        }

        /** The entries of a baggage header, in order (see the class doc for the rules). */
        fun parseBaggage(header: String): List<BaggageEntry> {
            val entries = LinkedHashMap<String, BaggageEntry>()
            for (raw in header.split(',')) {
                val member = trimOws(raw)
                val parsed = if (member.isEmpty()) null else parseMember(member)
                if (parsed == null) continue
                if (parsed.key in entries || entries.size < MAX_ENTRIES) entries[parsed.key] = parsed
            }
            return entries.values.toList()
        }

        /** The header for [entries], whole entries only, at most 8192 bytes. */
        fun formatBaggage(entries: List<BaggageEntry>): String {
            val header = HeaderBuilder()
            for (e in entries) if (!header.add(e.key, e.value, e.metadata)) break
            return header.toString()
        }
    }
}

/**
 * The order of a context's baggage entries. The OpenTelemetry [Baggage] sorts its keys, so beside
 * it the context holds the entries in the order they were extracted, with the Baggage instance
 * they describe. When the application has since replaced the Baggage, [entries] keeps the
 * recorded order for the keys still there (with the current values) and appends the new keys.
 */
object BaggageOrder {
    private class Recorded(val baggage: Baggage, val entries: List<BaggageEntry>)

    private val KEY: ContextKey<Recorded> = ContextKey.named("tracewire-baggage-order")

    /** [context] with [entries] as its baggage (in the API's Baggage and in order). */
    fun store(context: Context, entries: List<BaggageEntry>): Context {
        val b = Baggage.builder()
        for (e in entries) b.put(e.key, e.value, BaggageEntryMetadata.create(e.metadata))
        val baggage = b.build()
        return context.with(baggage).with(KEY, Recorded(baggage, entries))
    }

    /** Whether [context] holds a recorded order (else its baggage is in the API's own order). */
    fun isRecorded(context: Context): Boolean = context.get(KEY) != null

    /** The baggage of [context], in order. */
    fun entries(context: Context): List<BaggageEntry> {
        val current = Baggage.fromContext(context)
        val recorded = context.get(KEY)
        if (recorded != null && recorded.baggage === current) return recorded.entries
        if (current.isEmpty) return emptyList()
        if (recorded == null) {
            // Only the API's Baggage (its keys are distinct): its own order.
            val out = ArrayList<BaggageEntry>(current.size())
            current.forEach { k, v -> out += BaggageEntry(k, v.value, v.metadata.value) }
            return out
        }
        val all = LinkedHashMap<String, BaggageEntry>()
        current.forEach { k, v -> all[k] = BaggageEntry(k, v.value, v.metadata.value) }
        val out = ArrayList<BaggageEntry>(all.size)
        for (e in recorded.entries) all.remove(e.key)?.let { out += it }
        out += all.values
        return out
    }
}
