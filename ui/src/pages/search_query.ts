// The search form's state as URL parameters (so a search can be shared) and as the native API's
// /api/v1/traces parameters.

export interface SearchQuery {
  service: string;
  operation: string;
  attrs: string[]; // "key=value"
  errors: boolean;
  minDuration: string; // Go duration ("10ms") or ""
  maxDuration: string;
  lookback: string; // "15m" ... "7d", or "custom"
  start: string; // datetime-local values, for lookback "custom"
  end: string;
  limit: number;
}

export const LOOKBACKS: [string, string][] = [
  ["5m", "Last 5 minutes"],
  ["15m", "Last 15 minutes"],
  ["1h", "Last hour"],
  ["6h", "Last 6 hours"],
  ["24h", "Last 24 hours"],
  ["2d", "Last 2 days"],
  ["7d", "Last 7 days"],
  ["all", "All time"],
  ["custom", "Custom range"],
];

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

export function lookbackMs(lookback: string): number | null {
  const m = /^(\d+)([mhd])$/.exec(lookback);
  return m ? Number(m[1]) * UNIT_MS[m[2]] : null;
}

export function queryFromUrl(params: URLSearchParams): SearchQuery {
  const limit = Number(params.get("limit") ?? "20");
  return {
    service: params.get("service") ?? "",
    operation: params.get("operation") ?? "",
    attrs: params.getAll("attr").filter((a) => a.includes("=")),
    errors: params.get("errors") === "true",
    minDuration: params.get("minDuration") ?? "",
    maxDuration: params.get("maxDuration") ?? "",
    lookback: params.get("lookback") ?? "1h",
    start: params.get("start") ?? "",
    end: params.get("end") ?? "",
    limit: Number.isFinite(limit) && limit > 0 ? Math.min(Math.floor(limit), 1500) : 20,
  };
}

// The filters both forms share (the names are the API's).
function filterParams(q: SearchQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (q.service) p.set("service", q.service);
  if (q.operation) p.set("operation", q.operation);
  for (const a of q.attrs) p.append("attr", a);
  if (q.errors) p.set("errors", "true");
  if (q.minDuration) p.set("minDuration", q.minDuration);
  if (q.maxDuration) p.set("maxDuration", q.maxDuration);
  return p;
}

export function queryToUrl(q: SearchQuery): URLSearchParams {
  const p = filterParams(q);
  p.set("lookback", q.lookback);
  if (q.lookback === "custom") {
    if (q.start) p.set("start", q.start);
    if (q.end) p.set("end", q.end);
  }
  p.set("limit", String(q.limit));
  return p;
}

// datetime-local text (local time) → ns since the epoch, or null.
function localToNs(text: string): bigint | null {
  if (!text) return null;
  const ms = new Date(text).getTime();
  return Number.isFinite(ms) ? BigInt(ms) * 1_000_000n : null;
}

// The /api/v1/traces parameters for `q` at wall time `nowMs`.
export function queryToApi(q: SearchQuery, nowMs: number): URLSearchParams {
  const p = filterParams(q);
  const back = lookbackMs(q.lookback);
  if (back !== null) {
    p.set("start", String(BigInt(Math.floor(nowMs - back)) * 1_000_000n));
    p.set("end", String(BigInt(Math.floor(nowMs) + 1000) * 1_000_000n));
  } else if (q.lookback === "custom") {
    const s = localToNs(q.start);
    const e = localToNs(q.end);
    if (s !== null) p.set("start", String(s));
    if (e !== null) p.set("end", String(e));
  }
  p.set("limit", String(q.limit));
  return p;
}

// "k=v k2=v2" or one per line → ["k=v", "k2=v2"].
export function parseAttrs(text: string): string[] {
  return text
    .split(/[\n\s]+/)
    .map((s) => s.trim())
    .filter((s) => s.includes("=") && !s.startsWith("="));
}
