package dev.tracewire.telemetry

import dev.tracewire.tracing.Tracing
import dev.tracewire.trpc.Client
import dev.tracewire.trpc.Server
import io.opentelemetry.api.common.AttributeKey
import io.opentelemetry.context.Context
import io.opentelemetry.extension.kotlin.asContextElement
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter
import io.opentelemetry.sdk.trace.ReadableSpan
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.Test
import org.slf4j.MDC
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** configure() from otel.* properties; MDC correlation inside a traced handler. */
class TelemetryTest {
    private val quiet =
        mapOf(
            "otel.traces.exporter" to "none",
            "otel.metrics.exporter" to "none",
            "otel.logs.exporter" to "none",
            "otel.service.name" to "kt-test",
            "otel.resource.attributes" to "deployment.environment=ci",
            "otel.propagators" to "tracecontext,grpc-trace-bin,b3,baggage",
        )

    private val exporter = InMemorySpanExporter.create()

    private fun recordInMemory(b: AutoConfiguredOpenTelemetrySdkBuilder) {
        b.addTracerProviderCustomizer { tp, _ -> tp.addSpanProcessor(SimpleSpanProcessor.create(exporter)) }
    }

    @Test
    fun configureReadsServiceResourceAndOurPropagatorNames() {
        Telemetry.configure(quiet, global = false, customize = ::recordInMemory).use { sdk ->
            val span = sdk.getTracer("t").spanBuilder("s").startSpan()
            val resource = (span as ReadableSpan).toSpanData().resource
            span.end()
            assertEquals("kt-test", resource.getAttribute(AttributeKey.stringKey("service.name")))
            assertEquals("ci", resource.getAttribute(AttributeKey.stringKey("deployment.environment")))
            val fields = sdk.propagators.textMapPropagator.fields()
            assertTrue(fields.containsAll(listOf("traceparent", "grpc-trace-bin", "b3", "baggage")), "$fields")
        }
    }

    @Test
    fun handlerLogsCarryTheServerSpanIdsInTheMdc() =
        runBlocking {
            Telemetry.configure(quiet, global = false, customize = ::recordInMemory).use { sdk ->
                val seen = ArrayList<String?>()
                val server =
                    Server(
                        mapOf(
                            "/a.B/C" to { _ ->
                                seen += MDC.get(TraceMdc.SPAN_ID)
                                delay(10)
                                seen += withContext(Dispatchers.Default) { MDC.get(TraceMdc.SPAN_ID) }
                                seen += MDC.get(TraceMdc.TRACE_ID)
                                ByteArray(0)
                            },
                        ),
                        interceptors = listOf(Tracing.serverInterceptor(sdk)),
                    ).start()
                val client = Client("127.0.0.1", server.port, interceptors = listOf(Tracing.clientInterceptor(sdk)))
                val root = sdk.getTracer("t").spanBuilder("root").startSpan()
                val r =
                    withContext(root.storeInContext(Context.root()).asContextElement()) {
                        client.call("/a.B/C")
                    }
                root.end()
                client.close()
                server.close(500)
                assertEquals(0, r.ret, r.errorMsg)
                assertEquals(16, seen[0]?.length)
                assertEquals(seen[0], seen[1])
                assertEquals(root.spanContext.traceId, seen[2])
                assertNull(MDC.get(TraceMdc.SPAN_ID)) // not leaked to the test's thread
            }
        }
}
