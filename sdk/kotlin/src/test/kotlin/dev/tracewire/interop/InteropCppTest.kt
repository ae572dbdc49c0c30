package dev.tracewire.interop

import dev.tracewire.tracing.Inject
import dev.tracewire.tracing.Tracing
import dev.tracewire.trpc.Client
import dev.tracewire.trpc.Server
import io.opentelemetry.api.common.Attributes
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter
import io.opentelemetry.extension.kotlin.asContextElement
import io.opentelemetry.sdk.OpenTelemetrySdk
import io.opentelemetry.sdk.resources.Resource
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * Interop with the C++ runtime through a real OTLP receiver (`tracewire serve`): the C++
 * `tracewire call` client -> the Kotlin server, the Kotlin client -> the C++ trpc_echo_server;
 * spans are read back by trace id from the query API. Skipped unless the system properties
 * tracewire.bin and trpc.echo.server.bin name the built binaries (tests/sdk_kotlin sets them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InteropCppTest {
    private lateinit var serve: Serve
    private lateinit var otel: OpenTelemetrySdk
    private lateinit var server: Server

    private fun sdk(service: String, otlpHttp: String): OpenTelemetrySdk =
        OpenTelemetrySdk
            .builder()
            .setTracerProvider(
                SdkTracerProvider
                    .builder()
                    .setResource(
                        Resource.getDefault().merge(
                            Resource.create(
                                Attributes.of(
                                    io.opentelemetry.api.common.AttributeKey
                                        .stringKey("service.name"),
                                    service,
                                ),
                            ),
                        ),
                    ).addSpanProcessor(
                        SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder().setEndpoint("$otlpHttp/v1/traces").build()),
                    ).build(),
            ).build()

    @BeforeAll
    fun start() {
        assumeTrue(TRACEWIRE_BIN.isNotEmpty() && ECHO_BIN.isNotEmpty(), "tracewire.bin / trpc.echo.server.bin not set")
        serve = Serve()
        otel = sdk("kt-data", serve.otlpHttp)
        server =
            Server(
                mapOf(
                    "/trpc.test.echo.Echo/Echo" to { call -> call.body },
                    "/trpc.test.echo.Echo/Fail" to { call -> validate(call.body.decodeToString()) },
                ),
                interceptors = listOf(Tracing.serverInterceptor(otel)),
            ).start()
    }

    private fun validate(s: String): ByteArray = parse(s).toString().toByteArray()

    private fun parse(s: String): Int = s.toInt() // throws NumberFormatException three calls deep

    @AfterAll
    fun stop() {
        if (!::serve.isInitialized) return
        runBlocking { server.close(500) }
        otel.close()
        serve.close()
    }

    private fun one(spans: List<StoredSpan>, service: String, kind: Int) =
        spans
            .filter { it.service == service && it.kind == kind }
            .also { assertEquals(1, it.size, "$service kind $kind in $spans") }
            .single()

    @ParameterizedTest
    @ValueSource(strings = ["text", "binary", "both"])
    fun cppClientSpanParentsTheKotlinServerSpan(inject: String) {
        val traceId = tracewireCall(serve.otlpHttp, server.port, "/trpc.test.echo.Echo/Echo", "hello", inject)
        val spans = serve.spans(traceId, 2)
        val client = one(spans, "cpp-call", CLIENT)
        val srv = one(spans, "kt-data", SERVER)
        assertEquals(client.spanId, srv.parentSpanId)
        assertEquals("trpc", srv.attr("rpc.system"))
        assertEquals("Echo", srv.attr("rpc.method"))
        assertEquals("trpc.test.echo.Echo", srv.attr("rpc.service"))
    }

    @Test
    fun kotlinExceptionIsAnErrorSpanWithItsStackTrace() {
        val traceId = tracewireCall(serve.otlpHttp, server.port, "/trpc.test.echo.Echo/Fail", "not-a-number", "text")
        val srv = one(serve.spans(traceId, 2), "kt-data", SERVER)
        assertEquals(2, srv.statusCode) // ERROR
        val event = srv.events("exception").single()
        assertEquals("java.lang.NumberFormatException", srv.attr("exception.type", event))
        val stack = srv.attr("exception.stacktrace", event)!!
        assertTrue("parse" in stack && "validate" in stack, stack)
    }

    @ParameterizedTest
    @ValueSource(strings = ["text", "binary"])
    fun kotlinClientSpanParentsTheCppServerSpan(inject: String) =
        runBlocking {
            val gateway = sdk("kt-gateway", serve.otlpHttp)
            val echo = EchoServer(serve.otlpHttp)
            try {
                val root = gateway.getTracer("test").spanBuilder("gateway request").startSpan()
                val c =
                    Client(
                        "127.0.0.1",
                        echo.port,
                        caller = "trpc.test.kotlin.Gateway",
                        interceptors = listOf(Tracing.clientInterceptor(gateway, Inject.valueOf(inject.uppercase()))),
                    )
                val r =
                    withContext(
                        root
                            .storeInContext(
                                io.opentelemetry.context.Context
                                    .root(),
                            ).asContextElement(),
                    ) {
                        c.call("/trpc.test.echo.Echo/Echo", "hi".toByteArray())
                    }
                root.end()
                c.close()
                assertEquals(0, r.ret, r.errorMsg)
                assertEquals("hi", r.body.decodeToString())
                val spans = serve.spans(root.spanContext.traceId, 3)
                val client = one(spans, "kt-gateway", CLIENT)
                val srv = one(spans, "cpp-echo", SERVER)
                assertEquals(client.spanId, srv.parentSpanId)
                assertEquals(root.spanContext.spanId, client.parentSpanId)
            } finally {
                echo.close()
                gateway.close()
            }
        }

    private companion object {
        const val SERVER = 2 // OTLP span kinds
        const val CLIENT = 3
    }
}
