package dev.tracewire.interop

import com.google.gson.JsonObject
import com.google.gson.JsonParser
import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.time.Duration
import java.util.concurrent.TimeUnit

/*
 * Real C++ peers for the interop tests: `tracewire serve` (OTLP receiver + store + query API) and
 * `trpc_echo_server`, on port 0 with a temp data dir; their binaries come from the system
 * properties tracewire.bin and trpc.echo.server.bin (tests/sdk_kotlin sets them under ctest).
 */

val TRACEWIRE_BIN: String = System.getProperty("tracewire.bin") ?: ""
val ECHO_BIN: String = System.getProperty("trpc.echo.server.bin") ?: ""

/** A child process whose output goes to a log file; [found] holds the first group of each pattern. */
open class Peer(argv: List<String>, env: Map<String, String>, patterns: List<Regex>) : AutoCloseable {
    val dir: File = Files.createTempDirectory("tw-sdk-kotlin.").toFile()
    private val logFile = File(dir, "log")
    private val proc: Process =
        ProcessBuilder(argv.map { it.replace("{dir}", dir.path) })
            .redirectErrorStream(true)
            .redirectOutput(logFile)
            .also { it.environment().putAll(env) }
            .start()
    val found: List<String> = waitFor(patterns)

    private fun waitFor(patterns: List<Regex>, timeoutMs: Long = 20_000): List<String> {
        val end = System.nanoTime() + timeoutMs * 1_000_000
        while (System.nanoTime() < end) {
            val text = log()
            val m = patterns.map { it.find(text) }
            if (m.all { it != null }) return m.map { it!!.groupValues[1] }
            if (!proc.isAlive) throw IllegalStateException("${proc.info().command()} exited ${proc.exitValue()}:\n$text")
            Thread.sleep(50)
        }
        throw IllegalStateException("peer did not start:\n${log()}")
    }

    fun log(): String = if (logFile.exists()) logFile.readText() else ""

    override fun close() {
        proc.destroy()
        if (!proc.waitFor(10, TimeUnit.SECONDS)) proc.destroyForcibly().waitFor()
        dir.deleteRecursively()
    }
}

/** A span read back from the query API, with its resource's service name. */
class StoredSpan(val service: String, val json: JsonObject) {
    val spanId: String get() = json["spanId"].asString
    val parentSpanId: String get() = json["parentSpanId"]?.asString ?: ""
    val kind: Int get() = json["kind"].asInt
    val name: String get() = json["name"].asString
    val statusCode: Int get() = json.getAsJsonObject("status")?.get("code")?.asInt ?: 0

    fun attr(key: String, obj: JsonObject = json): String? =
        obj
            .getAsJsonArray("attributes")
            ?.map { it.asJsonObject }
            ?.firstOrNull { it["key"].asString == key }
            ?.getAsJsonObject("value")
            ?.entrySet()
            ?.first()
            ?.value
            ?.asString

    fun events(name: String) = json.getAsJsonArray("events")?.map { it.asJsonObject }?.filter { it["name"].asString == name } ?: emptyList()

    override fun toString() = "$service ${json["name"]} kind=$kind id=$spanId parent=$parentSpanId"
}

/** `tracewire serve`: [otlpHttp] is the OTLP/HTTP base URL, [query] the query API's. */
class Serve : Peer(
    listOf(
        TRACEWIRE_BIN,
        "serve",
        "--data-dir",
        "{dir}/data",
        "--otlp-grpc",
        "127.0.0.1:0",
        "--otlp-http",
        "127.0.0.1:0",
        "--zipkin",
        "127.0.0.1:0",
        "--http",
        "127.0.0.1:0",
    ),
    emptyMap(),
    listOf(Regex("otlp http listening on ([\\d.:]+)"), Regex("query API\\) listening on ([\\d.:]+)")),
) {
    val otlpHttp = "http://${found[0]}"
    val query = "http://${found[1]}"
    private val http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()

    private fun get(path: String): JsonObject? {
        val r =
            http.send(
                HttpRequest.newBuilder(URI(query + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString(),
            )
        if (r.statusCode() == 404) return null
        check(r.statusCode() == 200) { "GET $path: ${r.statusCode()} ${r.body()}" }
        return JsonParser.parseString(r.body()).asJsonObject
    }

    /** The trace's spans once at least [want] are stored. */
    fun spans(traceId: String, want: Int, timeoutMs: Long = 15_000): List<StoredSpan> =
        poll("/api/v1/traces/$traceId", "resourceSpans", "scopeSpans", "spans", want, timeoutMs).map { (service, span) ->
            StoredSpan(service, span)
        }

    /**
     * GET [path] until its OTLP/JSON document holds at least [want] items ([top] -> [scope] ->
     * [items]), each with its resource's service name.
     */
    private fun poll(path: String, top: String, scope: String, items: String, want: Int, timeoutMs: Long): List<Pair<String, JsonObject>> {
        val end = System.nanoTime() + timeoutMs * 1_000_000
        var found = emptyList<Pair<String, JsonObject>>()
        while (System.nanoTime() < end) {
            found = get(path)?.getAsJsonArray(top)?.flatMap { res ->
                val r = res.asJsonObject
                val service = StoredSpan("", r.getAsJsonObject("resource")).attr("service.name") ?: ""
                r.getAsJsonArray(scope).flatMap { sc -> sc.asJsonObject.getAsJsonArray(items).map { service to it.asJsonObject } }
            } ?: emptyList()
            if (found.size >= want) return found
            Thread.sleep(100)
        }
        throw AssertionError("$path: ${found.size} of $want $items: $found")
    }

    /** The trace's log records (OTLP/JSON, with their resource's service name) once at least [want] are stored. */
    fun logs(traceId: String, want: Int, timeoutMs: Long = 15_000): List<Pair<String, JsonObject>> =
        poll("/api/v1/traces/$traceId/logs", "resourceLogs", "scopeLogs", "logRecords", want, timeoutMs)
}

/** trpc_echo_server traced (service cpp-echo), exporting to [otlpHttp]. */
class EchoServer(otlpHttp: String, inject: String = "text") : Peer(
    listOf(ECHO_BIN, "--port", "0", "--inject", inject),
    mapOf("OTEL_SERVICE_NAME" to "cpp-echo", "OTEL_EXPORTER_OTLP_ENDPOINT" to otlpHttp, "OTEL_BSP_SCHEDULE_DELAY" to "50"),
    listOf(Regex("listening on [\\d.]+:(\\d+)")),
) {
    val port = found[0].toInt()
}

/** Runs `tracewire call` (service cpp-call) and returns the trace id it prints. */
fun tracewireCall(otlpHttp: String, port: Int, func: String, data: String, inject: String): String {
    val pb = ProcessBuilder(TRACEWIRE_BIN, "call", "127.0.0.1:$port", func, "--data", data, "--inject", inject).redirectErrorStream(true)
    pb.environment().putAll(mapOf("OTEL_SERVICE_NAME" to "cpp-call", "OTEL_EXPORTER_OTLP_ENDPOINT" to otlpHttp))
    val p = pb.start()
    val out = p.inputStream.bufferedReader().readText()
    check(p.waitFor(30, TimeUnit.SECONDS)) { "tracewire call hung" }
    return Regex("trace_id: ([0-9a-f]{32})").find(out)?.groupValues?.get(1) ?: throw AssertionError("tracewire call printed:\n$out")
}
