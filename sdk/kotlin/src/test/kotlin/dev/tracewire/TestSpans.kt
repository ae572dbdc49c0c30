package dev.tracewire

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter
import io.opentelemetry.sdk.trace.data.SpanData

/** The exporter's finished spans once there are at least [n] (or after [timeoutMs]). */
fun InMemorySpanExporter.awaitSpans(n: Int, timeoutMs: Long = 5_000): List<SpanData> {
    val end = System.nanoTime() + timeoutMs * 1_000_000
    while (finishedSpanItems.size < n && System.nanoTime() < end) Thread.sleep(5)
    return finishedSpanItems
}

/** The value of the attribute named [key], whatever its type. */
fun SpanData.attr(key: String): Any? =
    attributes
        .asMap()
        .entries
        .firstOrNull { it.key.key == key }
        ?.value
