// Real-clients test, Java: the SCENARIO.md scenario through the official OpenTelemetry Java SDK.
//
//   java -cp CLASSES:LIB/* Client --endpoint URL --protocol http/protobuf|grpc --run-id ID
//
// Exports with the SDK's own OTLP exporters (opentelemetry-exporter-otlp: OtlpHttp*/OtlpGrpc*, OkHttp
// sender), flushes, shuts down, then prints the expectation document (SCENARIO.md) on stdout. The Java
// exporters have no OTLP/HTTP JSON encoding: --protocol http/json exits 3 without sending anything.

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

public final class Client {
  static final String SCOPE_NAME = "tracewire.realclients";
  static final String SCOPE_VERSION = "1.2.3";
  static final long MS = 1_000_000L;

  // ---- expectation rendering: OTLP JSON AnyValue -------------------------------------------------------

  static Map<String, Object> obj(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  static Map<String, Object> any(Object v) {
    if (v instanceof Boolean) return obj("boolValue", v);
    if (v instanceof Long) return obj("intValue", Long.toString((Long) v));
    if (v instanceof Double) return obj("doubleValue", v);
    if (v instanceof String) return obj("stringValue", v);
    if (v instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object x : (List<?>) v) out.add(x instanceof Value ? anyOfValue((Value<?>) x) : any(x));
      return obj("arrayValue", obj("values", out));
    }
    if (v instanceof Value) return anyOfValue((Value<?>) v);
    throw new IllegalArgumentException("unsupported " + v);
  }

  static Map<String, Object> anyOfValue(Value<?> v) {
    switch (v.getType()) {
      case BYTES: {
        ByteBuffer b = ((ByteBuffer) v.getValue()).duplicate();
        byte[] raw = new byte[b.remaining()];
        b.get(raw);
        return obj("bytesValue", Base64.getEncoder().encodeToString(raw));
      }
      case KEY_VALUE_LIST: {
        List<Object> out = new ArrayList<>();
        for (Object o : (List<?>) v.getValue()) {
          KeyValue kv = (KeyValue) o;
          out.add(obj("key", kv.getKey(), "value", anyOfValue(kv.getValue())));
        }
        return obj("kvlistValue", obj("values", out));
      }
      case EMPTY:
        return obj();
      default:
        return any(v.getValue());
    }
  }

  static List<Object> kvs(Attributes attrs) {
    List<Object> out = new ArrayList<>();
    attrs.forEach((k, v) -> out.add(obj("key", k.getKey(), "value", any(v))));
    return out;
  }

  static String json(Object v) {
    StringBuilder sb = new StringBuilder();
    writeJson(sb, v);
    return sb.toString();
  }

  static void writeJson(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String) {
      sb.append('"');
      for (char c : ((String) v).toCharArray()) {
        if (c == '"' || c == '\\') sb.append('\\').append(c);
        else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
        else sb.append(c);
      }
      sb.append('"');
    } else if (v instanceof Boolean || v instanceof Number) {
      sb.append(v);
    } else if (v instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) sb.append(',');
        first = false;
        writeJson(sb, e.getKey());
        sb.append(':');
        writeJson(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof List) {
      sb.append('[');
      boolean first = true;
      for (Object x : (List<?>) v) {
        if (!first) sb.append(',');
        first = false;
        writeJson(sb, x);
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("not JSON: " + v.getClass());
    }
  }

  // ---- the scenario --------------------------------------------------------------------------------------

  public static void main(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    String endpoint = args.getOrDefault("endpoint", "").replaceAll("/+$", "");
    String protocol = args.getOrDefault("protocol", "");
    String runId = args.getOrDefault("run-id", "");
    if (endpoint.isEmpty() || runId.isEmpty()) die(2, "--endpoint and --run-id are required");

    SpanExporter spanExporter;
    LogRecordExporter logExporter;
    switch (protocol) {
      case "http/protobuf":
        spanExporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint + "/v1/traces").build();
        logExporter = OtlpHttpLogRecordExporter.builder().setEndpoint(endpoint + "/v1/logs").build();
        break;
      case "grpc":
        spanExporter = OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build();
        logExporter = OtlpGrpcLogRecordExporter.builder().setEndpoint(endpoint).build();
        break;
      case "http/json":
        die(3, "opentelemetry-java has no OTLP/HTTP JSON exporter (grpc and http/protobuf only)");
        return;
      default:
        die(2, "unknown --protocol " + protocol);
        return;
    }

    String service = "rc-java-" + protocol.replace('/', '-');
    Attributes resAttrs = Attributes.builder()
        .put("service.name", service).put("rc.run_id", runId).put("rc.lang", "java")
        .put("rc.res.int", 42L).put("rc.res.double", 2.5).put("rc.res.bool", true)
        .put(AttributeKey.stringArrayKey("rc.res.strs"), List.of("a", "b")).build();
    Resource resource = Resource.getDefault().merge(Resource.create(resAttrs));
    SdkTracerProvider tp = SdkTracerProvider.builder().setResource(resource)
        .addSpanProcessor(BatchSpanProcessor.builder(spanExporter).build()).build();
    SdkLoggerProvider lp = SdkLoggerProvider.builder().setResource(resource)
        .addLogRecordProcessor(BatchLogRecordProcessor.builder(logExporter).build()).build();
    // The Java TracerBuilder / LoggerBuilder APIs take no scope attributes.
    Tracer tracer = tp.tracerBuilder(SCOPE_NAME).setInstrumentationVersion(SCOPE_VERSION).build();
    Logger logger = lp.loggerBuilder(SCOPE_NAME).setInstrumentationVersion(SCOPE_VERSION).build();

    long t0 = (System.currentTimeMillis() - 2000) * MS;
    List<Object> spans = new ArrayList<>();
    TimeUnit ns = TimeUnit.NANOSECONDS;

    Attributes bAttrs = Attributes.of(AttributeKey.stringKey("rc.role"), "link-target");
    Span sb = tracer.spanBuilder("rc.linked-target").setNoParent().setSpanKind(SpanKind.INTERNAL)
        .setAllAttributes(bAttrs).setStartTimestamp(t0, ns).startSpan();
    sb.end(t0 + 5 * MS, ns);

    Attributes s1Attrs = Attributes.builder().put("rc.role", "root").put("http.request.method", "GET")
        .put("http.response.status_code", 200L).build();
    Span s1 = tracer.spanBuilder("rc.server").setNoParent().setSpanKind(SpanKind.SERVER)
        .setAllAttributes(s1Attrs).setStartTimestamp(t0, ns).startSpan();
    Context ctx1 = Context.root().with(s1);
    // Since 1.5x the Java API also takes bytes and maps as attribute values (AttributeKey.valueKey).
    Attributes s2Attrs = Attributes.builder()
        .put("rc.str", "hello").put("rc.bool", true).put("rc.int", 7L).put("rc.int_neg", -5L)
        .put("rc.int_big", 1234567890123L).put("rc.double", 3.25)
        .put(AttributeKey.stringArrayKey("rc.strs"), List.of("x", "y"))
        .put(AttributeKey.booleanArrayKey("rc.bools"), List.of(true, false))
        .put(AttributeKey.longArrayKey("rc.ints"), List.of(1L, 2L, 3L))
        .put(AttributeKey.doubleArrayKey("rc.doubles"), List.of(1.5, 2.5))
        .put(AttributeKey.valueKey("rc.bytes"), Value.of(new byte[] {1, 2, (byte) 255}))
        .put(AttributeKey.valueKey("rc.map"),
            Value.of(KeyValue.of("k", Value.of("v")), KeyValue.of("n", Value.of(1L))))
        .build();
    Span s2 = tracer.spanBuilder("rc.client").setParent(ctx1).setSpanKind(SpanKind.CLIENT)
        .setAllAttributes(s2Attrs).setStartTimestamp(t0 + 10 * MS, ns).startSpan();
    Context ctx2 = ctx1.with(s2);
    Attributes linkAttrs = Attributes.builder().put("rc.link.str", "linked").put("rc.link.int", 1L).build();
    Attributes s3Attrs = Attributes.of(AttributeKey.stringKey("rc.role"), "grandchild");
    Span s3 = tracer.spanBuilder("rc.consume").setParent(ctx2).setSpanKind(SpanKind.CONSUMER)
        .setAllAttributes(s3Attrs).addLink(sb.getSpanContext(), linkAttrs)
        .setStartTimestamp(t0 + 20 * MS, ns).startSpan();
    // recordException takes no timestamp in the Java API: the event carries the current time.
    s3.recordException(new IllegalStateException("boom: something failed"));
    Attributes evAttrs = Attributes.builder().put("rc.event.str", "ev").put("rc.event.int", 5L)
        .put("rc.event.bool", false).put("rc.event.double", 0.5)
        .put(AttributeKey.stringArrayKey("rc.event.strs"), List.of("e1", "e2")).build();
    s3.addEvent("rc.event", evAttrs, t0 + 30 * MS, ns);
    s3.setStatus(StatusCode.ERROR, "boom: something failed");

    Attributes log1Attrs = Attributes.builder().put("rc.log.str", "a").put("rc.log.int", 3L)
        .put("rc.log.double", 1.25).put("rc.log.bool", true)
        .put(AttributeKey.stringArrayKey("rc.log.strs"), List.of("p", "q")).build();
    logger.logRecordBuilder().setTimestamp(t0 + 40 * MS, ns).setContext(Context.root().with(s3))
        .setSeverity(Severity.ERROR).setSeverityText("ERROR").setBody("consume failed for order 42")
        .setAllAttributes(log1Attrs).emit();
    Value<?> log2Body = Value.of(KeyValue.of("msg", Value.of("rc startup")), KeyValue.of("count", Value.of(2L)));
    Attributes log2Attrs = Attributes.builder().put("rc.log.str", "b")
        .put(AttributeKey.valueKey("rc.log.bytes"), Value.of(new byte[] {1, 2, (byte) 255}))
        .put(AttributeKey.valueKey("rc.log.map"),
            Value.of(KeyValue.of("k", Value.of("v")), KeyValue.of("n", Value.of(1L))))
        .build();
    logger.logRecordBuilder().setTimestamp(t0 + 5 * MS, ns).setContext(Context.root())
        .setSeverity(Severity.INFO).setSeverityText("INFO").setBody(log2Body).setAllAttributes(log2Attrs).emit();

    s3.end(t0 + 50 * MS, ns);
    s2.end(t0 + 60 * MS, ns);
    Attributes s4Attrs = Attributes.builder().put("rc.role", "producer").put("rc.queue", "orders").build();
    Span s4 = tracer.spanBuilder("rc.produce").setParent(ctx1).setSpanKind(SpanKind.PRODUCER)
        .setAllAttributes(s4Attrs).setStartTimestamp(t0 + 65 * MS, ns).startSpan();
    s4.setStatus(StatusCode.OK);
    s4.end(t0 + 90 * MS, ns);
    s1.end(t0 + 100 * MS, ns);

    spans.add(span(sb, null, "rc.linked-target", 1, t0, t0 + 5 * MS, bAttrs, List.of(), List.of(), 0, ""));
    spans.add(span(s1, null, "rc.server", 2, t0, t0 + 100 * MS, s1Attrs, List.of(), List.of(), 0, ""));
    spans.add(span(s2, s1, "rc.client", 3, t0 + 10 * MS, t0 + 60 * MS, s2Attrs, List.of(), List.of(), 0, ""));
    Attributes excAttrs = Attributes.builder().put("exception.type", "java.lang.IllegalStateException")
        .put("exception.message", "boom: something failed").build();
    List<Object> events = List.of(
        obj("name", "exception", "time_unix_nano", null, "attributes", kvs(excAttrs),
            "required_keys", List.of("exception.stacktrace")),
        obj("name", "rc.event", "time_unix_nano", Long.toString(t0 + 30 * MS), "attributes", kvs(evAttrs),
            "required_keys", List.of()));
    List<Object> links = List.of(obj("trace_id", sb.getSpanContext().getTraceId(),
        "span_id", sb.getSpanContext().getSpanId(), "attributes", kvs(linkAttrs)));
    spans.add(span(s3, s2, "rc.consume", 5, t0 + 20 * MS, t0 + 50 * MS, s3Attrs, events, links, 2,
        "boom: something failed"));
    spans.add(span(s4, s1, "rc.produce", 4, t0 + 65 * MS, t0 + 90 * MS, s4Attrs, List.of(), List.of(), 1, ""));

    List<Object> logs = List.of(
        obj("trace_id", s3.getSpanContext().getTraceId(), "span_id", s3.getSpanContext().getSpanId(),
            "time_unix_nano", Long.toString(t0 + 40 * MS), "severity_number", 17, "severity_text", "ERROR",
            "body", any("consume failed for order 42"), "attributes", kvs(log1Attrs)),
        obj("trace_id", "", "span_id", "", "time_unix_nano", Long.toString(t0 + 5 * MS),
            "severity_number", 9, "severity_text", "INFO", "body", anyOfValue(log2Body),
            "attributes", kvs(log2Attrs)));

    boolean ok = tp.forceFlush().join(15, TimeUnit.SECONDS).isSuccess();
    ok &= lp.forceFlush().join(15, TimeUnit.SECONDS).isSuccess();
    CompletableResultCode.ofAll(List.of(tp.shutdown(), lp.shutdown())).join(15, TimeUnit.SECONDS);

    Map<String, Object> scope = obj("name", SCOPE_NAME, "version", SCOPE_VERSION, "attributes", List.of());
    Map<String, Object> doc = obj(
        "lang", "java", "protocol", protocol, "run_id", runId,
        "sdk", "opentelemetry-java " + resource.getAttribute(AttributeKey.stringKey("telemetry.sdk.version")),
        "service_name", service, "resource", obj("attributes", kvs(resAttrs)), "scope", scope,
        "log_scope", scope, "spans", spans, "logs", logs, "skipped", List.of());
    System.out.println(json(doc));
    if (!ok) die(1, "force flush reported failure");
  }

  static Map<String, Object> span(Span s, Span parent, String name, int kind, long start, long end,
      Attributes attrs, List<Object> events, List<Object> links, int code, String message) {
    return obj("trace_id", s.getSpanContext().getTraceId(), "span_id", s.getSpanContext().getSpanId(),
        "parent_span_id", parent == null ? "" : parent.getSpanContext().getSpanId(), "name", name,
        "kind", kind, "start_time_unix_nano", Long.toString(start), "end_time_unix_nano", Long.toString(end),
        "attributes", kvs(attrs), "events", events, "links", links,
        "status", obj("code", code, "message", message));
  }

  static void die(int code, String msg) {
    System.err.println("java client: " + msg);
    System.exit(code);
  }
}
