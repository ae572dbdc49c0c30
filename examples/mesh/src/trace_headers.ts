// The services' only tracing-aware code. They run no tracing SDK: the sidecars make every span.
// What a sidecar cannot know is which outgoing call belongs to which incoming request, so each
// request's trace headers are kept in AsyncLocalStorage for the time it is served (the tRPC
// middleware `keepTraceHeaders`), read by the logger (trace_id in every line) and copied onto
// every outgoing call (`outgoingTraceHeaders`). Nothing here parses or changes a context.
import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingHttpHeaders } from "node:http";

// Lower-case header names, as Node gives them. W3C trace context and baggage, the request id,
// and B3 in its single and multi-header forms (for a sidecar configured to write those).
export const TRACE_HEADER_NAMES: readonly string[] = [
  "traceparent",
  "tracestate",
  "baggage",
  "x-request-id",
  "b3",
  "x-b3-traceid",
  "x-b3-spanid",
  "x-b3-parentspanid",
  "x-b3-sampled",
  "x-b3-flags",
];

export type TraceHeaders = Readonly<Record<string, string>>;

const MAX_HEADER_BYTES = 8192; // a longer value is not carried (nor is it valid in any format)

const current = new AsyncLocalStorage<TraceHeaders>();

// The trace headers of an incoming request (a repeated header keeps its first value).
export function pickTraceHeaders(headers: IncomingHttpHeaders): TraceHeaders {
  const picked: Record<string, string> = {};
  for (const name of TRACE_HEADER_NAMES) {
    const raw = headers[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined && value.length <= MAX_HEADER_BYTES) picked[name] = value;
  }
  return picked;
}

// Runs `fn` (and every async continuation it starts) with `headers` as the current ones.
export function withTraceHeaders<T>(headers: TraceHeaders, fn: () => T): T {
  return current.run(headers, fn);
}

// The headers to put on an outgoing call made while serving the current request ({} outside one).
export function outgoingTraceHeaders(): TraceHeaders {
  return current.getStore() ?? {};
}

// trace_id / parent span id / request id of the current request, for log lines. The span id is
// the one in traceparent: the span of the inbound sidecar that forwarded this request.
export function currentLogIds(): { trace_id?: string; span_id?: string; request_id?: string } {
  const headers = current.getStore();
  if (headers === undefined) return {};
  const ids: { trace_id?: string; span_id?: string; request_id?: string } = {};
  // traceparent: version "-" trace-id (32 hex) "-" parent-id (16 hex) "-" flags
  const parts = headers["traceparent"]?.split("-");
  if (parts !== undefined && parts.length >= 4 && parts[1]?.length === 32 && parts[2]?.length === 16) {
    ids.trace_id = parts[1];
    ids.span_id = parts[2];
  } else if (headers["b3"] !== undefined) {
    const [traceId, spanId] = headers["b3"].split("-");
    if (traceId !== undefined && spanId !== undefined) {
      ids.trace_id = traceId.padStart(32, "0");
      ids.span_id = spanId;
    }
  }
  const requestId = headers["x-request-id"];
  if (requestId !== undefined) ids.request_id = requestId;
  return ids;
}
