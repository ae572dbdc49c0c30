package dev.tracewire.interop

import dev.tracewire.telemetry.LogExport
import dev.tracewire.telemetry.Telemetry
import io.opentelemetry.api.trace.Span
import io.opentelemetry.context.Context
import io.opentelemetry.extension.kotlin.asContextElement
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test
import org.slf4j.LoggerFactory
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * SLF4J -> logback -> the OpenTelemetry appender -> OTLP/HTTP logs -> a real `tracewire serve`,
 * read back by trace id: each record carries the trace_id / span_id of the span it was written
 * in (also from a coroutine after a suspension on another dispatcher), its severity and the
 * service name; the SDK comes from Telemetry.configure() with OTEL_* style settings.
 */
class LogExportTest {
    private val log = LoggerFactory.getLogger("dev.tracewire.test.Logs")

    @Test
    fun `log records reach tracewire serve with the ids of their span`() {
        assumeTrue(TRACEWIRE_BIN.isNotEmpty(), "tracewire.bin not set")
        Serve().use { serve ->
            val otel =
                Telemetry.configure(
                    mapOf(
                        "otel.service.name" to "kt-logs",
                        "otel.exporter.otlp.protocol" to "http/protobuf",
                        "otel.exporter.otlp.endpoint" to serve.otlpHttp,
                        "otel.traces.exporter" to "otlp",
                        "otel.logs.exporter" to "otlp",
                        "otel.metrics.exporter" to "none",
                        "otel.blrp.schedule.delay" to "50",
                        "otel.bsp.schedule.delay" to "50",
                    ),
                    global = false,
                )
            try {
                assertTrue(LogExport.install(otel))
                val tracer = otel.getTracer("test")
                val outer = tracer.spanBuilder("outer").startSpan()
                val inner: Span
                outer.makeCurrent().use {
                    log.info("in the outer span {}", 1)
                    inner = tracer.spanBuilder("inner").startSpan()
                    runBlocking(Context.current().with(inner).asContextElement()) {
                        delay(5)
                        withContext(Dispatchers.IO) { log.warn("in the inner span, on IO") }
                    }
                    inner.end()
                }
                outer.end()
                log.info("outside every span")
                val traceId = outer.spanContext.traceId
                val records = serve.logs(traceId, want = 2)
                assertEquals(2, records.size, "only the two records written in the trace: $records")
                val byBody = records.associate { (_, r) -> r.getAsJsonObject("body")["stringValue"].asString to r }
                val first = byBody.getValue("in the outer span 1")
                assertEquals(traceId, first["traceId"].asString)
                assertEquals(outer.spanContext.spanId, first["spanId"].asString)
                assertEquals("INFO", first["severityText"].asString)
                val second = byBody.getValue("in the inner span, on IO")
                assertEquals(inner.spanContext.spanId, second["spanId"].asString)
                assertEquals("WARN", second["severityText"].asString)
                assertTrue(records.all { it.first == "kt-logs" }, "service names: ${records.map { it.first }}")
            } finally {
                LogExport.uninstall()
                otel.close()
            }
        }
    }
}
