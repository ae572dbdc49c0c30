package main

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"trpc.group/trpc-go/trpc-go/filter"

	"trpc.group/trpc-go/trpc-opentelemetry/config"
	"trpc.group/trpc-go/trpc-opentelemetry/oteltrpc/logs"
	"trpc.group/trpc-go/trpc-opentelemetry/oteltrpc/traces"
	ecosystemtrace "trpc.group/trpc-go/trpc-opentelemetry/sdk/trace"
)

// tracing is the process-wide OpenTelemetry set-up. The oteltrpc filters take their tracer from
// otel.GetTracerProvider() and their propagator from otel.GetTextMapPropagator(), so installing both
// globals here is all the plugin needs; we do it ourselves (instead of the plugin's yaml-driven Setup)
// to export over OTLP/HTTP protobuf with a synchronous span processor.
type tracing struct {
	provider *sdktrace.TracerProvider
}

// setupTracing installs a global TracerProvider and the plugin's propagator. endpoint is a full OTLP/HTTP
// URL such as http://127.0.0.1:4318/v1/traces; when empty, spans are still created (so context still
// propagates) but exported nowhere.
//
// batch selects the SDK's batch span processor instead of the synchronous one (for benchmarking a traced
// trpc-go service; tests want synchronous export).
func setupTracing(endpoint, serviceName string, batch bool) (*tracing, error) {
	opts := []sdktrace.TracerProviderOption{
		// The plugin's own sampler: sample when the parent is sampled, else by fraction (1.0 = always).
		sdktrace.WithSampler(ecosystemtrace.NewSampler("", ecosystemtrace.SamplerConfig{Fraction: 1.0})),
		sdktrace.WithResource(resource.NewSchemaless(
			attribute.String("service.name", serviceName),
			attribute.String("telemetry.sdk.language", "go"),
			attribute.String("telemetry.sdk.name", "opentelemetry"),
		)),
	}
	if endpoint != "" {
		exporter, err := newHTTPExporter(endpoint)
		if err != nil {
			return nil, err
		}
		if batch {
			opts = append(opts, sdktrace.WithSpanProcessor(sdktrace.NewBatchSpanProcessor(exporter)))
		} else {
			// Synchronous: each span is exported when it ends, so a test sees it before the process answers.
			opts = append(opts, sdktrace.WithSpanProcessor(sdktrace.NewSimpleSpanProcessor(exporter)))
		}
	}
	provider := sdktrace.NewTracerProvider(opts...)
	otel.SetTracerProvider(provider)
	// Same propagator as the plugin's Setup: W3C trace context, then W3C baggage.
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(
		propagation.TraceContext{}, propagation.Baggage{}))
	return &tracing{provider: provider}, nil
}

func newHTTPExporter(endpoint string) (sdktrace.SpanExporter, error) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("bad --otlp-endpoint %q: want http://HOST:PORT/v1/traces", endpoint)
	}
	path := u.Path
	if path == "" || path == "/" {
		path = "/v1/traces"
	}
	opts := []otlptracehttp.Option{
		otlptracehttp.WithEndpoint(u.Host),
		otlptracehttp.WithURLPath(path),
		otlptracehttp.WithTimeout(5 * time.Second),
		otlptracehttp.WithRetry(otlptracehttp.RetryConfig{Enabled: false}),
	}
	if u.Scheme != "https" {
		opts = append(opts, otlptracehttp.WithInsecure())
	}
	return otlptracehttp.New(context.Background(), opts...)
}

// shutdown flushes and stops the provider; safe on nil.
func (t *tracing) shutdown() {
	if t == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = t.provider.ForceFlush(ctx)
	_ = t.provider.Shutdown(ctx)
}

// pluginFilterOptions mirrors what the plugin's Setup derives from its default config (trace log lines off,
// request/response bodies recorded as span events, parent sampling honoured).
func pluginFilterOptions(o *traces.FilterOptions) {
	o.TraceLogMode = config.LogModeDisable
	o.DisableTraceBody = false
	o.DisableParentSampling = false
}

// serverTraceFilter is the server chain the plugin registers (metrics disabled): trace filter, then its
// panic-recovery/log filter.
func serverTraceFilter() filter.ServerFilter {
	return filter.ServerChain{traces.ServerFilter(pluginFilterOptions), logs.LogRecoveryFilter()}.Filter
}

// clientTraceFilter is the client chain the plugin registers (metrics disabled).
func clientTraceFilter() filter.ClientFilter {
	return filter.ClientChain{traces.ClientFilter(pluginFilterOptions)}.Filter
}
