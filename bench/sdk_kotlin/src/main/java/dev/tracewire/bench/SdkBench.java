package dev.tracewire.bench;

import dev.tracewire.propagation.B3Propagator;
import dev.tracewire.propagation.FirstWinsCompositePropagator;
import dev.tracewire.propagation.GrpcTraceBinPropagator;
import dev.tracewire.propagation.TransInfoGetter;
import dev.tracewire.propagation.TransInfoSetter;
import dev.tracewire.propagation.W3CBaggagePropagator;
import dev.tracewire.propagation.W3CTraceContextPropagator;
import dev.tracewire.tracing.Inject;
import dev.tracewire.tracing.Tracing;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The benchmarks: methods named {@code ours_*} use the tracewire Kotlin SDK, {@code otel_*} the
 * official OpenTelemetry Java SDK (and its propagators) doing the same work; Main pairs them
 * into table rows. Every method returns its result, which JMH sinks into a blackhole. Ours use
 * trans_info (String to byte[]) carriers as the tRPC runtime does; the official ones a HashMap
 * of Strings. Spans go to a TracerProvider whose only processor drops them.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SdkBench {
  private OpenTelemetrySdk otel;
  private Tracer tracer;
  private ServerRun server;
  private ClientRun clientText;
  private ClientRun clientBinary;
  private BareClientRun clientBare;

  private final TextMapPropagator oursTc = new W3CTraceContextPropagator();
  private final TextMapPropagator oursBaggage = new W3CBaggagePropagator();
  private final TextMapPropagator oursBin = new GrpcTraceBinPropagator(false);
  private final TextMapPropagator oursB3 = new B3Propagator(false);
  private final FirstWinsCompositePropagator oursServer = Tracing.INSTANCE.extractPropagator();
  private final TextMapPropagator otelTc =
      io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance();
  private final TextMapPropagator otelBaggage =
      io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator.getInstance();
  private final TextMapPropagator otelB3 =
      io.opentelemetry.extension.trace.propagation.B3Propagator.injectingSingleHeader();
  private final TextMapPropagator otelComposite = TextMapPropagator.composite(otelTc, otelBaggage);

  private Map<String, byte[]> tiTraceparent;
  private Map<String, byte[]> tiBaggage;
  private Map<String, byte[]> tiBoth;
  private Map<String, byte[]> tiBin;
  private Map<String, byte[]> tiB3;
  private Map<String, String> strTraceparent;
  private Map<String, String> strBaggage;
  private Map<String, String> strBoth;
  private Map<String, String> strB3;
  private Context spanContext;
  private Context baggageContext;

  @Setup
  public void setup() {
    otel = Fixtures.sdk();
    tracer = otel.getTracer("bench");
    server = new ServerRun(otel);
    clientText = new ClientRun(otel, Inject.TEXT);
    clientBinary = new ClientRun(otel, Inject.BINARY);
    clientBare = new BareClientRun();
    String tp = Fixtures.TRACEPARENT;
    String bag = Fixtures.BAGGAGE10;
    String b3 = "4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1";
    tiTraceparent = Fixtures.transInfo("traceparent", tp);
    tiBaggage = Fixtures.transInfo("baggage", bag);
    tiBoth = Fixtures.transInfo("traceparent", tp, "baggage", bag);
    tiB3 = Fixtures.transInfo("b3", b3);
    strTraceparent = new HashMap<>(Map.of("traceparent", tp));
    strBaggage = new HashMap<>(Map.of("baggage", bag));
    strBoth = new HashMap<>(Map.of("traceparent", tp, "baggage", bag));
    strB3 = new HashMap<>(Map.of("b3", b3));
    spanContext = otelTc.extract(Context.root(), strTraceparent, MapGetter.INSTANCE);
    baggageContext = otelBaggage.extract(Context.root(), strBaggage, MapGetter.INSTANCE);
    if (Baggage.fromContext(baggageContext).size() != 10) {
      throw new IllegalStateException("the baggage fixture must hold 10 entries");
    }
    tiBin = new LinkedHashMap<>();
    oursBin.inject(spanContext, tiBin, TransInfoSetter.INSTANCE);
  }

  @TearDown
  public void tearDown() {
    otel.close();
  }

  // span: the official SDK alone, the reference for every span row.

  @Benchmark
  public Span otel_span_bare() {
    Span s = tracer.spanBuilder("op").startSpan();
    s.end();
    return s;
  }

  @Benchmark
  public Span otel_span_server_attrs() {
    Span s = serverSpan(Context.root());
    s.end();
    return s;
  }

  private Span serverSpan(Context parent) {
    return tracer
        .spanBuilder(Fixtures.FUNC)
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setAttribute("rpc.system", "trpc")
        .setAttribute("rpc.service", "trpc.test.echo.Echo")
        .setAttribute("rpc.method", "Echo")
        .setAttribute("server.address", "127.0.0.1")
        .setAttribute("server.port", 8000L)
        .setAttribute("network.peer.address", "127.0.0.1")
        .setAttribute("network.peer.port", 40000L)
        .setAttribute("trpc.caller_service", "trpc.app.server.service")
        .setAttribute("trpc.callee_service", "trpc.test.echo.Echo")
        .setAttribute("trpc.callee_method", "Echo")
        .setAttribute("trpc.status_code", 0L)
        .setAttribute("trpc.status_type", 0L)
        .startSpan();
  }

  // server: the interceptor against extract + the same SERVER span made current + end.

  @Benchmark
  public byte[] ours_server() {
    return server.run();
  }

  @Benchmark
  public Span otel_server() {
    Context parent = otelComposite.extract(Context.root(), strTraceparent, MapGetter.INSTANCE);
    Span s = serverSpan(parent);
    try (Scope ignored = parent.with(s).makeCurrent()) {
      return s;
    } finally {
      s.end();
    }
  }

  // client: the interceptor against a CLIENT span + inject into a new map + the answer's
  // attributes (peer, status) + end.

  @Benchmark
  public Object ours_client_text() {
    return clientText.run();
  }

  @Benchmark
  public Object ours_client_binary() {
    return clientBinary.run();
  }

  @Benchmark
  public Object ours_client_bare() {
    return clientBare.run();
  }

  @Benchmark
  public Map<String, String> otel_client() {
    Span s =
        tracer
            .spanBuilder(Fixtures.FUNC)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("rpc.system", "trpc")
            .setAttribute("rpc.service", "trpc.test.echo.Echo")
            .setAttribute("rpc.method", "Echo")
            .setAttribute("server.address", "127.0.0.1")
            .setAttribute("server.port", 8000L)
            .setAttribute("trpc.callee_service", "trpc.test.echo.Echo")
            .setAttribute("trpc.callee_method", "Echo")
            .setAttribute("trpc.caller_service", "kt")
            .startSpan();
    Map<String, String> carrier = new HashMap<>();
    try (Scope ignored = s.makeCurrent()) {
      otelComposite.inject(Context.current(), carrier, MapSetter.INSTANCE);
      // What the interceptor sets once the call answered: the peer and the outcome.
      s.setAttribute("network.peer.address", "127.0.0.1");
      s.setAttribute("network.peer.port", 8000L);
      s.setAttribute("trpc.status_code", 0L);
      s.setAttribute("trpc.status_type", 0L);
    } finally {
      s.end();
    }
    return carrier;
  }

  // extract

  @Benchmark
  public Context ours_extract_traceparent() {
    return oursTc.extract(Context.root(), tiTraceparent, TransInfoGetter.INSTANCE);
  }

  @Benchmark
  public Context otel_extract_traceparent() {
    return otelTc.extract(Context.root(), strTraceparent, MapGetter.INSTANCE);
  }

  @Benchmark
  public Context ours_extract_baggage() {
    return oursBaggage.extract(Context.root(), tiBaggage, TransInfoGetter.INSTANCE);
  }

  @Benchmark
  public Context otel_extract_baggage() {
    return otelBaggage.extract(Context.root(), strBaggage, MapGetter.INSTANCE);
  }

  @Benchmark
  public Context ours_extract_composite() {
    return oursServer.extract(Context.root(), tiBoth, TransInfoGetter.INSTANCE);
  }

  @Benchmark
  public Context otel_extract_composite() {
    return otelComposite.extract(Context.root(), strBoth, MapGetter.INSTANCE);
  }

  @Benchmark
  public Context ours_extract_b3() {
    return oursB3.extract(Context.root(), tiB3, TransInfoGetter.INSTANCE);
  }

  @Benchmark
  public Context otel_extract_b3() {
    return otelB3.extract(Context.root(), strB3, MapGetter.INSTANCE);
  }

  @Benchmark
  public Context ours_extract_bin() {
    return oursBin.extract(Context.root(), tiBin, TransInfoGetter.INSTANCE);
  }

  // inject (into a new carrier each time, as a call does)

  @Benchmark
  public Map<String, byte[]> ours_inject_traceparent() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    oursTc.inject(spanContext, m, TransInfoSetter.INSTANCE);
    return m;
  }

  @Benchmark
  public Map<String, String> otel_inject_traceparent() {
    Map<String, String> m = new HashMap<>();
    otelTc.inject(spanContext, m, MapSetter.INSTANCE);
    return m;
  }

  @Benchmark
  public Map<String, byte[]> ours_inject_baggage() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    oursBaggage.inject(baggageContext, m, TransInfoSetter.INSTANCE);
    return m;
  }

  @Benchmark
  public Map<String, String> otel_inject_baggage() {
    Map<String, String> m = new HashMap<>();
    otelBaggage.inject(baggageContext, m, MapSetter.INSTANCE);
    return m;
  }

  @Benchmark
  public Map<String, byte[]> ours_inject_b3() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    oursB3.inject(spanContext, m, TransInfoSetter.INSTANCE);
    return m;
  }

  @Benchmark
  public Map<String, String> otel_inject_b3() {
    Map<String, String> m = new HashMap<>();
    otelB3.inject(spanContext, m, MapSetter.INSTANCE);
    return m;
  }

  @Benchmark
  public Map<String, byte[]> ours_inject_bin() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    oursBin.inject(spanContext, m, TransInfoSetter.INSTANCE);
    return m;
  }

}
