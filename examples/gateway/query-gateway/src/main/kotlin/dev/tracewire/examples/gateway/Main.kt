package dev.tracewire.examples.gateway

import dev.tracewire.ktor.TracewireTracing
import dev.tracewire.telemetry.LogExport
import dev.tracewire.telemetry.Telemetry
import dev.tracewire.tracing.Inject
import dev.tracewire.tracing.Tracing
import dev.tracewire.trpc.Client
import io.ktor.server.application.install
import io.ktor.server.engine.embeddedServer
import io.ktor.server.netty.Netty
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import kotlinx.coroutines.runBlocking
import org.slf4j.LoggerFactory
import sun.misc.Signal
import java.util.concurrent.CountDownLatch
import kotlin.system.exitProcess

private val log = LoggerFactory.getLogger("query-gateway")

/** OTEL_* defaults of this example; the environment (and otel.* properties) win over them. */
private val OTEL_DEFAULTS =
    mapOf(
        "otel.service.name" to "query-gateway",
        "otel.exporter.otlp.protocol" to "http/protobuf",
        "otel.exporter.otlp.endpoint" to "http://127.0.0.1:4318",
        "otel.metrics.exporter" to "none",
        "otel.bsp.schedule.delay" to "1000",
        "otel.blrp.schedule.delay" to "1000",
    )

private fun env(name: String, default: String) = System.getenv(name)?.takeIf { it.isNotBlank() } ?: default

/**
 * The QueryGateway (examples/gateway, contract C3): HTTP on $GATEWAY_HTTP_HOST:$GATEWAY_HTTP_PORT
 * (127.0.0.1:18080) with GET /api/query, /api/report and /healthz; tRPC client of the
 * DataProcessor at $DATAPROCESSOR_ADDR (127.0.0.1:18090), trace context injected as
 * $GATEWAY_TRPC_INJECT (text | binary | both; text). Traces and logs leave over OTLP as OTEL_*
 * says. Prints `ready: URL` on stdout once listening; SIGINT/SIGTERM flush and exit 0.
 */
fun main() {
    val otel =
        Telemetry.configure { builder ->
            builder.addPropertiesSupplier { OTEL_DEFAULTS }
            builder.disableShutdownHook() // the signal handler below closes (flushes) it
        }
    LogExport.install(otel)
    val host = env("GATEWAY_HTTP_HOST", "127.0.0.1")
    val port = env("GATEWAY_HTTP_PORT", "18080").toInt()
    val upstream = env("DATAPROCESSOR_ADDR", "127.0.0.1:18090")
    val inject = Inject.valueOf(env("GATEWAY_TRPC_INJECT", "text").uppercase())
    val client =
        Client(
            upstream.substringBeforeLast(':'),
            upstream.substringAfterLast(':').toInt(),
            caller = GatewayApi.CALLER,
            interceptors = listOf(Tracing.clientInterceptor(otel, inject)),
        )
    val api = GatewayApi(client)
    val server =
        embeddedServer(Netty, port = port, host = host) {
            install(TracewireTracing) { openTelemetry = otel }
            routing {
                get("/healthz") { call.respondText("ok\n") }
                get("/api/query") { api.answer(call, GatewayApi.PROCESS, mapErrorsTo500 = false) }
                get("/api/report") { api.answer(call, GatewayApi.ANALYZE, mapErrorsTo500 = true) }
            }
        }
    server.start(wait = false)
    val bound =
        runBlocking {
            server.engine
                .resolvedConnectors()
                .first()
                .port
        }
    log.info("query-gateway listening on http://{}:{}, DataProcessor at {} (inject {})", host, bound, upstream, inject)
    println("ready: http://$host:$bound")
    System.out.flush()

    val stopped = CountDownLatch(1)
    val stop = { _: Signal ->
        log.info("query-gateway stopping")
        server.stop(200, 2_000)
        client.close()
        otel.close() // flushes the span and log batches
        stopped.countDown()
    }
    Signal.handle(Signal("TERM"), stop)
    Signal.handle(Signal("INT"), stop)
    stopped.await()
    exitProcess(0)
}
