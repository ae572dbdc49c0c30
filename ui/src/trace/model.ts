// The trace the UI draws, built once from the compact form: typed columns plus the span tree in
// pre-order (children in start order), depths, subtree sizes and counts. Linear in spans except
// for the sort inside the critical path; nothing here allocates per span beyond typed arrays.
import { type CompactTrace, FLAG_ORPHAN } from "../api";

export interface TraceModel {
  traceId: string;
  startNs: bigint; // trace start, ns since the epoch
  durationNs: number;
  n: number;
  services: string[];
  names: string[];
  spanIds: string; // 16 hex per span
  parent: Int32Array; // as sent: -1 root or orphan
  treeParent: Int32Array; // parent in the drawn tree (-1 for tree roots)
  start: Float64Array; // ns after startNs
  duration: Float64Array; // ns
  service: Int32Array;
  name: Int32Array;
  status: Uint8Array;
  kind: Uint8Array;
  flags: Uint8Array;
  childStart: Int32Array; // children of i: childList[childStart[i] .. childStart[i + 1])
  childList: Int32Array;
  order: Int32Array; // pre-order of the tree
  position: Int32Array; // span → index in order
  depth: Int32Array;
  subtreeSize: Int32Array; // spans in the subtree, the span included
  maxDepth: number;
  errorCount: number;
  orphans: { index: number; parentSpanId: string }[];
}

export function buildModel(c: CompactTrace): TraceModel {
  const n = c.spanCount;
  if (c.parent.length !== n || c.start.length !== n || c.duration.length !== n || c.spanIds.length !== n * 16) {
    throw new Error("compact trace: columns do not match spanCount");
  }
  const parent = Int32Array.from(c.parent);
  const childCount = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const p = parent[i];
    if (p >= n || p === i) parent[i] = -1;
    else if (p >= 0) childCount[p + 1]++;
  }
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) childStart[i + 1] = childStart[i] + childCount[i + 1];
  const fill = childStart.slice(0, n);
  const childList = new Int32Array(Math.max(0, childStart[n]));
  for (let i = 0; i < n; i++) {
    const p = parent[i];
    if (p >= 0) childList[fill[p]++] = i; // i ascends: children stay in start order
  }

  const order = new Int32Array(n);
  const position = new Int32Array(n);
  const depth = new Int32Array(n);
  const treeParent = new Int32Array(n).fill(-1);
  const visited = new Uint8Array(n);
  const stack = new Int32Array(n);
  let k = 0;
  let maxDepth = 0;
  const walk = (root: number) => {
    let top = 0;
    stack[top++] = root;
    visited[root] = 1;
    while (top > 0) {
      const v = stack[--top];
      position[v] = k;
      order[k++] = v;
      if (depth[v] > maxDepth) maxDepth = depth[v];
      for (let j = childStart[v + 1] - 1; j >= childStart[v]; j--) {
        const ch = childList[j];
        if (visited[ch]) continue; // a cycle in bad data: each span is drawn once
        visited[ch] = 1;
        depth[ch] = depth[v] + 1;
        treeParent[ch] = v;
        stack[top++] = ch;
      }
    }
  };
  for (let i = 0; i < n; i++) if (parent[i] < 0 && !visited[i]) walk(i);
  for (let i = 0; i < n; i++) if (!visited[i]) walk(i); // spans only reachable through a cycle

  const subtreeSize = new Int32Array(n).fill(1);
  for (let p = n - 1; p >= 0; p--) {
    const v = order[p];
    if (treeParent[v] >= 0) subtreeSize[treeParent[v]] += subtreeSize[v];
  }
  const status = Uint8Array.from(c.status);
  let errorCount = 0;
  for (let i = 0; i < n; i++) if (status[i] === 2) errorCount++;
  const flags = Uint8Array.from(c.flags);
  for (const o of c.orphans) if (o.index >= 0 && o.index < n) flags[o.index] |= FLAG_ORPHAN;

  return {
    traceId: c.traceId,
    startNs: BigInt(c.startTimeUnixNano),
    durationNs: Number(c.durationNano),
    n,
    services: c.services,
    names: c.names,
    spanIds: c.spanIds,
    parent,
    treeParent,
    start: Float64Array.from(c.start),
    duration: Float64Array.from(c.duration),
    service: Int32Array.from(c.service),
    name: Int32Array.from(c.name),
    status,
    kind: Uint8Array.from(c.kind),
    flags,
    childStart,
    childList,
    order,
    position,
    depth,
    subtreeSize,
    maxDepth,
    errorCount,
    orphans: c.orphans,
  };
}

export function spanIdAt(m: TraceModel, i: number): string {
  return m.spanIds.substr(i * 16, 16);
}

// The index of a span id (16 hex digits, any case), or -1.
export function indexOfSpanId(m: TraceModel, id: string): number {
  const want = id.toLowerCase().padStart(16, "0");
  let at = m.spanIds.indexOf(want);
  while (at >= 0 && at % 16 !== 0) at = m.spanIds.indexOf(want, at + 1);
  return at < 0 ? -1 : at / 16;
}

// The rows shown when the spans marked in `collapsed` hide their descendants: pre-order indices.
export function visibleRows(m: TraceModel, collapsed: Uint8Array): Int32Array {
  const rows = new Int32Array(m.n);
  let count = 0;
  for (let p = 0; p < m.n; ) {
    const v = m.order[p];
    rows[count++] = v;
    p += collapsed[v] ? m.subtreeSize[v] : 1;
  }
  return rows.subarray(0, count);
}

// Expands every ancestor of `span` so that it is visible.
export function revealSpan(m: TraceModel, collapsed: Uint8Array, span: number): void {
  for (let p = m.treeParent[span]; p >= 0; p = m.treeParent[p]) collapsed[p] = 0;
}

// Number of distinct services.
export function serviceCount(m: TraceModel): number {
  return m.services.length;
}
