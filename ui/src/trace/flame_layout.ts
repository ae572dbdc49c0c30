// Flame graph (icicle) layout: one row per tree depth, x = time. Spans are bucketed by depth
// (counting sort, O(n)); within a depth they stay in start order, which lets a draw skip spans
// left of the view quickly and hit-testing scan one row.
import type { TraceModel } from "./model";

export interface FlameLayout {
  depthStart: Int32Array; // spans at depth d: bySpan[depthStart[d] .. depthStart[d + 1])
  bySpan: Int32Array;
  depths: number;
}

export function flameLayout(m: TraceModel): FlameLayout {
  const depths = m.n === 0 ? 0 : m.maxDepth + 1;
  const depthStart = new Int32Array(depths + 1);
  for (let i = 0; i < m.n; i++) depthStart[m.depth[i] + 1]++;
  for (let d = 0; d < depths; d++) depthStart[d + 1] += depthStart[d];
  const fill = depthStart.slice(0, depths);
  const bySpan = new Int32Array(m.n);
  for (let i = 0; i < m.n; i++) bySpan[fill[m.depth[i]]++] = i; // i ascends: start order kept
  return { depthStart, bySpan, depths };
}

// The span at depth `depth` covering time `t` (ns after trace start); the latest-starting one when
// several overlap. -1 when none.
export function spanAt(m: TraceModel, layout: FlameLayout, depth: number, t: number, slackNs = 0): number {
  if (depth < 0 || depth >= layout.depths) return -1;
  let found = -1;
  for (let k = layout.depthStart[depth]; k < layout.depthStart[depth + 1]; k++) {
    const i = layout.bySpan[k];
    if (m.start[i] - slackNs > t) break;
    if (m.start[i] + m.duration[i] + slackNs >= t) found = i;
  }
  return found;
}

// The zoom window [from, to) (ns after trace start) that frames span `i` with 2% margins.
export function zoomTo(m: TraceModel, i: number): { from: number; to: number } {
  const d = Math.max(m.duration[i], 1);
  const pad = d * 0.02;
  return { from: Math.max(0, m.start[i] - pad), to: Math.min(Math.max(m.durationNs, 1), m.start[i] + d + pad) };
}
