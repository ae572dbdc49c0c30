import type { CompactTrace } from "../src/api";

export interface SpecSpan {
  id: number; // becomes a 16-digit hex span id
  parent?: number; // index into the list, -1 or absent for a root
  start: number; // ns
  duration: number; // ns
  service?: string;
  name?: string;
  status?: number;
}

// A compact trace in the server's shape; spans must be given in start order.
export function compact(spans: SpecSpan[], orphans: { index: number; parentSpanId: string }[] = []): CompactTrace {
  const services: string[] = [];
  const names: string[] = [];
  const intern = (table: string[], s: string) => {
    const at = table.indexOf(s);
    if (at >= 0) return at;
    table.push(s);
    return table.length - 1;
  };
  const end = spans.reduce((e, s) => Math.max(e, s.start + s.duration), 0);
  return {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    startTimeUnixNano: "1700000000000000000",
    durationNano: String(end),
    spanCount: spans.length,
    services,
    names,
    spanIds: spans.map((s) => s.id.toString(16).padStart(16, "0")).join(""),
    parent: spans.map((s) => s.parent ?? -1),
    start: spans.map((s) => s.start),
    duration: spans.map((s) => s.duration),
    service: spans.map((s) => intern(services, s.service ?? "svc")),
    name: spans.map((s, i) => intern(names, s.name ?? `span${i}`)),
    status: spans.map((s) => s.status ?? 0),
    kind: spans.map(() => 1),
    flags: spans.map(() => 0),
    orphans,
  };
}
