package dev.tracewire.ktor

import dev.tracewire.attr
import dev.tracewire.awaitSpans
import dev.tracewire.propagation.B3Propagator
import dev.tracewire.propagation.W3CTraceContextPropagator
import dev.tracewire.telemetry.TraceMdc
import dev.tracewire.tracing.Tracing
import dev.tracewire.trpc.Client
import dev.tracewire.trpc.Server
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.install
import io.ktor.server.engine.embeddedServer
import io.ktor.server.netty.Netty
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import io.opentelemetry.api.common.AttributeKey
import io.opentelemetry.api.trace.Span
import io.opentelemetry.api.trace.SpanKind
import io.opentelemetry.api.trace.StatusCode
import io.opentelemetry.context.propagation.ContextPropagators
import io.opentelemetry.context.propagation.TextMapPropagator
import io.opentelemetry.sdk.OpenTelemetrySdk
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.data.SpanData
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.slf4j.MDC
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/**
 * The Ktor plugin on a real Netty server (port 0) hit by a real HTTP client: trace continued
 * from traceparent (and from B3 with a B3 propagator configured), started without one, route
 * names and HTTP attributes, 5xx and exceptions, the span current in the handler for tRPC
 * CLIENT children and the MDC.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracewireTracingTest {
    private val exporter = InMemorySpanExporter.create()
    private val http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
    private val closers = ArrayList<() -> Unit>()
    private var port = 0
    private var b3Port = 0

    private val traceId = "4bf92f3577b34da6a3ce929d0e0e4736"
    private val parentId = "00f067aa0ba902b7"

    private fun sdk(propagator: TextMapPropagator) =
        OpenTelemetrySdk
            .builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .setPropagators(ContextPropagators.create(propagator))
            .build()

    private fun start(otel: OpenTelemetrySdk): Int {
        val backend = Server(mapOf("/trpc.test.echo.Echo/Echo" to { call -> call.body })).start()
        val client = Client("127.0.0.1", backend.port, interceptors = listOf(Tracing.clientInterceptor(otel)))
        val server =
            embeddedServer(Netty, port = 0, host = "127.0.0.1") {
                install(TracewireTracing) { openTelemetry = otel }
                routing {
                    get("/items/{id}") {
                        delay(5)
                        val seen = withContext(Dispatchers.IO) { "${Span.current().spanContext.spanId} ${MDC.get(TraceMdc.SPAN_ID)}" }
                        val r = client.call("/trpc.test.echo.Echo/Echo", call.parameters["id"]!!.toByteArray())
                        call.respondText("$seen ${r.body.decodeToString()}")
                    }
                    get("/boom") { throw IllegalStateException("kaput") }
                    get("/unavailable") { call.respondText("later", status = HttpStatusCode.ServiceUnavailable) }
                }
            }.start(wait = false)
        closers += {
            server.stop(100, 1000)
            client.close()
            runBlocking { backend.close(100) }
            otel.close()
        }
        return runBlocking {
            server.engine
                .resolvedConnectors()
                .first()
                .port
        }
    }

    @BeforeAll
    fun startAll() {
        port = start(sdk(W3CTraceContextPropagator()))
        b3Port = start(sdk(B3Propagator()))
    }

    @AfterAll
    fun stopAll() = closers.forEach { it() }

    @BeforeEach
    fun reset() = exporter.reset()

    private fun get(path: String, headers: Map<String, String> = emptyMap(), to: Int = port): HttpResponse<String> {
        val b = HttpRequest.newBuilder(URI("http://127.0.0.1:$to$path")).timeout(Duration.ofSeconds(10))
        headers.forEach { (k, v) -> b.header(k, v) }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString())
    }

    private fun spans(n: Int): List<SpanData> = exporter.awaitSpans(n)

    private fun serverSpan(n: Int = 1) = spans(n).single { it.kind == SpanKind.SERVER }

    @Test
    fun `continues the traceparent and parents the tRPC client span`() {
        val r = get("/items/42?x=1", mapOf("traceparent" to "00-$traceId-$parentId-01", "User-Agent" to "tw-test/1"))
        assertEquals(200, r.statusCode())
        val all = spans(2)
        val server = all.single { it.kind == SpanKind.SERVER }
        val client = all.single { it.kind == SpanKind.CLIENT }
        assertEquals(traceId, server.traceId)
        assertEquals(parentId, server.parentSpanId)
        assertTrue(server.parentSpanContext.isRemote)
        assertEquals("GET /items/{id}", server.name)
        assertEquals(server.spanId, client.parentSpanId)
        assertEquals(traceId, client.traceId)
        // Span.current() and the MDC in the handler (after a suspension, on Dispatchers.IO).
        assertEquals("${server.spanId} ${server.spanId} 42", r.body())
        assertEquals("GET", server.attr("http.request.method"))
        assertEquals("/items/42", server.attr("url.path"))
        assertEquals("x=1", server.attr("url.query"))
        assertEquals("/items/{id}", server.attr("http.route"))
        assertEquals(200L, server.attr("http.response.status_code"))
        assertEquals("tw-test/1", server.attr("user_agent.original"))
        assertEquals("127.0.0.1", server.attr("client.address"))
        assertEquals("127.0.0.1", server.attr("network.peer.address"))
        assertEquals(port.toLong(), server.attr("server.port"))
        assertEquals(StatusCode.UNSET, server.status.statusCode)
    }

    @Test
    fun `starts a trace without incoming context and takes X-Forwarded-For as the client`() {
        assertEquals(200, get("/items/7", mapOf("X-Forwarded-For" to "203.0.113.9, 10.0.0.1")).statusCode())
        val server = serverSpan(2)
        assertFalse(server.parentSpanContext.isValid)
        assertTrue(server.spanContext.isValid)
        assertEquals("203.0.113.9", server.attr("client.address"))
    }

    @Test
    fun `uses the configured propagator (B3)`() {
        val r = get("/items/1", mapOf("b3" to "$traceId-$parentId-1"), to = b3Port)
        assertEquals(200, r.statusCode())
        val server = serverSpan(2)
        assertEquals(traceId, server.traceId)
        assertEquals(parentId, server.parentSpanId)
    }

    @Test
    fun `an exception is an ERROR with its exception event and a 500`() {
        assertEquals(500, get("/boom").statusCode())
        val server = serverSpan()
        assertEquals(StatusCode.ERROR, server.status.statusCode)
        assertEquals(500L, server.attr("http.response.status_code"))
        assertEquals("java.lang.IllegalStateException", server.attr("error.type"))
        val event = server.events.single { it.name == "exception" }
        assertEquals("kaput", event.attributes.get(AttributeKey.stringKey("exception.message")))
        assertNotNull(event.attributes.get(AttributeKey.stringKey("exception.stacktrace")))
    }

    @Test
    fun `a 5xx answer is an ERROR, a 404 is not`() {
        assertEquals(503, get("/unavailable").statusCode())
        val failed = serverSpan()
        assertEquals(StatusCode.ERROR, failed.status.statusCode)
        assertTrue(failed.events.isEmpty())
        exporter.reset()
        assertEquals(404, get("/nowhere").statusCode())
        val missing = serverSpan()
        assertEquals(404L, missing.attr("http.response.status_code"))
        assertEquals(StatusCode.UNSET, missing.status.statusCode)
        assertEquals("GET", missing.name)
    }

    @Test
    fun `route template drops selectors`() {
        assertEquals("/api/items/{id}", routeTemplate("/api/items/{id}/(method:GET)"))
        assertEquals("/", routeTemplate("/(method:GET)"))
    }
}
