package dev.tracewire.interop

import dev.tracewire.tracing.Inject
import dev.tracewire.tracing.Tracing
import dev.tracewire.trpc.CallResult
import dev.tracewire.trpc.Client
import dev.tracewire.trpc.Server
import io.opentelemetry.api.common.AttributeKey
import io.opentelemetry.api.common.Attributes
import io.opentelemetry.context.Context
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter
import io.opentelemetry.extension.kotlin.asContextElement
import io.opentelemetry.sdk.OpenTelemetrySdk
import io.opentelemetry.sdk.resources.Resource
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.CsvSource
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** The Python SDK's interpreter: -Dsdk.python.bin, else build/sdk-python-venv/bin/python. */
val PYTHON_BIN: String =
    System.getProperty("sdk.python.bin")?.takeIf { it.isNotEmpty() }
        ?: File(System.getProperty("tracewire.root") ?: ".", "build/sdk-python-venv/bin/python").path

/**
 * Kotlin <-> Python through a real `tracewire serve`: a Kotlin client calls the Python SDK's
 * server (tests/sdk_kotlin/py_relay.py), whose handler calls a Kotlin server back through the
 * Python client; text and binary context on each hop. The five spans (Kotlin root, Kotlin
 * CLIENT, Python SERVER, Python CLIENT, Kotlin SERVER) must form one chain; a failure raised
 * three calls deep in Python comes back as ret 31 with the Python span in ERROR.
 * Skipped without tracewire.bin or the Python venv (scripts/install-sdk-python.sh).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InteropPythonTest {
    private lateinit var serve: Serve
    private lateinit var otel: OpenTelemetrySdk
    private lateinit var echo: Server
    private val relays = HashMap<String, Peer>()

    @BeforeAll
    fun start() {
        assumeTrue(TRACEWIRE_BIN.isNotEmpty(), "tracewire.bin not set")
        assumeTrue(File(PYTHON_BIN).canExecute(), "no Python SDK venv at $PYTHON_BIN")
        serve = Serve()
        val resource = Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "kt-interop")))
        val exporter = OtlpHttpSpanExporter.builder().setEndpoint("${serve.otlpHttp}/v1/traces").build()
        otel =
            OpenTelemetrySdk
                .builder()
                .setTracerProvider(
                    SdkTracerProvider
                        .builder()
                        .setResource(resource)
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build(),
                ).build()
        echo =
            Server(
                mapOf(
                    "/trpc.test.echo.Echo/Echo" to { call ->
                        call.body
                    },
                ),
                interceptors = listOf(Tracing.serverInterceptor(otel)),
            ).start()
    }

    private fun relay(inject: String): Peer =
        relays.getOrPut(inject) {
            val script = File(System.getProperty("tracewire.root") ?: ".", "tests/sdk_kotlin/py_relay.py").path
            object : Peer(
                listOf(PYTHON_BIN, script, echo.port.toString(), inject),
                mapOf(
                    "OTEL_EXPORTER_OTLP_ENDPOINT" to serve.otlpHttp,
                    "OTEL_BSP_SCHEDULE_DELAY" to "50",
                    "OTEL_METRICS_EXPORTER" to "none",
                ),
                listOf(Regex("listening on [\\d.]+:(\\d+)")),
            ) {}
        }

    @AfterAll
    fun stop() {
        if (!::serve.isInitialized) return
        relays.values.forEach { it.close() }
        runBlocking { echo.close(500) }
        otel.close()
        serve.close()
    }

    /** Calls [func] on the relay injecting [pyInject], from a Kotlin root span; (trace id, result). */
    private fun rootedCall(func: String, body: String, ktInject: Inject, pyInject: String): Pair<String, CallResult> {
        val port = relay(pyInject).found[0].toInt()
        val client =
            Client("127.0.0.1", port, caller = "trpc.test.kt.Caller", interceptors = listOf(Tracing.clientInterceptor(otel, ktInject)))
        val root = otel.getTracer("test").spanBuilder("kt-root").startSpan()
        try {
            val result =
                client.use {
                    runBlocking(Context.current().with(root).asContextElement()) {
                        withContext(Dispatchers.IO) { it.call(func, body.toByteArray()) }
                    }
                }
            return root.spanContext.traceId to result
        } finally {
            root.end()
        }
    }

    @ParameterizedTest
    @CsvSource("TEXT, text", "BINARY, binary", "BINARY, text", "TEXT, binary")
    fun `Kotlin client to Python server to Kotlin server is one trace`(ktInject: Inject, pyInject: String) {
        val (traceId, result) = rootedCall("/trpc.test.relay.Relay/Relay", "hello", ktInject, pyInject)
        assertTrue(result.ok, "$result")
        assertEquals("hello", result.body.decodeToString())
        val spans = serve.spans(traceId, want = 5)

        fun one(service: String, kind: Int) = spans.single { it.service == service && it.kind == kind }
        val ktRoot = spans.single { it.name == "kt-root" }
        val ktClient = one("kt-interop", 3)
        val pyServer = one("py-relay", 2)
        val pyClient = one("py-relay", 3)
        val ktServer = one("kt-interop", 2)
        assertEquals(ktRoot.spanId, ktClient.parentSpanId)
        assertEquals(ktClient.spanId, pyServer.parentSpanId)
        assertEquals(pyServer.spanId, pyClient.parentSpanId)
        assertEquals(pyClient.spanId, ktServer.parentSpanId)
        assertEquals("/trpc.test.relay.Relay/Relay", pyServer.name)
        assertEquals("/trpc.test.echo.Echo/Echo", ktServer.name)
    }

    @ParameterizedTest
    @CsvSource("TEXT", "BINARY")
    fun `an exception deep in Python is ret 31 and an ERROR span with its stack`(ktInject: Inject) {
        val (traceId, result) = rootedCall("/trpc.test.relay.Relay/Fail", "not a number", ktInject, "text")
        assertEquals(31, result.ret, "$result")
        assertTrue(result.errorMsg.contains("ValueError"), result.errorMsg)
        val spans = serve.spans(traceId, want = 3)
        val pyServer = spans.single { it.service == "py-relay" && it.kind == 2 }
        assertEquals(2, pyServer.statusCode) // ERROR
        val event = pyServer.events("exception").single()
        val stack = StoredSpan("", event).attr("exception.stacktrace") ?: ""
        assertTrue(stack.contains("validate") && stack.contains("parse"), stack)
        assertEquals(spans.single { it.service == "kt-interop" && it.kind == 3 }.spanId, pyServer.parentSpanId)
    }
}
