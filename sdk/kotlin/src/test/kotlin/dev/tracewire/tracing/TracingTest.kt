package dev.tracewire.tracing

import dev.tracewire.attr
import dev.tracewire.awaitSpans
import dev.tracewire.propagation.BaggageOrder
import dev.tracewire.trpc.Client
import dev.tracewire.trpc.Handler
import dev.tracewire.trpc.RetCode
import dev.tracewire.trpc.Server
import dev.tracewire.trpc.TrpcError
import io.opentelemetry.api.baggage.Baggage
import io.opentelemetry.api.common.AttributeKey
import io.opentelemetry.api.trace.Span
import io.opentelemetry.api.trace.SpanKind
import io.opentelemetry.api.trace.StatusCode
import io.opentelemetry.context.Context
import io.opentelemetry.extension.kotlin.asContextElement
import io.opentelemetry.sdk.OpenTelemetrySdk
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.data.SpanData
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/** The interceptors over a real client and server, spans read from an in-memory exporter. */
class TracingTest {
    private val exporter = InMemorySpanExporter.create()
    private val otel =
        OpenTelemetrySdk
            .builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .build()
    private val closers = ArrayList<() -> Unit>()

    @AfterEach
    fun tearDown() {
        closers.reversed().forEach { it() }
        otel.close()
    }

    private fun server(handlers: Map<String, Handler>): Server {
        val s = Server(handlers, interceptors = listOf(Tracing.serverInterceptor(otel))).start()
        closers += { runBlocking { s.close(500) } }
        return s
    }

    private fun client(port: Int, inject: Inject = Inject.TEXT): Client {
        val c =
            Client("127.0.0.1", port, caller = "trpc.demo.kotlin.Gateway", interceptors = listOf(Tracing.clientInterceptor(otel, inject)))
        closers += { c.close() }
        return c
    }

    private fun spans(n: Int): List<SpanData> = exporter.awaitSpans(n)

    private fun one(all: List<SpanData>, kind: SpanKind, name: String) = all.single { it.kind == kind && it.name == name }

    @Test
    fun serverSpanIsAChildOfTheClientSpanInEveryInjectForm() =
        runBlocking {
            val s = server(mapOf("/trpc.demo.data.Processor/Process" to { call -> call.body }))
            for (inject in Inject.values()) {
                exporter.reset()
                val r = client(s.port, inject).call("/trpc.demo.data.Processor/Process", "q".toByteArray())
                assertEquals(0, r.ret, r.errorMsg)
                val all = spans(2)
                val c = one(all, SpanKind.CLIENT, "/trpc.demo.data.Processor/Process")
                val sv = one(all, SpanKind.SERVER, "/trpc.demo.data.Processor/Process")
                assertEquals(c.traceId, sv.traceId, "$inject")
                assertEquals(c.spanId, sv.parentSpanId, "$inject")
                assertTrue(sv.parentSpanContext.isRemote)
                for (span in listOf(c, sv)) {
                    assertEquals("trpc", span.attr("rpc.system"))
                    assertEquals("trpc.demo.data.Processor", span.attr("rpc.service"))
                    assertEquals("Process", span.attr("rpc.method"))
                    assertEquals(0L, span.attr("trpc.status_code"))
                    assertEquals(StatusCode.UNSET, span.status.statusCode)
                }
                assertEquals("trpc.demo.kotlin.Gateway", sv.attr("trpc.caller_service"))
                assertEquals("trpc.demo.data.Processor", sv.attr("trpc.callee_service"))
                assertEquals(s.port.toLong(), c.attr("server.port"))
                assertNotNull(sv.attr("network.peer.port"))
            }
        }

    @Test
    fun handlerExceptionIsRecordedWithStatusError() =
        runBlocking {
            val s =
                server(
                    mapOf(
                        "/a.B/Fail" to { _ -> throw IllegalArgumentException("deep inside") },
                        "/a.B/Business" to { _ -> throw TrpcError("no such user", funcRet = 404) },
                    ),
                )
            val c = client(s.port)
            assertEquals(RetCode.SERVER_SYSTEM_ERR, c.call("/a.B/Fail").ret)
            var all = spans(2)
            val failed = one(all, SpanKind.SERVER, "/a.B/Fail")
            assertEquals(StatusCode.ERROR, failed.status.statusCode)
            val event = failed.events.single { it.name == "exception" }
            assertEquals("java.lang.IllegalArgumentException", event.attributes.get(AttributeKey.stringKey("exception.type")))
            assertTrue(event.attributes.get(AttributeKey.stringKey("exception.stacktrace"))!!.contains("TracingTest"))
            assertEquals(31L, failed.attr("trpc.status_code"))
            assertEquals(StatusCode.ERROR, one(all, SpanKind.CLIENT, "/a.B/Fail").status.statusCode)
            exporter.reset()
            assertEquals(404, c.call("/a.B/Business").funcRet)
            all = spans(2)
            val business = one(all, SpanKind.SERVER, "/a.B/Business")
            assertEquals(StatusCode.ERROR, business.status.statusCode)
            assertEquals(2L, business.attr("trpc.status_type"))
            assertTrue(business.events.none { it.name == "exception" })
        }

    @Test
    fun contextSurvivesSuspensionDispatcherSwitchesAndChildCoroutines() =
        runBlocking {
            val inner = server(mapOf("/b.C/D" to { call -> call.transInfo["traceparent"] ?: ByteArray(0) }))
            val down = client(inner.port)
            val seen = ArrayList<String>()
            val outer =
                server(
                    mapOf(
                        "/a.B/C" to { _ ->
                            seen += Span.current().spanContext.spanId
                            delay(20)
                            seen +=
                                withContext(Dispatchers.Default) {
                                    delay(5)
                                    Span.current().spanContext.spanId
                                }
                            // A handler has no CoroutineScope receiver: child coroutines go through coroutineScope.
                            seen += coroutineScope { async(Dispatchers.IO) { Span.current().spanContext.spanId }.await() }
                            seen += Baggage.current().getEntryValue("tenant") ?: "no baggage"
                            down.call("/b.C/D").raiseForStatus().body
                        },
                    ),
                )
            val root =
                otel
                    .getTracer("test")
                    .spanBuilder("root")
                    .setNoParent()
                    .startSpan()
            val ctx = BaggageOrder.store(Context.root().with(root), listOf(dev.tracewire.propagation.BaggageEntry("tenant", "t1")))
            val r = withContext(ctx.asContextElement()) { client(outer.port).call("/a.B/C") }
            root.end()
            assertEquals(0, r.ret, r.errorMsg)
            val all = spans(5)
            val serverSpan = one(all, SpanKind.SERVER, "/a.B/C")
            assertEquals(List(3) { serverSpan.spanId } + "t1", seen)
            val downstream = one(all, SpanKind.CLIENT, "/b.C/D")
            assertEquals(serverSpan.spanId, downstream.parentSpanId)
            assertEquals(root.spanContext.traceId, downstream.traceId)
            // The inner server saw the downstream CLIENT span, not the inbound traceparent.
            assertEquals("00-${downstream.traceId}-${downstream.spanId}-01", r.body.decodeToString())
            assertEquals(downstream.spanId, one(all, SpanKind.SERVER, "/b.C/D").parentSpanId)
        }
}
