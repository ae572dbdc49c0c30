// JSON log lines on stdout, each with the current request's trace_id, span_id and request_id
// (from trace_headers.ts), and the same records sent as OTLP/HTTP JSON to
// $OTEL_EXPORTER_OTLP_ENDPOINT/v1/logs when that is set, so they show beside the trace. Sending is
// best effort: a bounded buffer flushed once a second, a short timeout, records dropped when the
// collector is slow or down; requests never wait on it.
import { currentLogIds } from "./trace_headers.js";

type Level = "debug" | "info" | "warn" | "error";
type Fields = Record<string, string | number | boolean>;

const SEVERITY: Record<Level, number> = { debug: 5, info: 9, warn: 13, error: 17 };
const MAX_BUFFERED = 1024; // records; past it new ones are not exported (still printed)
const FLUSH_MS = 1000;
const EXPORT_TIMEOUT_MS = 2000;

interface OtlpLogRecord {
  timeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: { stringValue: string };
  traceId?: string;
  spanId?: string;
  attributes: { key: string; value: { stringValue: string } }[];
}

export class Logger {
  private readonly buffer: OtlpLogRecord[] = [];
  private readonly endpoint: string | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  dropped = 0;

  constructor(private readonly service: string) {
    const base = process.env["OTEL_EXPORTER_OTLP_ENDPOINT"];
    this.endpoint = base ? `${base.replace(/\/+$/, "")}/v1/logs` : undefined;
    if (this.endpoint !== undefined) {
      this.timer = setInterval(() => void this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  info(msg: string, fields: Fields = {}): void {
    this.write("info", msg, fields);
  }
  warn(msg: string, fields: Fields = {}): void {
    this.write("warn", msg, fields);
  }
  error(msg: string, fields: Fields = {}): void {
    this.write("error", msg, fields);
  }

  // Sends what is buffered (one POST); resolves when it is sent or has failed.
  async flush(): Promise<void> {
    if (this.endpoint === undefined || this.buffer.length === 0) return;
    const records = this.buffer.splice(0, this.buffer.length);
    const payload = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: this.service } }] },
          scopeLogs: [{ scope: { name: "tracewire-example-mesh" }, logRecords: records }],
        },
      ],
    };
    try {
      const rsp = await fetch(this.endpoint, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS),
      });
      if (!rsp.ok) this.dropped += records.length;
      await rsp.arrayBuffer();
    } catch {
      this.dropped += records.length;
    }
  }

  private write(level: Level, msg: string, fields: Fields): void {
    const now = Date.now();
    const ids = currentLogIds();
    const line = { time: new Date(now).toISOString(), level, service: this.service, msg, ...ids, ...fields };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    if (this.endpoint === undefined) return;
    if (this.buffer.length >= MAX_BUFFERED) {
      this.dropped++;
      return;
    }
    const attribute = (key: string, value: string | number | boolean) => ({ key, value: { stringValue: String(value) } });
    const attributes = Object.entries(fields).map(([key, value]) => attribute(key, value));
    if (ids.request_id !== undefined) attributes.push(attribute("http.request_id", ids.request_id));
    const record: OtlpLogRecord = {
      timeUnixNano: `${now}000000`,
      severityNumber: SEVERITY[level],
      severityText: level.toUpperCase(),
      body: { stringValue: msg },
      attributes,
    };
    if (ids.trace_id !== undefined) record.traceId = ids.trace_id;
    if (ids.span_id !== undefined) record.spanId = ids.span_id;
    this.buffer.push(record);
  }
}
