// OTLP/JSON values as text for the detail pane and the logs tab.
import type { AnyValue, KeyValue } from "../api";

export function valueText(v: AnyValue | undefined): string {
  if (!v) return "";
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return String(v.boolValue);
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  if (v.bytesValue !== undefined) return `base64:${v.bytesValue}`;
  if (v.arrayValue) return `[${(v.arrayValue.values ?? []).map(valueText).join(", ")}]`;
  if (v.kvlistValue) return `{${(v.kvlistValue.values ?? []).map((kv) => `${kv.key}: ${valueText(kv.value)}`).join(", ")}}`;
  return "";
}

export function attr(attrs: KeyValue[] | undefined, key: string): string | undefined {
  const kv = attrs?.find((a) => a.key === key);
  return kv ? valueText(kv.value) : undefined;
}

// An exception event's fields (OpenTelemetry semantic conventions), or null for other events.
export interface ExceptionInfo {
  type: string;
  message: string;
  stacktrace: string;
  escaped?: string;
}

export function exceptionOf(name: string | undefined, attrs: KeyValue[] | undefined): ExceptionInfo | null {
  if (name !== "exception") return null;
  return {
    type: attr(attrs, "exception.type") ?? "",
    message: attr(attrs, "exception.message") ?? "",
    stacktrace: attr(attrs, "exception.stacktrace") ?? "",
    escaped: attr(attrs, "exception.escaped"),
  };
}

export const SEVERITY_LEVELS = [
  { name: "TRACE", min: 1 },
  { name: "DEBUG", min: 5 },
  { name: "INFO", min: 9 },
  { name: "WARN", min: 13 },
  { name: "ERROR", min: 17 },
  { name: "FATAL", min: 21 },
];

// SeverityNumber (1-24) → TRACE..FATAL; 0 → "" (unspecified).
export function severityName(n: number | undefined): string {
  if (!n) return "";
  let name = "";
  for (const level of SEVERITY_LEVELS) if (n >= level.min) name = level.name;
  return name;
}
