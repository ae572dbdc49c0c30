// What the trace page's views share: the model, collapsed spans and visible rows, the selected
// span, search matches and the critical path. Views subscribe and redraw on change.
import { criticalPath, type CriticalPath } from "./critical_path";
import { revealSpan, type TraceModel, visibleRows } from "./model";

export type Change = "rows" | "selection" | "match" | "critical";

export class TraceState {
  readonly collapsed: Uint8Array;
  rows: Int32Array;
  selected = -1;
  match: Uint8Array | null = null; // 1 for spans matching the search, null: no search
  matchCount = 0;
  critical: CriticalPath | null = null;
  showCritical = true;
  private listeners = new Set<(c: Change) => void>();

  constructor(readonly model: TraceModel) {
    this.collapsed = new Uint8Array(model.n);
    this.rows = visibleRows(model, this.collapsed);
  }

  subscribe(fn: (c: Change) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(c: Change): void {
    for (const fn of this.listeners) fn(c);
  }

  hasChildren(span: number): boolean {
    return this.model.subtreeSize[span] > 1;
  }

  toggle(span: number): void {
    if (!this.hasChildren(span)) return;
    this.collapsed[span] = this.collapsed[span] ? 0 : 1;
    this.rows = visibleRows(this.model, this.collapsed);
    this.emit("rows");
  }

  setCollapsed(span: number, collapsed: boolean): void {
    if (!this.hasChildren(span) || (this.collapsed[span] === 1) === collapsed) return;
    this.toggle(span);
  }

  // Collapses every span at `depth` or deeper that has children (0: all), or expands all (-1).
  collapseFromDepth(depth: number): void {
    const m = this.model;
    for (let i = 0; i < m.n; i++) this.collapsed[i] = depth >= 0 && m.depth[i] >= depth && m.subtreeSize[i] > 1 ? 1 : 0;
    if (this.selected >= 0) revealSpan(m, this.collapsed, this.selected);
    this.rows = visibleRows(m, this.collapsed);
    this.emit("rows");
  }

  select(span: number): void {
    if (span === this.selected) return;
    this.selected = span;
    if (span >= 0) {
      let hidden = false;
      for (let p = this.model.treeParent[span]; p >= 0; p = this.model.treeParent[p]) {
        if (this.collapsed[p]) hidden = true;
      }
      if (hidden) {
        revealSpan(this.model, this.collapsed, span);
        this.rows = visibleRows(this.model, this.collapsed);
        this.emit("rows");
      }
    }
    this.emit("selection");
  }

  // Row index of a span among the visible rows (binary search: rows are in pre-order), or -1.
  rowOf(span: number): number {
    const pos = this.model.position[span];
    let lo = 0;
    let hi = this.rows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const p = this.model.position[this.rows[mid]];
      if (p === pos) return mid;
      if (p < pos) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  // Marks spans whose name or service contains `text` (case-insensitive); "" clears.
  search(text: string): void {
    const q = text.trim().toLowerCase();
    if (q === "") {
      this.match = null;
      this.matchCount = 0;
    } else {
      const m = this.model;
      const nameHit = m.names.map((s) => s.toLowerCase().includes(q));
      const serviceHit = m.services.map((s) => s.toLowerCase().includes(q));
      const match = new Uint8Array(m.n);
      let count = 0;
      for (let i = 0; i < m.n; i++) {
        if (nameHit[m.name[i]] || serviceHit[m.service[i]] || m.spanIds.startsWith(q, i * 16)) {
          match[i] = 1;
          count++;
        }
      }
      this.match = match;
      this.matchCount = count;
    }
    this.emit("match");
  }

  ensureCriticalPath(): CriticalPath {
    if (!this.critical) this.critical = criticalPath(this.model);
    return this.critical;
  }

  setShowCritical(on: boolean): void {
    this.showCritical = on;
    if (on) this.ensureCriticalPath();
    this.emit("critical");
  }
}
