package dev.tracewire.propagation

import io.opentelemetry.api.trace.Span
import io.opentelemetry.context.Context
import io.opentelemetry.context.propagation.TextMapGetter
import io.opentelemetry.context.propagation.TextMapPropagator
import io.opentelemetry.context.propagation.TextMapSetter

/**
 * Several propagators as one. Unlike the SDK's composite (where a later member's span context
 * overrides an earlier one), the first member yielding a valid span context wins, so
 * `tracecontext` beats `grpc-trace-bin` beats `b3` when a carrier holds several; baggage is
 * merged from all. Inject writes every member's format.
 */
class FirstWinsCompositePropagator(members: List<TextMapPropagator>) : TextMapPropagator {
    private val members = members.toList()
    private val fields = members.flatMap { it.fields() }.distinct()

    override fun fields(): Collection<String> = fields

    override fun <C> inject(context: Context, carrier: C?, setter: TextMapSetter<C>) {
        for (m in members) m.inject(context, carrier, setter)
    }

    override fun <C> extract(context: Context, carrier: C?, getter: TextMapGetter<C>): Context {
        val original = Span.fromContextOrNull(context)
        // Each member sees a context without a span of its own to tell whether it found one; a
        // context that has none (Context.root(), the usual case) needs no invalid span put in.
        var acc = if (original == null) context else context.with(Span.getInvalid())
        var chosen: Span? = null
        for (m in members) {
            // Once a span context is chosen only baggage still matters.
            if (chosen != null && m !is W3CBaggagePropagator) continue
            val before = acc
            acc = m.extract(acc, carrier, getter)
            if (acc === before) continue // the member found nothing
            val span = Span.fromContextOrNull(acc) ?: continue
            if (span === chosen || span === Span.getInvalid()) continue
            if (chosen == null && span.spanContext.isValid) {
                chosen = span // kept in acc: the members after it leave the span alone
            } else {
                acc = acc.with(Span.getInvalid())
            }
        }
        val result = chosen ?: original ?: Span.getInvalid()
        return if (Span.fromContextOrNull(acc) === result) acc else acc.with(result)
    }

    companion object {
        const val DEFAULT_OTEL_PROPAGATORS = "tracecontext,baggage"
        val KNOWN = listOf("tracecontext", "baggage", "b3", "b3multi", "grpc-trace-bin")

        /** One OTEL_PROPAGATORS name; IllegalArgumentException for an unknown one. */
        fun make(name: String): TextMapPropagator =
            when (name) {
                "tracecontext" -> W3CTraceContextPropagator()
                "baggage" -> W3CBaggagePropagator()
                "b3" -> B3Propagator()
                "b3multi" -> B3Propagator(multi = true)
                "grpc-trace-bin" -> GrpcTraceBinPropagator()
                else -> throw IllegalArgumentException("OTEL_PROPAGATORS: unknown propagator '$name'; known: ${KNOWN.joinToString()}, none")
            }

        /**
         * The propagator OTEL_PROPAGATORS names ([value] overrides the variable); default
         * "tracecontext,baggage"; "none" and repeats are skipped.
         */
        fun fromEnv(value: String? = System.getenv("OTEL_PROPAGATORS")): FirstWinsCompositePropagator {
            val v = if (value.isNullOrBlank()) DEFAULT_OTEL_PROPAGATORS else value
            val names =
                v
                    .split(',')
                    .map { trimOws(it).lowercase() }
                    .filter { it.isNotEmpty() && it != "none" }
                    .distinct()
            return FirstWinsCompositePropagator(names.map { make(it) })
        }
    }
}
