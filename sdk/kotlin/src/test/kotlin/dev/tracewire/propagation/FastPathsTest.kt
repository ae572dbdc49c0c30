package dev.tracewire.propagation

import dev.tracewire.Vectors
import dev.tracewire.trpc.splitFunc
import dev.tracewire.trpc.splitFuncRemembered
import io.opentelemetry.api.baggage.Baggage
import io.opentelemetry.api.baggage.BaggageEntryMetadata
import io.opentelemetry.api.trace.Span
import io.opentelemetry.api.trace.SpanContext
import io.opentelemetry.api.trace.TraceFlags
import io.opentelemetry.api.trace.TraceState
import io.opentelemetry.context.Context
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertSame

/**
 * The hand-written fast paths against the straightforward code they replaced (kept here as the
 * reference): the B3 single-header parser against its former regex, the baggage encoder against
 * per-member strings, the first-wins composite against its former always-reset loop. The inputs
 * are the vectors' values and every one-character edit of them.
 */
class FastPathsTest {
    private object Reference {
        private val single = Regex("([0-9a-f]+)-([0-9a-f]{16})(?:-([01d])(?:-([0-9a-f]{16}))?)?")
        private val hex16 = Regex("[0-9a-f]{16}")
        private val traceId = Regex("[0-9a-f]{16}|[0-9a-f]{32}")

        fun parseSingle(value: String): B3Propagator.Found? {
            val m = single.matchEntire(value) ?: return null
            val (t, s, flag) = m.destructured
            if (!traceId.matches(t) || !hex16.matches(s) || isZeroHex(t) || isZeroHex(s)) return null
            return B3Propagator.Found(t.padStart(32, '0'), s, flag == "1" || flag == "d")
        }

        fun percentEncode(value: String): String {
            val sb = StringBuilder()
            for (b in value.toByteArray(Charsets.UTF_8)) {
                val c = b.toInt() and 0xFF
                if (c in 0x21..0x7E && c.toChar() !in "\",;\\%") sb.append(c.toChar()) else sb.append("%%%02X".format(c))
            }
            return sb.toString()
        }

        fun formatBaggage(entries: List<BaggageEntry>): String {
            val out = ArrayList<String>()
            var size = 0
            for (e in entries) {
                if (out.size == W3CBaggagePropagator.MAX_ENTRIES) break
                if (!W3CBaggagePropagator.isValidKey(e.key)) continue
                var member = "${e.key}=${percentEncode(e.value)}"
                if (e.metadata.isNotEmpty()) {
                    W3CBaggagePropagator.normalizeProperties(e.metadata)?.takeIf { it.isNotEmpty() }?.let { member += ";$it" }
                }
                val needed = member.length + if (out.isEmpty()) 0 else 1
                if (size + needed > W3CBaggagePropagator.MAX_HEADER_SIZE) continue
                out += member
                size += needed
            }
            return out.joinToString(",")
        }
    }

    /** [seeds] and each of them with one character removed, replaced or inserted (from [alphabet]). */
    private fun edits(seeds: Collection<String>, alphabet: String): Set<String> {
        val out = LinkedHashSet<String>()
        for (s in seeds) {
            out += s
            for (i in s.indices) {
                out += s.removeRange(i, i + 1)
                out += s.substring(0, i)
                for (c in alphabet) out += s.substring(0, i) + c + s.substring(i + 1)
            }
            for (i in 0..s.length) for (c in alphabet) out += s.substring(0, i) + c + s.substring(i)
        }
        return out
    }

    private fun vectorB3Values(): List<String> =
        listOf("b3.json", "composite.json").flatMap { file ->
            Vectors.load("propagation/$file")["cases"].asJsonArray.mapNotNull { case ->
                case.asJsonObject["carrier"]
                    ?.asJsonObject
                    ?.get("b3")
                    ?.takeIf { it.isJsonPrimitive }
                    ?.asString
            }
        }

    @Test
    fun `b3 single parser agrees with the regex on the vectors and their edits`() {
        val seeds = vectorB3Values() + listOf("a3ce929d0e0e4736-00f067aa0ba902b7", "0-0", "-", "", "1", "d")
        assertEquals(true, seeds.size > 20, "the vectors hold b3 values")
        var checked = 0
        for (v in edits(seeds, "0-1dfgA ")) {
            assertEquals(Reference.parseSingle(v), B3Propagator.parseSingle(v), "b3 '$v'")
            checked++
        }
        assertEquals(true, checked > 10_000, "edits checked: $checked")
    }

    @Test
    fun `b3 multi ids are checked as before`() {
        val t = "4bf92f3577b34da6a3ce929d0e0e4736"
        val s = "00f067aa0ba902b7"
        assertEquals(B3Propagator.Found(t, s, true), B3Propagator.parseMulti(t, s, s, "1", null))
        assertEquals(B3Propagator.Found("0000000000000000$s", s, false), B3Propagator.parseMulti(s, s, null, null, null))
        for (bad in listOf("${s}0", s.uppercase(), s.dropLast(1), "", "0000000000000000", "${t}0")) {
            assertEquals(null, B3Propagator.parseMulti(bad, s, null, "1", null), "trace id '$bad'")
            if (bad.length != 32) assertEquals(null, B3Propagator.parseMulti(t, bad, null, "1", null), "span id '$bad'")
            if (bad.isNotEmpty() && bad.length != 32 && bad != "0000000000000000") {
                assertEquals(null, B3Propagator.parseMulti(t, s, bad, "1", null), "parent id '$bad'")
            }
        }
    }

    @Test
    fun `baggage encoding agrees with per-member strings`() {
        val values = listOf("", "plain", "a b", "100%", "%41", "ü€😀", "\"q\",;\\", "tab\there", "~!#\$&'()*+-./:<=>?@[]^_`{|}")
        for (v in values) assertEquals(Reference.percentEncode(v), W3CBaggagePropagator.percentEncode(v), "value '$v'")
        val entries =
            values.mapIndexed { i, v -> BaggageEntry("k$i", v, if (i % 3 == 0) "p;q = r" else "") } +
                BaggageEntry("bad key", "x") +
                BaggageEntry("big", "x".repeat(8000)) +
                BaggageEntry("after", "y") +
                (0 until 70).map { BaggageEntry("n$it", "v$it") }
        assertEquals(Reference.formatBaggage(entries), W3CBaggagePropagator.formatBaggage(entries))
        assertEquals(Reference.formatBaggage(entries.drop(12)), W3CBaggagePropagator.formatBaggage(entries.drop(12)))
        assertEquals("", W3CBaggagePropagator.formatBaggage(listOf(BaggageEntry("huge", "z".repeat(9000)))))
    }

    @Test
    fun `baggage order of a context without recorded order follows the API's baggage`() {
        assertEquals(emptyList(), BaggageOrder.entries(Context.root()))
        val b =
            Baggage
                .builder()
                .put("b", "2")
                .put("a", "1")
                .build()
        val want = mutableListOf<BaggageEntry>()
        b.forEach { k, v -> want += BaggageEntry(k, v.value, v.metadata.value) }
        assertEquals(want, BaggageOrder.entries(Context.root().with(b)))
    }

    @Test
    fun `baggage inject of an API-made baggage writes what the list path writes`() {
        val b = Baggage.builder()
        val entries = mutableListOf<BaggageEntry>()
        for (i in 0 until 80) {
            val value = if (i % 5 == 0) "v $i,ü" else "v$i"
            b.put("k%02d".format(i), value, BaggageEntryMetadata.create(if (i % 7 == 0) "p=1" else ""))
        }
        b.put("big", "x".repeat(7000))
        val baggage = b.build()
        baggage.forEach { k, v -> entries += BaggageEntry(k, v.value, v.metadata.value) }
        val carrier = LinkedHashMap<String, ByteArray>()
        W3CBaggagePropagator().inject(Context.root().with(baggage), carrier, TransInfoSetter)
        assertEquals(Reference.formatBaggage(entries), carrier.getValue("baggage").toString(Charsets.ISO_8859_1))
        val none = LinkedHashMap<String, ByteArray>()
        W3CBaggagePropagator().inject(Context.root(), none, TransInfoSetter)
        assertEquals(emptyMap(), none)
    }

    private val tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    private val b3 = "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"

    private fun ti(vararg kv: String): TransInfo {
        val m = LinkedHashMap<String, ByteArray>()
        for (i in kv.indices step 2) m[kv[i]] = kv[i + 1].toByteArray(Charsets.ISO_8859_1)
        return m
    }

    @Test
    fun `composite keeps the first valid span, the caller's span otherwise, and merges baggage`() {
        val composite = FirstWinsCompositePropagator(listOf(W3CTraceContextPropagator(), B3Propagator(), W3CBaggagePropagator()))
        val mine =
            Span.wrap(
                SpanContext.create(
                    "11111111111111111111111111111111",
                    "2222222222222222",
                    TraceFlags.getSampled(),
                    TraceState.getDefault(),
                ),
            )
        val start = Context.root().with(mine)

        val both = composite.extract(start, ti("traceparent", tp, "b3", b3, "baggage", "k=v"), TransInfoGetter)
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", Span.fromContext(both).spanContext.traceId)
        assertEquals("v", Baggage.fromContext(both).getEntryValue("k"))

        val onlyB3 = composite.extract(Context.root(), ti("traceparent", "garbage", "b3", b3), TransInfoGetter)
        assertEquals("80f198ee56343ba864fe8b2a57d3eff7", Span.fromContext(onlyB3).spanContext.traceId)

        assertSame(mine, Span.fromContext(composite.extract(start, ti("baggage", "k=v"), TransInfoGetter)))
        assertSame(mine, Span.fromContext(composite.extract(start, ti(), TransInfoGetter)))
        val none = composite.extract(Context.root(), ti("baggage", "k=v"), TransInfoGetter)
        assertSame(Span.getInvalid(), Span.fromContextOrNull(none))
        assertNotNull(Baggage.fromContext(none).getEntry("k"))
    }

    @Test
    fun `grpc-trace-bin raw text is the encoded bytes as ISO-8859-1`() {
        val ids =
            listOf(
                "4bf92f3577b34da6a3ce929d0e0e4736" to "00f067aa0ba902b7",
                "ffffffffffffffffffffffffffffffff" to "8000000000000001",
                "0000000000000000000000000000000a" to "0a0b0c0d0e0f1011",
            )
        for ((t, s) in ids) {
            for (sampled in listOf(true, false)) {
                val bytes = GrpcTraceBinPropagator.encode(Vectors.hex(t), Vectors.hex(s), sampled)
                assertEquals(bytes.toString(Charsets.ISO_8859_1), GrpcTraceBinPropagator.rawText(t, s, sampled))
                assertEquals(GrpcTraceBinPropagator.Found(t, s, if (sampled) 1 else 0), GrpcTraceBinPropagator.decode(bytes))
            }
        }
    }

    @Test
    fun `remembered func split equals the plain one`() {
        for (f in listOf("/trpc.test.echo.Echo/Echo", "Echo", "/a/b/c", "/", "", "svc/m", "/s/" + "m".repeat(300))) {
            assertEquals(splitFunc(f), splitFuncRemembered(f))
            assertEquals(splitFunc(f), splitFuncRemembered(f))
        }
    }
}
