#!/usr/bin/env node
// Real-clients test, Node: the SCENARIO.md scenario through the official OpenTelemetry JS SDK.
//
//   node client.js --endpoint URL --protocol http/protobuf|http/json|grpc --run-id ID
//
// Exports with the SDK's own OTLP exporters (@opentelemetry/exporter-{trace,logs}-otlp-{proto,http,grpc}),
// flushes, shuts down, then prints the expectation document (SCENARIO.md) on stdout.
// Node resolves the packages from NODE_PATH (scripts/install-realclients.sh installs them with npm ci).
'use strict';

const api = require('@opentelemetry/api');
const { resourceFromAttributes, defaultResource } = require('@opentelemetry/resources');
const { TracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace');
const { LoggerProvider, BatchLogRecordProcessor } = require('@opentelemetry/sdk-logs');

const SCOPE_NAME = 'tracewire.realclients';
const SCOPE_VERSION = '1.2.3';
const MS = 1000000n;

function parseArgs(argv) {
  const out = {};
  for (let i = 2; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const k of ['endpoint', 'protocol', 'run-id']) {
    if (!out[k]) throw new Error(`missing --${k}`);
  }
  return out;
}

// Typed value for the expectation document: T.int(7) is an OTLP intValue, a plain JS number a double.
class Typed {
  constructor(kind, v) { this.kind = kind; this.v = v; }
}
const T = { int: (v) => new Typed('int', v) };

function native(v) {
  if (v instanceof Typed) return v.v;
  if (Array.isArray(v)) return v.map(native);
  if (v instanceof Uint8Array) return v;
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, native(x)]));
  }
  return v;
}

function anyValue(v) {
  if (v instanceof Typed) return { intValue: String(v.v) };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return { doubleValue: v };
  if (typeof v === 'string') return { stringValue: v };
  if (v instanceof Uint8Array) return { bytesValue: Buffer.from(v).toString('base64') };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  return { kvlistValue: { values: kvs(v) } };
}
const kvs = (o) => Object.entries(o).map(([key, v]) => ({ key, value: anyValue(v) }));
const hr = (ns) => [Number(ns / 1000000000n), Number(ns % 1000000000n)];

function exporters(protocol, endpoint) {
  const base = endpoint.replace(/\/+$/, '');
  if (protocol === 'http/protobuf') {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
    const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-proto');
    return [new OTLPTraceExporter({ url: `${base}/v1/traces` }), new OTLPLogExporter({ url: `${base}/v1/logs` })];
  }
  if (protocol === 'http/json') {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
    const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-http');
    return [new OTLPTraceExporter({ url: `${base}/v1/traces` }), new OTLPLogExporter({ url: `${base}/v1/logs` })];
  }
  if (protocol === 'grpc') {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-grpc');
    const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-grpc');
    return [new OTLPTraceExporter({ url: base }), new OTLPLogExporter({ url: base })];
  }
  throw new Error(`unknown protocol ${protocol}`);
}

async function main() {
  const args = parseArgs(process.argv);
  const protocol = args.protocol;
  const service = `rc-node-${protocol.replace('/', '-')}`;
  const resAttrs = {
    'service.name': service, 'rc.run_id': args['run-id'], 'rc.lang': 'node', 'rc.res.int': T.int(42),
    'rc.res.double': 2.5, 'rc.res.bool': true, 'rc.res.strs': ['a', 'b'],
  };
  const resource = defaultResource().merge(resourceFromAttributes(native(resAttrs)));
  const [spanExporter, logExporter] = exporters(protocol, args.endpoint);
  const tp = new TracerProvider({ resource, spanProcessors: [new BatchSpanProcessor({ exporter: spanExporter })] });
  const lp = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: logExporter })] });
  // The JS tracer API takes no scope attributes (TracerOptions has schemaUrl only); the logger API does.
  const scopeAttrs = { 'rc.scope.str': 'scope-value' };
  const tracer = tp.getTracer(SCOPE_NAME, SCOPE_VERSION);
  const logger = lp.getLogger(SCOPE_NAME, SCOPE_VERSION, { attributes: scopeAttrs });

  const t0 = (BigInt(Date.now()) - 2000n) * MS;
  const at = (ms) => t0 + BigInt(ms) * MS;
  const spans = [];
  const ids = (s) => s.spanContext();
  function record(span, parent, name, kind, startMs, endMs, attrs, extra = {}) {
    spans.push({
      trace_id: ids(span).traceId, span_id: ids(span).spanId, parent_span_id: parent ? ids(parent).spanId : '',
      name, kind: kind + 1, start_time_unix_nano: String(at(startMs)), end_time_unix_nano: String(at(endMs)),
      attributes: kvs(attrs), events: extra.events || [], links: extra.links || [],
      status: extra.status || { code: 0, message: '' },
    });
  }
  const root = api.ROOT_CONTEXT;
  const K = api.SpanKind;

  const bAttrs = { 'rc.role': 'link-target' };
  const sb = tracer.startSpan('rc.linked-target', { kind: K.INTERNAL, attributes: native(bAttrs), startTime: hr(at(0)) }, root);
  sb.end(hr(at(5)));

  const s1Attrs = { 'rc.role': 'root', 'http.request.method': 'GET', 'http.response.status_code': T.int(200) };
  const s1 = tracer.startSpan('rc.server', { kind: K.SERVER, attributes: native(s1Attrs), startTime: hr(at(0)) }, root);
  const ctx1 = api.trace.setSpan(root, s1);
  // The JS SDK 3.x also takes bytes and maps as span attribute values (core's isAnyValue).
  const s2Attrs = {
    'rc.str': 'hello', 'rc.bool': true, 'rc.int': T.int(7), 'rc.int_neg': T.int(-5),
    'rc.int_big': T.int(1234567890123), 'rc.double': 3.25, 'rc.strs': ['x', 'y'], 'rc.bools': [true, false],
    'rc.ints': [T.int(1), T.int(2), T.int(3)], 'rc.doubles': [1.5, 2.5],
    'rc.bytes': new Uint8Array([1, 2, 255]), 'rc.map': { k: 'v', n: T.int(1) },
  };
  const s2 = tracer.startSpan('rc.client', { kind: K.CLIENT, attributes: native(s2Attrs), startTime: hr(at(10)) }, ctx1);
  const ctx2 = api.trace.setSpan(ctx1, s2);
  const linkAttrs = { 'rc.link.str': 'linked', 'rc.link.int': T.int(1) };
  const s3Attrs = { 'rc.role': 'grandchild' };
  const s3 = tracer.startSpan('rc.consume', {
    kind: K.CONSUMER, attributes: native(s3Attrs), startTime: hr(at(20)),
    links: [{ context: sb.spanContext(), attributes: native(linkAttrs) }],
  }, ctx2);
  s3.recordException(new Error('boom: something failed'), hr(at(25)));
  const evAttrs = {
    'rc.event.str': 'ev', 'rc.event.int': T.int(5), 'rc.event.bool': false, 'rc.event.double': 0.5,
    'rc.event.strs': ['e1', 'e2'],
  };
  s3.addEvent('rc.event', native(evAttrs), hr(at(30)));
  s3.setStatus({ code: api.SpanStatusCode.ERROR, message: 'boom: something failed' });

  const log1Attrs = {
    'rc.log.str': 'a', 'rc.log.int': T.int(3), 'rc.log.double': 1.25, 'rc.log.bool': true, 'rc.log.strs': ['p', 'q'],
  };
  logger.emit({
    timestamp: hr(at(40)), context: api.trace.setSpan(root, s3), severityNumber: api.SeverityNumber.ERROR,
    severityText: 'ERROR', body: 'consume failed for order 42', attributes: native(log1Attrs),
  });
  const log2Body = { msg: 'rc startup', count: T.int(2) };
  const log2Attrs = { 'rc.log.str': 'b', 'rc.log.bytes': new Uint8Array([1, 2, 255]), 'rc.log.map': { k: 'v', n: T.int(1) } };
  logger.emit({
    timestamp: hr(at(5)), context: root, severityNumber: api.SeverityNumber.INFO, severityText: 'INFO',
    body: native(log2Body), attributes: native(log2Attrs),
  });

  s3.end(hr(at(50)));
  s2.end(hr(at(60)));
  const s4Attrs = { 'rc.role': 'producer', 'rc.queue': 'orders' };
  const s4 = tracer.startSpan('rc.produce', { kind: K.PRODUCER, attributes: native(s4Attrs), startTime: hr(at(65)) }, ctx1);
  s4.setStatus({ code: api.SpanStatusCode.OK });
  s4.end(hr(at(90)));
  s1.end(hr(at(100)));

  record(sb, null, 'rc.linked-target', K.INTERNAL, 0, 5, bAttrs);
  record(s1, null, 'rc.server', K.SERVER, 0, 100, s1Attrs);
  record(s2, s1, 'rc.client', K.CLIENT, 10, 60, s2Attrs);
  record(s3, s2, 'rc.consume', K.CONSUMER, 20, 50, s3Attrs, {
    events: [
      { name: 'exception', time_unix_nano: String(at(25)),
        attributes: kvs({ 'exception.type': 'Error', 'exception.message': 'boom: something failed' }),
        required_keys: ['exception.stacktrace'] },
      { name: 'rc.event', time_unix_nano: String(at(30)), attributes: kvs(evAttrs), required_keys: [] },
    ],
    links: [{ trace_id: sb.spanContext().traceId, span_id: sb.spanContext().spanId, attributes: kvs(linkAttrs) }],
    status: { code: 2, message: 'boom: something failed' },
  });
  record(s4, s1, 'rc.produce', K.PRODUCER, 65, 90, s4Attrs, { status: { code: 1, message: '' } });

  const logs = [
    { trace_id: s3.spanContext().traceId, span_id: s3.spanContext().spanId, time_unix_nano: String(at(40)),
      severity_number: 17, severity_text: 'ERROR', body: anyValue('consume failed for order 42'),
      attributes: kvs(log1Attrs) },
    { trace_id: '', span_id: '', time_unix_nano: String(at(5)), severity_number: 9, severity_text: 'INFO',
      body: anyValue(log2Body), attributes: kvs(log2Attrs) },
  ];

  let failed = false;
  await tp.forceFlush().catch((e) => { failed = true; console.error('node client: trace flush:', e); });
  await lp.forceFlush().catch((e) => { failed = true; console.error('node client: log flush:', e); });
  await tp.shutdown();
  await lp.shutdown();
  const pkgJson = require('path').join(require.resolve('@opentelemetry/sdk-trace'), '..', '..', 'package.json');
  const sdkVersion = JSON.parse(require('fs').readFileSync(pkgJson, 'utf8')).version;
  const doc = {
    lang: 'node', protocol, run_id: args['run-id'], sdk: `opentelemetry-js sdk-trace ${sdkVersion}`,
    service_name: service, resource: { attributes: kvs(resAttrs) },
    scope: { name: SCOPE_NAME, version: SCOPE_VERSION, attributes: [] },
    log_scope: { name: SCOPE_NAME, version: SCOPE_VERSION, attributes: kvs(scopeAttrs) },
    spans, logs, skipped: [],
  };
  process.stdout.write(`${JSON.stringify(doc)}\n`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
