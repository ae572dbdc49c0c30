// Service colours: a fixed palette indexed by a hash of the name, so a service keeps its colour
// across pages and traces. Red is left out: it means error.

const PALETTE = [
  "#3b82f6", "#10b981", "#f59e0b", "#8b5cf6", "#06b6d4", "#84cc16", "#ec4899", "#6366f1",
  "#14b8a6", "#eab308", "#a855f7", "#0ea5e9", "#22c55e", "#f97316", "#64748b", "#d946ef",
  "#0891b2", "#65a30d", "#7c3aed", "#ca8a04",
];
export const ERROR_COLOR = "#dc2626";

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

export function serviceColor(service: string): string {
  return PALETTE[hashString(service) % PALETTE.length];
}
