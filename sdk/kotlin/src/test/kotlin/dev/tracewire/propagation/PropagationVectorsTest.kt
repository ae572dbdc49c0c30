package dev.tracewire.propagation

import com.google.gson.JsonElement
import com.google.gson.JsonObject
import dev.tracewire.Vectors
import io.opentelemetry.api.trace.Span
import io.opentelemetry.context.Context
import io.opentelemetry.context.propagation.TextMapGetter
import io.opentelemetry.context.propagation.TextMapPropagator
import io.opentelemetry.context.propagation.TextMapSetter
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * Every case of the testdata/propagation JSON files (schema in its README): extract from the carrier
 * gives `expect`, inject of that context into an empty carrier gives exactly `reinject`.
 */
class PropagationVectorsTest {
    /** HTTP-like headers: names match in any case, repeated ones are joined with ','. */
    private object HeaderGetter : TextMapGetter<List<Pair<String, String>>> {
        @Suppress("OVERRIDE_DEPRECATION")
        override fun keys(carrier: List<Pair<String, String>>) = carrier.map { it.first }

        override fun get(carrier: List<Pair<String, String>>?, key: String): String? {
            val found = carrier!!.filter { it.first.equals(key, ignoreCase = true) }.map { trimOws(it.second) }
            return if (found.isEmpty()) null else found.joinToString(",")
        }
    }

    private object MapSetter : TextMapSetter<MutableMap<String, String>> {
        override fun set(carrier: MutableMap<String, String>?, key: String, value: String) {
            carrier!![key] = value
        }
    }

    /** "hex:..." is raw bytes (as ISO-8859-1 text, the carrier convention); else the string. */
    private fun value(v: String) = if (v.startsWith("hex:")) Vectors.hex(v.substring(4)).toString(Charsets.ISO_8859_1) else v

    private fun carrier(spec: JsonObject): List<Pair<String, String>> =
        spec.entrySet().flatMap { (name, v: JsonElement) ->
            if (v.isJsonArray) v.asJsonArray.map { name to value(it.asString) } else listOf(name to value(v.asString))
        }

    private fun files() = File(Vectors.root, "testdata/propagation").listFiles { f -> f.name.endsWith(".json") }!!.sorted()

    private fun propagator(name: String, case: JsonObject): TextMapPropagator =
        if (case["binary_inject"]?.asString ==
            "base64"
        ) {
            GrpcTraceBinPropagator(base64 = true)
        } else {
            FirstWinsCompositePropagator.fromEnv(name)
        }

    private fun check(name: String, case: JsonObject) {
        assertTrue(case["spec_rule"].asString.isNotEmpty())
        val p = propagator(name, case)
        val ctx = p.extract(Context.root(), carrier(case.getAsJsonObject("carrier")), HeaderGetter)
        val expect = case.getAsJsonObject("expect")
        val sc = Span.fromContext(ctx).spanContext
        assertEquals(expect["valid"].asBoolean, sc.isValid, "valid")
        if (sc.isValid) {
            assertEquals(expect["trace_id"].asString, sc.traceId)
            assertEquals(expect["span_id"].asString, sc.spanId)
            assertEquals(expect["flags"].asString, sc.traceFlags.asHex())
            assertEquals(expect["sampled"].asBoolean, sc.isSampled)
            assertTrue(sc.isRemote)
            val state = ArrayList<List<String>>()
            sc.traceState.forEach { k, v -> state += listOf(k, v) }
            val want = expect.getAsJsonArray("trace_state")?.map { m -> m.asJsonArray.map { it.asString } } ?: emptyList()
            assertEquals(want, state, "trace_state")
        }
        val wantBaggage =
            expect.getAsJsonArray("baggage")?.map {
                val o = it.asJsonObject
                BaggageEntry(o["key"].asString, o["value"].asString, o["metadata"].asString)
            } ?: emptyList()
        assertEquals(wantBaggage, BaggageOrder.entries(ctx), "baggage")
        val out = LinkedHashMap<String, String>()
        p.inject(ctx, out, MapSetter)
        val want = case.getAsJsonObject("reinject").entrySet().associate { (k, v) -> k to value(v.asString) }
        assertEquals(want, out, "reinject")
    }

    @TestFactory
    fun everyVector() =
        files().flatMap { f ->
            val doc = Vectors.load("propagation/${f.name}")
            doc.getAsJsonArray("cases").map { c ->
                val case = c.asJsonObject
                DynamicTest.dynamicTest("${f.nameWithoutExtension}: ${case["name"].asString}") { check(doc["propagator"].asString, case) }
            }
        }

    @Test
    fun everyFileIsRead() {
        assertTrue(files().size >= 6)
        assertTrue(files().sumOf { Vectors.load("propagation/${it.name}").getAsJsonArray("cases").size() } >= 100)
    }
}
