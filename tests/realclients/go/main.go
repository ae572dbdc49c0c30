// Real-clients test, Go: the SCENARIO.md scenario through the official OpenTelemetry Go SDK.
//
//	realclient-go --endpoint URL --protocol http/protobuf|http/json|grpc --run-id ID
//
// Exports with the SDK's own OTLP exporters (otlptracehttp, otlptracegrpc, otlploghttp, otlploggrpc),
// flushes, shuts down, then prints the expectation document (SCENARIO.md) on stdout. otlploghttp has no
// JSON encoding, so with http/json the logs are skipped and the document says so.
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploggrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	otellog "go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

const (
	scopeName    = "tracewire.realclients"
	scopeVersion = "1.2.3"
	sdkVersion   = "go.opentelemetry.io/otel/sdk v1.47.0"
)

type obj = map[string]any

// anyValue renders an attribute value as OTLP JSON AnyValue (the expectation document's form).
func anyValue(v attribute.Value) obj {
	switch v.Type() {
	case attribute.BOOL:
		return obj{"boolValue": v.AsBool()}
	case attribute.INT64:
		return obj{"intValue": strconv.FormatInt(v.AsInt64(), 10)}
	case attribute.FLOAT64:
		return obj{"doubleValue": v.AsFloat64()}
	case attribute.STRING:
		return obj{"stringValue": v.AsString()}
	case attribute.BYTESLICE:
		return obj{"bytesValue": base64.StdEncoding.EncodeToString(v.AsByteSlice())}
	case attribute.BOOLSLICE:
		return arr(v.AsBoolSlice(), func(b bool) attribute.Value { return attribute.BoolValue(b) })
	case attribute.INT64SLICE:
		return arr(v.AsInt64Slice(), func(i int64) attribute.Value { return attribute.Int64Value(i) })
	case attribute.FLOAT64SLICE:
		return arr(v.AsFloat64Slice(), func(f float64) attribute.Value { return attribute.Float64Value(f) })
	case attribute.STRINGSLICE:
		return arr(v.AsStringSlice(), func(s string) attribute.Value { return attribute.StringValue(s) })
	case attribute.SLICE:
		return arr(v.AsSlice(), func(x attribute.Value) attribute.Value { return x })
	case attribute.MAP:
		return obj{"kvlistValue": obj{"values": kvs(v.AsMap())}}
	}
	return obj{}
}

func arr[T any](xs []T, f func(T) attribute.Value) obj {
	out := []obj{}
	for _, x := range xs {
		out = append(out, anyValue(f(x)))
	}
	return obj{"arrayValue": obj{"values": out}}
}

func kvs(attrs []attribute.KeyValue) []obj {
	out := []obj{}
	for _, kv := range attrs {
		out = append(out, obj{"key": string(kv.Key), "value": anyValue(kv.Value)})
	}
	return out
}

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "go client: "+format+"\n", a...)
	os.Exit(1)
}

func main() {
	endpoint := flag.String("endpoint", "", "OTLP base URL (http://host:port)")
	protocol := flag.String("protocol", "", "http/protobuf, http/json or grpc")
	runID := flag.String("run-id", "", "run id put on the resource")
	flag.Parse()
	if *endpoint == "" || *runID == "" {
		fail("--endpoint and --run-id are required")
	}
	ctx := context.Background()
	base := strings.TrimRight(*endpoint, "/")
	var spanExp sdktrace.SpanExporter
	var logExp sdklog.Exporter
	var skipped []obj
	var err error
	switch *protocol {
	case "http/protobuf", "http/json":
		enc := otlptracehttp.EncodingProtobuf
		if *protocol == "http/json" {
			enc = otlptracehttp.EncodingJSON
		}
		spanExp, err = otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(base+"/v1/traces"),
			otlptracehttp.WithEncoding(enc))
		if err == nil && *protocol == "http/protobuf" {
			logExp, err = otlploghttp.New(ctx, otlploghttp.WithEndpointURL(base+"/v1/logs"))
		} else if err == nil {
			skipped = append(skipped, obj{"signal": "logs", "reason": "otlploghttp v0.23.0 sends protobuf only " +
				"(no JSON encoding option, unlike otlptracehttp's WithEncoding)"})
		}
	case "grpc":
		spanExp, err = otlptracegrpc.New(ctx, otlptracegrpc.WithEndpointURL(base))
		if err == nil {
			logExp, err = otlploggrpc.New(ctx, otlploggrpc.WithEndpointURL(base))
		}
	default:
		fail("unknown --protocol %q", *protocol)
	}
	if err != nil {
		fail("exporter: %v", err)
	}

	service := "rc-go-" + strings.ReplaceAll(*protocol, "/", "-")
	resAttrs := []attribute.KeyValue{
		attribute.String("service.name", service), attribute.String("rc.run_id", *runID),
		attribute.String("rc.lang", "go"), attribute.Int64("rc.res.int", 42), attribute.Float64("rc.res.double", 2.5),
		attribute.Bool("rc.res.bool", true), attribute.StringSlice("rc.res.strs", []string{"a", "b"}),
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(resAttrs...))
	if err != nil {
		fail("resource: %v", err)
	}
	scopeAttrs := []attribute.KeyValue{attribute.String("rc.scope.str", "scope-value")}
	tp := sdktrace.NewTracerProvider(sdktrace.WithResource(res), sdktrace.WithBatcher(spanExp))
	tracer := tp.Tracer(scopeName, trace.WithInstrumentationVersion(scopeVersion),
		trace.WithInstrumentationAttributes(scopeAttrs...))
	var lp *sdklog.LoggerProvider
	if logExp != nil {
		lp = sdklog.NewLoggerProvider(sdklog.WithResource(res), sdklog.WithProcessor(sdklog.NewBatchProcessor(logExp)))
	}

	t0 := time.UnixMilli(time.Now().UnixMilli() - 2000)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	ns := func(ms int) string { return strconv.FormatInt(at(ms).UnixNano(), 10) }
	var spans []obj
	record := func(s trace.Span, parent trace.Span, name string, kind int, startMs, endMs int,
		attrs []attribute.KeyValue, events, links []obj, status obj) {
		parentID := ""
		if parent != nil {
			parentID = parent.SpanContext().SpanID().String()
		}
		if events == nil {
			events = []obj{}
		}
		if links == nil {
			links = []obj{}
		}
		if status == nil {
			status = obj{"code": 0, "message": ""}
		}
		spans = append(spans, obj{
			"trace_id": s.SpanContext().TraceID().String(), "span_id": s.SpanContext().SpanID().String(),
			"parent_span_id": parentID, "name": name, "kind": kind, "start_time_unix_nano": ns(startMs),
			"end_time_unix_nano": ns(endMs), "attributes": kvs(attrs), "events": events, "links": links,
			"status": status,
		})
	}

	bAttrs := []attribute.KeyValue{attribute.String("rc.role", "link-target")}
	_, sb := tracer.Start(ctx, "rc.linked-target", trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(bAttrs...), trace.WithTimestamp(at(0)), trace.WithNewRoot())
	sb.End(trace.WithTimestamp(at(5)))

	s1Attrs := []attribute.KeyValue{attribute.String("rc.role", "root"), attribute.String("http.request.method", "GET"),
		attribute.Int64("http.response.status_code", 200)}
	ctx1, s1 := tracer.Start(ctx, "rc.server", trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(s1Attrs...), trace.WithTimestamp(at(0)), trace.WithNewRoot())
	// The Go API also takes bytes and maps as span attribute values (attribute.ByteSlice, attribute.Map).
	s2Attrs := []attribute.KeyValue{
		attribute.String("rc.str", "hello"), attribute.Bool("rc.bool", true), attribute.Int64("rc.int", 7),
		attribute.Int64("rc.int_neg", -5), attribute.Int64("rc.int_big", 1234567890123),
		attribute.Float64("rc.double", 3.25), attribute.StringSlice("rc.strs", []string{"x", "y"}),
		attribute.BoolSlice("rc.bools", []bool{true, false}), attribute.Int64Slice("rc.ints", []int64{1, 2, 3}),
		attribute.Float64Slice("rc.doubles", []float64{1.5, 2.5}), attribute.ByteSlice("rc.bytes", []byte{1, 2, 255}),
		attribute.Map("rc.map", attribute.String("k", "v"), attribute.Int64("n", 1)),
	}
	ctx2, s2 := tracer.Start(ctx1, "rc.client", trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(s2Attrs...), trace.WithTimestamp(at(10)))
	linkAttrs := []attribute.KeyValue{attribute.String("rc.link.str", "linked"), attribute.Int64("rc.link.int", 1)}
	s3Attrs := []attribute.KeyValue{attribute.String("rc.role", "grandchild")}
	ctx3, s3 := tracer.Start(ctx2, "rc.consume", trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(s3Attrs...), trace.WithTimestamp(at(20)),
		trace.WithLinks(trace.Link{SpanContext: sb.SpanContext(), Attributes: linkAttrs}))
	s3.RecordError(errors.New("boom: something failed"), trace.WithTimestamp(at(25)), trace.WithStackTrace(true))
	evAttrs := []attribute.KeyValue{attribute.String("rc.event.str", "ev"), attribute.Int64("rc.event.int", 5),
		attribute.Bool("rc.event.bool", false), attribute.Float64("rc.event.double", 0.5),
		attribute.StringSlice("rc.event.strs", []string{"e1", "e2"})}
	s3.AddEvent("rc.event", trace.WithTimestamp(at(30)), trace.WithAttributes(evAttrs...))
	s3.SetStatus(codes.Error, "boom: something failed")

	var logs []obj
	if lp != nil {
		logger := lp.Logger(scopeName, otellog.WithInstrumentationVersion(scopeVersion),
			otellog.WithInstrumentationAttributes(scopeAttrs...))
		// Since v1.47 the log API takes attribute.KeyValue and attribute.Value (bytes, slices and maps too).
		l1 := []attribute.KeyValue{attribute.String("rc.log.str", "a"), attribute.Int64("rc.log.int", 3),
			attribute.Float64("rc.log.double", 1.25), attribute.Bool("rc.log.bool", true),
			attribute.StringSlice("rc.log.strs", []string{"p", "q"})}
		var r1 otellog.Record
		r1.SetTimestamp(at(40))
		r1.SetSeverity(otellog.SeverityError)
		r1.SetSeverityText("ERROR")
		r1.SetBody(attribute.StringValue("consume failed for order 42"))
		r1.AddAttributes(l1...)
		logger.Emit(ctx3, r1) // ctx3 carries s3: the SDK fills trace and span id from it
		l2 := []attribute.KeyValue{attribute.String("rc.log.str", "b"),
			attribute.ByteSlice("rc.log.bytes", []byte{1, 2, 255}),
			attribute.Map("rc.log.map", attribute.String("k", "v"), attribute.Int64("n", 1))}
		body2 := attribute.MapValue(attribute.String("msg", "rc startup"), attribute.Int64("count", 2))
		var r2 otellog.Record
		r2.SetTimestamp(at(5))
		r2.SetSeverity(otellog.SeverityInfo)
		r2.SetSeverityText("INFO")
		r2.SetBody(body2)
		r2.AddAttributes(l2...)
		logger.Emit(context.Background(), r2)
		logs = []obj{
			{"trace_id": s3.SpanContext().TraceID().String(), "span_id": s3.SpanContext().SpanID().String(),
				"time_unix_nano": ns(40), "severity_number": 17, "severity_text": "ERROR",
				"body": obj{"stringValue": "consume failed for order 42"}, "attributes": kvs(l1)},
			{"trace_id": "", "span_id": "", "time_unix_nano": ns(5), "severity_number": 9, "severity_text": "INFO",
				"body": anyValue(body2), "attributes": kvs(l2)},
		}
	}

	s3.End(trace.WithTimestamp(at(50)))
	s2.End(trace.WithTimestamp(at(60)))
	s4Attrs := []attribute.KeyValue{attribute.String("rc.role", "producer"), attribute.String("rc.queue", "orders")}
	_, s4 := tracer.Start(ctx1, "rc.produce", trace.WithSpanKind(trace.SpanKindProducer),
		trace.WithAttributes(s4Attrs...), trace.WithTimestamp(at(65)))
	s4.SetStatus(codes.Ok, "")
	s4.End(trace.WithTimestamp(at(90)))
	s1.End(trace.WithTimestamp(at(100)))

	record(sb, nil, "rc.linked-target", 1, 0, 5, bAttrs, nil, nil, nil)
	record(s1, nil, "rc.server", 2, 0, 100, s1Attrs, nil, nil, nil)
	record(s2, s1, "rc.client", 3, 10, 60, s2Attrs, nil, nil, nil)
	record(s3, s2, "rc.consume", 5, 20, 50, s3Attrs, []obj{
		{"name": "exception", "time_unix_nano": ns(25), "attributes": kvs([]attribute.KeyValue{
			attribute.String("exception.type", "*errors.errorString"),
			attribute.String("exception.message", "boom: something failed")}),
			"required_keys": []string{"exception.stacktrace"}},
		{"name": "rc.event", "time_unix_nano": ns(30), "attributes": kvs(evAttrs), "required_keys": []string{}},
	}, []obj{{"trace_id": sb.SpanContext().TraceID().String(), "span_id": sb.SpanContext().SpanID().String(),
		"attributes": kvs(linkAttrs)}}, obj{"code": 2, "message": "boom: something failed"})
	record(s4, s1, "rc.produce", 4, 65, 90, s4Attrs, nil, nil, obj{"code": 1, "message": ""})

	failed := false
	fctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := tp.ForceFlush(fctx); err != nil {
		failed = true
		fmt.Fprintf(os.Stderr, "go client: trace flush: %v\n", err)
	}
	if err := tp.Shutdown(fctx); err != nil {
		failed = true
		fmt.Fprintf(os.Stderr, "go client: trace shutdown: %v\n", err)
	}
	if lp != nil {
		if err := lp.ForceFlush(fctx); err != nil {
			failed = true
			fmt.Fprintf(os.Stderr, "go client: log flush: %v\n", err)
		}
		if err := lp.Shutdown(fctx); err != nil {
			failed = true
			fmt.Fprintf(os.Stderr, "go client: log shutdown: %v\n", err)
		}
	}
	if logs == nil {
		logs = []obj{}
	}
	if skipped == nil {
		skipped = []obj{}
	}
	scope := obj{"name": scopeName, "version": scopeVersion, "attributes": kvs(scopeAttrs)}
	doc := obj{
		"lang": "go", "protocol": *protocol, "run_id": *runID, "sdk": sdkVersion, "service_name": service,
		"resource": obj{"attributes": kvs(resAttrs)}, "scope": scope, "log_scope": scope,
		"spans": spans, "logs": logs, "skipped": skipped,
	}
	out, _ := json.Marshal(doc)
	fmt.Println(string(out))
	if failed {
		os.Exit(1)
	}
}
