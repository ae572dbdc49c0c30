// Formatting of durations, times and ids for display.

// ns → "1.23 s", "45.6 ms", "789 µs", "12 ns".
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return "—";
  const abs = Math.abs(ns);
  if (abs >= 60e9) {
    const m = Math.floor(ns / 60e9);
    return `${m}m ${((ns - m * 60e9) / 1e9).toFixed(1)}s`;
  }
  if (abs >= 1e9) return `${trim(ns / 1e9)} s`;
  if (abs >= 1e6) return `${trim(ns / 1e6)} ms`;
  if (abs >= 1e3) return `${trim(ns / 1e3)} µs`;
  return `${Math.round(ns)} ns`;
}

function trim(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

// ns since the epoch (decimal string or bigint) → local date and time with ms.
export function formatTime(ns: string | bigint): string {
  const ms = Number(BigInt(ns) / 1_000_000n);
  const d = new Date(ms);
  const pad = (v: number, n = 2) => String(v).padStart(n, "0");
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

// "how long ago" for a ns timestamp.
export function formatAgo(ns: string, nowMs = Date.now()): string {
  const s = Math.round((nowMs - Number(BigInt(ns) / 1_000_000n)) / 1000);
  if (s < 60) return `${Math.max(0, s)}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

export const SPAN_KINDS = ["unspecified", "internal", "server", "client", "producer", "consumer"];
export const STATUS_CODES = ["unset", "ok", "error"];

export function shortId(id: string): string {
  return id.slice(0, 8);
}
