// Service map layout: services in columns by call depth (longest path from a service nobody
// calls, cycles broken), spread vertically within a column.

export interface Edge {
  parent: string;
  child: string;
}
export interface NodePos {
  name: string;
  x: number;
  y: number;
  column: number;
}

export function layoutServices(edges: Edge[], width: number, height: number): Map<string, NodePos> {
  const names = [...new Set(edges.flatMap((e) => [e.parent, e.child]))].sort();
  const column = new Map<string, number>(names.map((n) => [n, 0]));
  // Bellman-Ford style relaxation bounded by the node count: cycles stop growing.
  for (let round = 0; round < names.length; round++) {
    let changed = false;
    for (const e of edges) {
      if (e.parent === e.child) continue;
      const c = (column.get(e.parent) ?? 0) + 1;
      if (c > (column.get(e.child) ?? 0) && c < names.length) {
        column.set(e.child, c);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const byColumn = new Map<number, string[]>();
  for (const n of names) {
    const c = column.get(n) ?? 0;
    byColumn.set(c, [...(byColumn.get(c) ?? []), n]);
  }
  const columns = Math.max(1, ...[...byColumn.keys()].map((c) => c + 1));
  const out = new Map<string, NodePos>();
  for (const [c, list] of byColumn) {
    list.forEach((n, k) => {
      out.set(n, {
        name: n,
        column: c,
        x: ((c + 0.5) / columns) * width,
        y: ((k + 0.5) / list.length) * height,
      });
    });
  }
  return out;
}
