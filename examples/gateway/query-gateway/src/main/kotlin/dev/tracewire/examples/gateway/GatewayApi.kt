package dev.tracewire.examples.gateway

import dev.tracewire.trpc.CallResult
import dev.tracewire.trpc.Client
import dev.tracewire.trpc.Frame
import dev.tracewire.trpc.RetCode
import io.ktor.http.ContentType
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.ApplicationCall
import io.ktor.server.response.respondText
import io.opentelemetry.api.trace.Span
import org.slf4j.LoggerFactory

/**
 * The two API routes: each sends {"query": q} as JSON (content_type 2) to a DataProcessor method
 * and answers its JSON body with 200. A failed call answers {"error", "trpc_ret",
 * "trpc_func_ret"}: with 500 when the upstream answered an error (and always on /api/report, as
 * C3 says), else as the client saw the failure: 504 for a timeout, 503 when the DataProcessor
 * is unreachable, 502 for a broken connection or a bad answer. No q: 400.
 */
class GatewayApi(private val client: Client) {
    companion object {
        const val CALLER = "trpc.demo.gateway.QueryGateway"
        const val PROCESS = "/trpc.demo.data.Processor/Process"
        const val ANALYZE = "/trpc.demo.data.Processor/Analyze"
        private const val MAX_QUERY = 4096 // characters
    }

    private val log = LoggerFactory.getLogger(GatewayApi::class.java)

    suspend fun answer(call: ApplicationCall, func: String, mapErrorsTo500: Boolean) {
        val q = call.request.queryParameters["q"]
        if (q.isNullOrEmpty() || q.length > MAX_QUERY) {
            log.warn("rejected {}: q missing or over {} characters", call.request.local.uri, MAX_QUERY)
            call.respondJson(HttpStatusCode.BadRequest, """{"error": ${jsonString("q is required, at most $MAX_QUERY characters")}}""")
            return
        }
        log.info("calling {} for q={}", func, q)
        val result = client.call(func, """{"query": ${jsonString(q)}}""".toByteArray(), contentType = Frame.CONTENT_TYPE_JSON)
        if (result.ok) {
            log.info("{} answered {} bytes", func, result.body.size)
            call.respondJson(HttpStatusCode.OK, result.body.decodeToString())
            return
        }
        val status = if (mapErrorsTo500) HttpStatusCode.InternalServerError else statusOf(result)
        log.error("{} failed: ret={} func_ret={} {}", func, result.ret, result.funcRet, result.errorMsg)
        Span.current().setAttribute("trpc.upstream_error", result.errorMsg)
        call.respondJson(
            status,
            """{"error": ${jsonString(result.errorMsg.ifEmpty { RetCode.describe(result.ret) })}, """ +
                """"trpc_ret": ${result.ret}, "trpc_func_ret": ${result.funcRet}}""",
        )
    }

    private fun statusOf(r: CallResult): HttpStatusCode =
        when (r.ret) {
            RetCode.CLIENT_INVOKE_TIMEOUT_ERR -> HttpStatusCode.GatewayTimeout
            RetCode.CLIENT_CONNECT_ERR -> HttpStatusCode.ServiceUnavailable
            RetCode.CLIENT_NETWORK_ERR, RetCode.CLIENT_DECODE_ERR -> HttpStatusCode.BadGateway
            else -> HttpStatusCode.InternalServerError
        }

    private suspend fun ApplicationCall.respondJson(status: HttpStatusCode, body: String) =
        respondText(body, ContentType.Application.Json, status)
}

/** [s] as a JSON string literal. */
fun jsonString(s: String): String {
    val b = StringBuilder(s.length + 2).append('"')
    for (c in s) {
        when {
            c == '"' -> b.append("\\\"")
            c == '\\' -> b.append("\\\\")
            c == '\n' -> b.append("\\n")
            c == '\r' -> b.append("\\r")
            c == '\t' -> b.append("\\t")
            c < ' ' -> b.append(String.format("\\u%04x", c.code))
            else -> b.append(c)
        }
    }
    return b.append('"').toString()
}
