// The critical path: the chain of work that determined the trace's end time. From each span's
// end, walk back to the child that finished last before that point, recurse into it, then
// continue from that child's start; time not covered by a child is the span's own. Children are
// clamped to their parent's interval (clock skew). Iterative, so deep traces do not overflow.
import type { TraceModel } from "./model";

export interface CriticalPath {
  onPath: Uint8Array; // 1 for spans with a segment on the path
  // Segments grouped by span: those of span i are offset[i] .. offset[i + 1].
  offset: Int32Array;
  segSpan: Int32Array; // per segment: span, [from, to) ns after trace start
  segFrom: Float64Array;
  segTo: Float64Array;
  count: number;
}

export function criticalPath(m: TraceModel): CriticalPath {
  const onPath = new Uint8Array(m.n);
  const segSpan: number[] = [];
  const segFrom: number[] = [];
  const segTo: number[] = [];
  const end = (i: number) => m.start[i] + m.duration[i];
  // Roots of the tree; the path follows the one that ends last.
  let root = -1;
  for (let i = 0; i < m.n; i++) {
    if (m.treeParent[i] < 0 && (root < 0 || end(i) > end(root))) root = i;
  }
  if (root < 0) return group(m.n, onPath, [], [], []);

  interface Frame {
    span: number;
    lo: number; // the span's interval, clamped to its ancestors'
    cursor: number;
    kids: number[]; // children sorted by clamped end, latest first
    k: number;
  }
  const frameFor = (span: number, lo: number, hi: number): Frame => {
    const kids: number[] = [];
    for (let j = m.childStart[span]; j < m.childStart[span + 1]; j++) {
      const ch = m.childList[j];
      if (m.treeParent[ch] === span) kids.push(ch);
    }
    kids.sort((a, b) => Math.min(end(b), hi) - Math.min(end(a), hi));
    onPath[span] = 1;
    return { span, lo, cursor: hi, kids, k: 0 };
  };
  const segment = (span: number, from: number, to: number) => {
    if (to <= from) return;
    segSpan.push(span);
    segFrom.push(from);
    segTo.push(to);
  };
  const stack: Frame[] = [frameFor(root, m.start[root], end(root))];
  while (stack.length > 0) {
    const f = stack[stack.length - 1];
    let next = -1;
    while (f.k < f.kids.length) {
      const ch = f.kids[f.k++];
      const chEnd = Math.min(end(ch), f.cursor);
      const chStart = Math.max(m.start[ch], f.lo);
      if (chEnd <= f.lo || chStart >= f.cursor) continue;
      next = ch;
      segment(f.span, chEnd, f.cursor);
      stack.push(frameFor(ch, chStart, chEnd));
      f.cursor = chStart;
      break;
    }
    if (next >= 0) continue;
    segment(f.span, f.lo, f.cursor);
    stack.pop();
  }
  return group(m.n, onPath, segSpan, segFrom, segTo);
}

// Orders segments by span (stable: each span's segments stay latest first) into CSR form.
function group(n: number, onPath: Uint8Array, span: number[], from: number[], to: number[]): CriticalPath {
  const count = span.length;
  const offset = new Int32Array(n + 1);
  for (let k = 0; k < count; k++) offset[span[k] + 1]++;
  for (let i = 0; i < n; i++) offset[i + 1] += offset[i];
  const fill = offset.slice(0, n);
  const segSpan = new Int32Array(count);
  const segFrom = new Float64Array(count);
  const segTo = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const at = fill[span[k]]++;
    segSpan[at] = span[k];
    segFrom[at] = from[k];
    segTo[at] = to[k];
  }
  return { onPath, offset, segSpan, segFrom, segTo, count };
}
