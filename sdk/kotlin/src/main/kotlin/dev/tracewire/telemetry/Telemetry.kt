package dev.tracewire.telemetry

import dev.tracewire.propagation.B3Propagator
import dev.tracewire.propagation.GrpcTraceBinPropagator
import io.opentelemetry.context.propagation.TextMapPropagator
import io.opentelemetry.sdk.OpenTelemetrySdk
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurablePropagatorProvider

/**
 * The OpenTelemetry SDK configured from the standard OTEL_* variables (and otel.* system
 * properties) by the SDK's autoconfigure module: OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES,
 * OTEL_TRACES_SAMPLER(_ARG), OTEL_TRACES/LOGS/METRICS_EXPORTER, OTEL_EXPORTER_OTLP_* (protocol,
 * endpoint, headers, compression, timeout), OTEL_BSP_*, OTEL_BLRP_*, OTEL_PROPAGATORS (which also
 * knows `grpc-trace-bin`, `b3` and `b3multi`: this SDK's propagators, registered as
 * ConfigurablePropagatorProvider), OTEL_SDK_DISABLED.
 */
object Telemetry {
    /**
     * Builds the SDK; [overrides] (otel.* property names) win over the environment, [global]
     * also installs it as GlobalOpenTelemetry, [customize] may add to the builder (span
     * processors, samplers). Close the result to flush and stop exporters. With every exporter
     * `none` and nothing added, the SDK records no spans (it has no span processor).
     */
    fun configure(
        overrides: Map<String, String> = emptyMap(),
        global: Boolean = true,
        customize: (AutoConfiguredOpenTelemetrySdkBuilder) -> Unit = {},
    ): OpenTelemetrySdk {
        val builder = AutoConfiguredOpenTelemetrySdk.builder().addPropertiesCustomizer { overrides }
        customize(builder)
        if (global) builder.setResultAsGlobal()
        return builder.build().openTelemetrySdk
    }
}

/** `grpc-trace-bin` in OTEL_PROPAGATORS (raw on inject). */
class GrpcTraceBinPropagatorProvider : ConfigurablePropagatorProvider {
    override fun getPropagator(config: ConfigProperties): TextMapPropagator = GrpcTraceBinPropagator()

    override fun getName() = "grpc-trace-bin"
}

/** `b3` in OTEL_PROPAGATORS (single header on inject). */
class B3PropagatorProvider : ConfigurablePropagatorProvider {
    override fun getPropagator(config: ConfigProperties): TextMapPropagator = B3Propagator()

    override fun getName() = "b3"
}

/** `b3multi` in OTEL_PROPAGATORS (X-B3-* headers on inject). */
class B3MultiPropagatorProvider : ConfigurablePropagatorProvider {
    override fun getPropagator(config: ConfigProperties): TextMapPropagator = B3Propagator(multi = true)

    override fun getName() = "b3multi"
}
