// The flame graph (icicle) on a canvas: depth rows, x = time within the zoom window. Click a span
// to select it and zoom to it; double-click or "Reset zoom" to see all; ctrl/⌘ + wheel zooms
// around the pointer. Spans narrower than a pixel merge so a draw costs O(spans at the rows in
// view), not one fill per span.
import { ERROR_COLOR, serviceColor } from "../colors";
import { formatDuration } from "../format";
import { CanvasView } from "./canvas_view";
import { type FlameLayout, flameLayout, spanAt, zoomTo } from "./flame_layout";
import type { TraceState } from "./state";

export const FLAME_ROW = 20;

export class FlameGraph {
  readonly view: CanvasView;
  readonly layout: FlameLayout;
  from = 0;
  to: number;
  private readonly colors: string[];
  private unsubscribe: () => void;
  onZoom: () => void = () => {};

  constructor(private readonly state: TraceState) {
    const m = state.model;
    this.layout = flameLayout(m);
    this.to = Math.max(1, m.durationNs);
    this.colors = m.services.map(serviceColor);
    this.view = new CanvasView("flame", (ctx, w, hgt, top) => this.draw(ctx, w, hgt, top));
    this.view.setContentHeight(this.layout.depths * FLAME_ROW + 4);
    const scroller = this.view.scroller;
    scroller.addEventListener("click", (e) => this.onClick(e));
    scroller.addEventListener("dblclick", () => this.resetZoom());
    scroller.addEventListener(
      "wheel",
      (e) => {
        if (!e.ctrlKey && !e.metaKey) return;
        e.preventDefault();
        const { x } = this.view.pointAt(e);
        this.zoomAround(x / Math.max(1, this.view.width), e.deltaY > 0 ? 1.25 : 0.8);
      },
      { passive: false },
    );
    this.unsubscribe = state.subscribe(() => this.view.schedule());
  }

  destroy(): void {
    this.unsubscribe();
    this.view.destroy();
  }

  get zoomed(): boolean {
    return this.from > 0 || this.to < Math.max(1, this.state.model.durationNs);
  }

  setWindow(from: number, to: number): void {
    const total = Math.max(1, this.state.model.durationNs);
    this.from = Math.max(0, Math.min(from, total));
    this.to = Math.max(this.from + 1, Math.min(to, total));
    this.view.schedule();
    this.onZoom();
  }

  resetZoom(): void {
    this.setWindow(0, Math.max(1, this.state.model.durationNs));
  }

  // Scales the window by `factor` (< 1 zooms in) keeping the time at `frac` (0..1) in place.
  zoomAround(frac: number, factor: number): void {
    const w = this.to - this.from;
    const t = this.from + w * frac;
    const nw = Math.max(1, w * factor);
    this.setWindow(t - nw * frac, t - nw * frac + nw);
  }

  zoomToSpan(i: number): void {
    const z = zoomTo(this.state.model, i);
    this.setWindow(z.from, z.to);
  }

  private draw(ctx: CanvasRenderingContext2D, width: number, height: number, top: number): void {
    const s = this.state;
    const m = s.model;
    const L = this.layout;
    const scale = width / (this.to - this.from);
    const from = this.from;
    const to = this.to;
    const d0 = Math.max(0, Math.floor(top / FLAME_ROW));
    const d1 = Math.min(L.depths - 1, Math.ceil((top + height) / FLAME_ROW));
    const match = s.match;
    const onPath = s.showCritical && s.critical !== null ? s.critical.onPath : null;
    const { start, duration, status, service, bySpan } = { start: m.start, duration: m.duration, status: m.status, service: m.service, bySpan: L.bySpan };
    const labels: number[] = []; // span, x, y, w: drawn after the bars so no bar covers a label
    ctx.font = "11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    let style = "";
    let alpha = 1;
    for (let d = d0; d <= d1; d++) {
      const y = d * FLAME_ROW - top;
      let lastPx = -1;
      const end = L.depthStart[d + 1];
      for (let k = L.depthStart[d]; k < end; k++) {
        const i = bySpan[k];
        const st = start[i];
        if (st > to) break;
        const en = st + duration[i];
        if (en < from) continue;
        const x = ((st > from ? st : from) - from) * scale;
        const x2 = ((en < to ? en : to) - from) * scale;
        const w = x2 - x;
        // Bars under two pixels wide that land on pixels this row already painted are skipped:
        // at most a few fills per pixel column, however many spans there are.
        const px2 = x2 | 0;
        if (w < 2 && px2 <= lastPx) continue;
        if (px2 > lastPx) lastPx = w < 1 ? x | 0 : px2;
        const a = (match !== null && !match[i]) || (onPath !== null && !onPath[i]) ? 0.3 : 1;
        if (a !== alpha) ctx.globalAlpha = alpha = a;
        const fill = status[i] === 2 ? ERROR_COLOR : this.colors[service[i]];
        if (fill !== style) ctx.fillStyle = style = fill;
        ctx.fillRect(x, y + 1, w > 2 ? w - 1 : 1, FLAME_ROW - 2);
        if (w > 40) labels.push(i, x, y, w);
      }
    }
    ctx.globalAlpha = 1;
    ctx.fillStyle = "#ffffff";
    const charPx = 6.2; // average width of an 11px system-ui character: labels are cut by estimate
    for (let k = 0; k < labels.length; k += 4) {
      const i = labels[k];
      const max = Math.floor((labels[k + 3] - 8) / charPx);
      let label = `${m.names[m.name[i]]} (${formatDuration(duration[i])})`;
      if (label.length > max) label = max > 1 ? label.slice(0, max - 1) + "…" : "";
      if (label) ctx.fillText(label, labels[k + 1] + 4, labels[k + 2] + FLAME_ROW / 2);
    }
    if (s.selected >= 0) {
      const i = s.selected;
      const y = m.depth[i] * FLAME_ROW - top;
      const x = (Math.max(start[i], from) - from) * scale;
      const w = (Math.min(start[i] + duration[i], to) - from) * scale - x;
      if (w > 0 && y > -FLAME_ROW && y < height) {
        ctx.strokeStyle = "#0f172a";
        ctx.lineWidth = 2;
        ctx.strokeRect(x + 1, y + 2, Math.max(1, w - 3), FLAME_ROW - 4);
      }
    }
  }

  private onClick(e: MouseEvent): void {
    const { x, y } = this.view.pointAt(e);
    const depth = Math.floor(y / FLAME_ROW);
    const t = this.from + (x / Math.max(1, this.view.width)) * (this.to - this.from);
    const slack = (2 / Math.max(1, this.view.width)) * (this.to - this.from);
    const i = spanAt(this.state.model, this.layout, depth, t, slack);
    if (i < 0) return;
    this.state.select(i);
    this.zoomToSpan(i);
  }
}
