package dev.tracewire.bench

import org.openjdk.jmh.runner.Runner
import org.openjdk.jmh.runner.options.OptionsBuilder
import org.openjdk.jmh.runner.options.TimeValue
import org.openjdk.jmh.runner.options.VerboseMode
import java.io.File
import kotlin.system.exitProcess

/** One table row: [ours] and [official] name SdkBench methods (null: no such side). */
private class Row(val group: String, val what: String, val ours: String?, val official: String?)

private val ROWS =
    listOf(
        Row("span", "official SDK alone: span start + end, bare", null, "otel_span_bare"),
        Row("span", "official SDK alone: SERVER span with 12 attributes + end", null, "otel_span_server_attrs"),
        Row("server", "interceptor: extract (W3C+bin+B3+baggage) + SERVER span + end", "ours_server", "otel_server"),
        Row("client", "interceptor: CLIENT span + inject text + end", "ours_client_text", "otel_client"),
        Row("client", "interceptor: CLIENT span + inject binary + end (otel: text)", "ours_client_binary", "otel_client"),
        Row("client", "no interceptor: coroutine start + request + invoke alone (inside both)", "ours_client_bare", null),
        Row(
            "extract",
            "traceparent (ours: trans_info bytes; otel: HashMap of String)",
            "ours_extract_traceparent",
            "otel_extract_traceparent",
        ),
        Row("extract", "baggage, 10 entries", "ours_extract_baggage", "otel_extract_baggage"),
        Row(
            "extract",
            "server composite vs otel tracecontext,baggage (traceparent+10 baggage)",
            "ours_extract_composite",
            "otel_extract_composite",
        ),
        Row("extract", "b3 single header", "ours_extract_b3", "otel_extract_b3"),
        Row("extract", "grpc-trace-bin raw (no official Java propagator)", "ours_extract_bin", null),
        Row("inject", "traceparent", "ours_inject_traceparent", "otel_inject_traceparent"),
        Row("inject", "baggage, 10 entries", "ours_inject_baggage", "otel_inject_baggage"),
        Row("inject", "b3 single header", "ours_inject_b3", "otel_inject_b3"),
        Row("inject", "grpc-trace-bin raw (no official Java propagator)", "ours_inject_bin", null),
    )

private class Args(
    val runs: Int,
    val warmupIterations: Int,
    val iterations: Int,
    val iterationMs: Long,
    val only: String,
    val json: String?,
)

private fun parse(argv: Array<String>): Args {
    val m = HashMap<String, String>()
    var i = 0
    while (i < argv.size) {
        val key = argv[i]
        if (key == "-h" || key == "--help" || i + 1 >= argv.size || !key.startsWith("--")) {
            println("usage: run.sh [--runs 5] [--warmup 10] [--iterations 3] [--iteration-ms 500] [--only TEXT] [--json FILE]")
            exitProcess(if (key == "-h" || key == "--help") 0 else 2)
        }
        m[key.removePrefix("--")] = argv[i + 1]
        i += 2
    }
    return Args(
        runs = m["runs"]?.toInt() ?: 5,
        warmupIterations = m["warmup"]?.toInt() ?: 10,
        iterations = m["iterations"]?.toInt() ?: 3,
        iterationMs = m["iteration-ms"]?.toLong() ?: 500,
        only = m["only"] ?: "",
        json = m["json"],
    )
}

private fun median(xs: List<Double>): Double {
    val s = xs.sorted()
    return if (s.size % 2 == 1) s[s.size / 2] else (s[s.size / 2 - 1] + s[s.size / 2]) / 2
}

/**
 * Runs every SdkBench method [Args.runs] times, each run a fresh JMH fork per method (warm-up
 * iterations first, so the JIT has compiled the path), all methods once per run so ours and the
 * official ones interleave run by run; prints the median ns/op of the runs per row with the
 * ratio ours / official.
 */
fun main(argv: Array<String>) {
    val args = parse(argv)
    val rows = ROWS.filter { args.only.isEmpty() || "${it.group} ${it.what}".contains(args.only) }
    val methods = rows.flatMap { listOfNotNull(it.ours, it.official) }.distinct()
    if (methods.isEmpty()) {
        System.err.println("no row matches --only '${args.only}'")
        exitProcess(2)
    }
    val scores = HashMap<String, MutableList<Double>>()
    for (run in 1..args.runs) {
        System.err.println("run $run of ${args.runs} (${methods.size} benchmarks)")
        val options =
            OptionsBuilder()
                .include("\\.SdkBench\\.(${methods.joinToString("|")})$")
                .forks(1)
                .warmupIterations(args.warmupIterations)
                .warmupTime(TimeValue.milliseconds(args.iterationMs))
                .measurementIterations(args.iterations)
                .measurementTime(TimeValue.milliseconds(args.iterationMs))
                .jvmArgsAppend("-Xms512m", "-Xmx512m")
                .verbosity(VerboseMode.SILENT)
                .build()
        for (result in Runner(options).run()) {
            val name = result.params.benchmark.substringAfterLast('.')
            scores.getOrPut(name) { ArrayList() } += result.primaryResult.score
        }
    }
    val med = scores.mapValues { median(it.value) }
    println("Kotlin SDK vs the OpenTelemetry Java SDK 1.68.0: median of ${args.runs} runs, ns per operation")
    println(String.format("%-8s %-72s %9s %9s  %s", "group", "what", "ours ns", "otel ns", "ratio"))
    for (row in rows) {
        val o = row.ours?.let { med[it] }
        val r = row.official?.let { med[it] }
        val ratio = if (o != null && r != null) String.format("%5.2fx", o / r) else "    -"
        println(
            String.format(
                "%-8s %-72s %9s %9s  %s",
                row.group,
                row.what,
                o?.let { String.format("%.1f", it) } ?: "-",
                r?.let { String.format("%.1f", it) } ?: "-",
                ratio,
            ),
        )
    }
    args.json?.let { path ->
        val body =
            med.entries.sortedBy { it.key }.joinToString(",\n") { (k, v) ->
                "  \"$k\": {\"median_ns\": ${"%.3f".format(
                    v,
                )}, \"runs_ns\": ${scores.getValue(k).joinToString(", ", "[", "]") { "%.3f".format(it) }}}"
            }
        File(path).writeText("{\n$body\n}\n")
    }
}
