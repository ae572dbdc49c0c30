// The query API the UI reads (src/query/README.md): native /api/v1 routes only.

export interface ServiceCount {
  service: string;
  spanCount: number;
  errorCount: number;
}

export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootOperation: string;
  startTimeUnixNano: string;
  durationNano: string;
  spanCount: number;
  errorCount: number;
  services: ServiceCount[];
}

// GET /api/v1/traces/{id}/compact: one array entry per span, spans in start order.
export interface CompactTrace {
  traceId: string;
  startTimeUnixNano: string;
  durationNano: string;
  spanCount: number;
  services: string[];
  names: string[];
  spanIds: string; // 16 hex digits per span
  parent: number[]; // index, -1 for roots and orphans
  start: number[]; // ns after startTimeUnixNano
  duration: number[]; // ns
  service: number[];
  name: number[];
  status: number[]; // 0 unset, 1 ok, 2 error
  kind: number[]; // OTLP SpanKind
  flags: number[]; // FLAG_* bits
  orphans: { index: number; parentSpanId: string }[];
}

export const FLAG_ORPHAN = 1;
export const FLAG_EVENTS = 2;
export const FLAG_EXCEPTION = 4;
export const FLAG_LINKS = 8;

export interface Dependency {
  parent: string;
  child: string;
  callCount: number;
  errorCount: number;
  durationP50Nano: string;
  durationP99Nano: string;
}

// OTLP/JSON pieces (lowerCamelCase, 64-bit integers as strings).
export interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
}
export interface KeyValue {
  key: string;
  value?: AnyValue;
}
export interface OtlpEvent {
  timeUnixNano?: string;
  name?: string;
  attributes?: KeyValue[];
}
export interface OtlpLink {
  traceId: string;
  spanId: string;
  traceState?: string;
  attributes?: KeyValue[];
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: KeyValue[];
  events?: OtlpEvent[];
  links?: OtlpLink[];
  status?: { code?: number; message?: string };
  flags?: number;
}
export interface OtlpTraces {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: { scope?: { name?: string; version?: string }; spans?: OtlpSpan[] }[];
  }[];
}
export interface OtlpLogRecord {
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  body?: AnyValue;
  attributes?: KeyValue[];
  traceId?: string;
  spanId?: string;
}
export interface OtlpLogs {
  resourceLogs?: {
    resource?: { attributes?: KeyValue[] };
    scopeLogs?: { scope?: { name?: string }; logRecords?: OtlpLogRecord[] }[];
  }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

declare global {
  interface Window {
    __twPrefetch?: { id: string; response: Promise<Response> };
  }
}

// The compact trace index.html started fetching at page load, taken once.
function takePrefetch(id: string): Promise<Response> | undefined {
  const p = window.__twPrefetch;
  if (!p || p.id !== id) return undefined;
  window.__twPrefetch = undefined;
  return p.response;
}

async function getJson<T>(path: string, signal?: AbortSignal, started?: Promise<Response>): Promise<T> {
  const response = await (started ?? fetch(path, { signal, headers: { Accept: "application/json" } }));
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { error?: { message?: string } };
      if (body.error?.message) message = body.error.message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(response.status, message);
  }
  return (await response.json()) as T;
}

const enc = encodeURIComponent;

export const api = {
  services: (signal?: AbortSignal) =>
    getJson<{ services: string[] }>("/api/v1/services", signal).then((r) => r.services),
  operations: (service: string, signal?: AbortSignal) =>
    getJson<{ operations: { name: string; spanKind: string }[] }>(
      `/api/v1/services/${enc(service)}/operations`,
      signal,
    ).then((r) => r.operations),
  search: (params: URLSearchParams, signal?: AbortSignal) =>
    getJson<{ traces: TraceSummary[] }>(`/api/v1/traces?${params.toString()}`, signal).then(
      (r) => r.traces,
    ),
  compactTrace: (id: string, signal?: AbortSignal) =>
    getJson<CompactTrace>(`/api/v1/traces/${enc(id)}/compact`, signal, takePrefetch(id)),
  span: (traceId: string, spanId: string, signal?: AbortSignal) =>
    getJson<OtlpTraces>(`/api/v1/traces/${enc(traceId)}/spans/${enc(spanId)}`, signal),
  logs: (traceId: string, signal?: AbortSignal) =>
    getJson<OtlpLogs>(`/api/v1/traces/${enc(traceId)}/logs`, signal),
  dependencies: (startNs: bigint, endNs: bigint, signal?: AbortSignal) =>
    getJson<{ dependencies: Dependency[] }>(
      `/api/v1/dependencies?start=${startNs}&end=${endNs}`,
      signal,
    ).then((r) => r.dependencies),
};
