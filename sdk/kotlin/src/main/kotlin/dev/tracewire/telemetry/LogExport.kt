package dev.tracewire.telemetry

import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.LoggerContext
import io.opentelemetry.api.OpenTelemetry
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender
import org.slf4j.LoggerFactory

/**
 * OTLP log export for SLF4J over logback, through the official OpenTelemetry logback appender
 * (io.opentelemetry.instrumentation:opentelemetry-logback-appender-1.0; an application using
 * this declares it and logback-classic, both optional here). Each log event becomes a log
 * record of [OpenTelemetry.getLogsBridge] stamped with the trace_id / span_id of the context
 * current on the logging thread: inside a traced handler, the SERVER span's (the interceptors
 * and the Ktor plugin make it current in the coroutine). With `Telemetry.configure()`, the
 * records leave through OTEL_LOGS_EXPORTER (otlp by default) and OTEL_EXPORTER_OTLP_*.
 */
object LogExport {
    const val APPENDER_NAME = "tracewire-otlp"

    /**
     * Points every OpenTelemetryAppender of logback's configuration (logback.xml) at
     * [openTelemetry]; with [addToRoot] and none configured, adds one to the root logger (code
     * attributes and exception stack traces included). Events logged before the call are kept
     * by the appender (up to its buffer) and sent now. Returns false when SLF4J is not bound to
     * logback.
     */
    fun install(openTelemetry: OpenTelemetry, addToRoot: Boolean = true): Boolean {
        val context = LoggerFactory.getILoggerFactory() as? LoggerContext ?: return false
        val root = context.getLogger(Logger.ROOT_LOGGER_NAME)
        val configured =
            context.loggerList.any { logger ->
                logger.iteratorForAppenders().asSequence().any { it is OpenTelemetryAppender }
            }
        if (!configured && addToRoot) {
            val appender = OpenTelemetryAppender()
            appender.context = context
            appender.name = APPENDER_NAME
            appender.setCaptureCodeAttributes(true)
            appender.start()
            root.addAppender(appender)
        }
        OpenTelemetryAppender.install(openTelemetry)
        return true
    }

    /** Takes out the appender [install] added (tests; configured ones stay). */
    fun uninstall() {
        val context = LoggerFactory.getILoggerFactory() as? LoggerContext ?: return
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(APPENDER_NAME)
    }
}
