// The waterfall: one row per visible span (tree in pre-order), the name column with the tree
// and the timeline bar, drawn on a canvas for the rows in view only. A minimap above shows the
// whole trace and where the viewport is. Keyboard: ↑/↓ move, ←/→ collapse/expand (or go to
// parent/first child), Enter/Space toggle, Home/End, PageUp/PageDown.
import { FLAG_EXCEPTION, FLAG_ORPHAN } from "../api";
import { ERROR_COLOR, serviceColor } from "../colors";
import { h, sizeCanvas } from "../dom";
import { formatDuration } from "../format";
import { CanvasView, fitText } from "./canvas_view";
import type { TraceState } from "./state";

export const ROW_HEIGHT = 22;
const NAME_WIDTH = 380;
const INDENT = 14;
const MAX_INDENT_LEVELS = 20;
const MINIMAP_HEIGHT = 56;

export class Waterfall {
  readonly root: HTMLDivElement;
  readonly view: CanvasView;
  private readonly axis: HTMLCanvasElement;
  private readonly minimap: HTMLCanvasElement;
  private readonly colors: string[];
  private unsubscribe: () => void;

  constructor(private readonly state: TraceState) {
    const m = state.model;
    this.colors = m.services.map(serviceColor);
    this.view = new CanvasView("waterfall-rows", (ctx, w, hgt, top) => this.drawRows(ctx, w, hgt, top));
    this.axis = h("canvas.wf-axis");
    this.minimap = h("canvas.wf-minimap", { title: "Minimap: click to jump" });
    this.root = h("div.waterfall", { tabindex: 0, "aria-label": "Span waterfall" }, this.minimap, this.axis, this.view.root);
    this.view.setContentHeight(state.rows.length * ROW_HEIGHT);
    this.view.scroller.addEventListener("click", (e) => this.onClick(e));
    this.view.scroller.addEventListener("scroll", () => this.drawMinimap(), { passive: true });
    this.minimap.addEventListener("click", (e) => this.onMinimapClick(e));
    this.root.addEventListener("keydown", (e) => this.onKey(e));
    new ResizeObserver(() => {
      this.drawAxis();
      this.drawMinimap();
    }).observe(this.root);
    this.unsubscribe = state.subscribe((change) => {
      if (change === "rows") this.view.setContentHeight(state.rows.length * ROW_HEIGHT);
      if (change === "selection") this.scrollToSelected();
      this.view.schedule();
      this.drawMinimap();
    });
  }

  destroy(): void {
    this.unsubscribe();
    this.view.destroy();
  }

  focus(): void {
    this.root.focus({ preventScroll: true });
  }

  scrollToSelected(): void {
    const row = this.state.selected >= 0 ? this.state.rowOf(this.state.selected) : -1;
    if (row >= 0) this.view.ensureVisible(row * ROW_HEIGHT, ROW_HEIGHT);
  }

  private timelineX(width: number): { x0: number; scale: number } {
    const x0 = NAME_WIDTH + 8;
    const span = Math.max(1, this.state.model.durationNs);
    return { x0, scale: Math.max(1, width - x0 - 12) / span };
  }

  private drawRows(ctx: CanvasRenderingContext2D, width: number, height: number, top: number): void {
    const s = this.state;
    const m = s.model;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT));
    const last = Math.min(s.rows.length - 1, Math.ceil((top + height) / ROW_HEIGHT));
    const { x0, scale } = this.timelineX(width);
    const critical = s.showCritical ? s.critical : null;
    ctx.font = "12px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    for (let r = first; r <= last; r++) {
      const i = s.rows[r];
      const y = r * ROW_HEIGHT - top;
      const mid = y + ROW_HEIGHT / 2;
      if (i === s.selected) {
        ctx.fillStyle = "#dbeafe";
        ctx.fillRect(0, y, width, ROW_HEIGHT);
      } else if (s.match && s.match[i]) {
        ctx.fillStyle = "#fef9c3";
        ctx.fillRect(0, y, width, ROW_HEIGHT);
      } else if (r % 2 === 1) {
        ctx.fillStyle = "#f8fafc";
        ctx.fillRect(0, y, width, ROW_HEIGHT);
      }
      const error = m.status[i] === 2;
      const levels = Math.min(m.depth[i], MAX_INDENT_LEVELS);
      let x = 6 + levels * INDENT;
      if (m.depth[i] > MAX_INDENT_LEVELS) {
        ctx.fillStyle = "#64748b";
        ctx.fillText(`${m.depth[i]}`, 4, mid);
      }
      if (s.hasChildren(i)) {
        ctx.fillStyle = "#475569";
        ctx.beginPath();
        if (s.collapsed[i]) {
          ctx.moveTo(x + 3, mid - 5);
          ctx.lineTo(x + 9, mid);
          ctx.lineTo(x + 3, mid + 5);
        } else {
          ctx.moveTo(x + 1, mid - 3);
          ctx.lineTo(x + 11, mid - 3);
          ctx.lineTo(x + 6, mid + 3);
        }
        ctx.fill();
      }
      x += 14;
      ctx.fillStyle = this.colors[m.service[i]];
      ctx.fillRect(x, y + 5, 4, ROW_HEIGHT - 10);
      x += 8;
      let label = `${m.services[m.service[i]]}  ${m.names[m.name[i]]}`;
      if (s.collapsed[i]) label += `  (+${m.subtreeSize[i] - 1})`;
      let mark = "";
      if (m.flags[i] & FLAG_ORPHAN) mark += "⚠ ";
      if (m.flags[i] & FLAG_EXCEPTION) mark += "✖ ";
      ctx.fillStyle = error ? ERROR_COLOR : "#0f172a";
      ctx.fillText(fitText(ctx, mark + label, NAME_WIDTH - x - 4), x, mid);

      const bx = x0 + m.start[i] * scale;
      const bw = Math.max(1, m.duration[i] * scale);
      const dim = critical !== null && !critical.onPath[i];
      ctx.globalAlpha = dim ? 0.45 : 1;
      ctx.fillStyle = error ? ERROR_COLOR : this.colors[m.service[i]];
      ctx.fillRect(bx, y + 5, bw, ROW_HEIGHT - 10);
      ctx.globalAlpha = 1;
      if (critical) {
        ctx.fillStyle = "#0f172a";
        for (let k = critical.offset[i]; k < critical.offset[i + 1]; k++) {
          const from = x0 + critical.segFrom[k] * scale;
          ctx.fillRect(from, y + ROW_HEIGHT - 7, Math.max(1, (critical.segTo[k] - critical.segFrom[k]) * scale), 3);
        }
      }
      const text = formatDuration(m.duration[i]);
      const tw = ctx.measureText(text).width;
      if (bx + bw + 4 + tw <= width) {
        ctx.fillStyle = "#334155";
        ctx.fillText(text, bx + bw + 4, mid);
      } else if (bx - tw - 4 >= x0) {
        ctx.fillStyle = "#334155";
        ctx.fillText(text, bx - tw - 4, mid);
      } else {
        ctx.fillStyle = "#ffffff";
        ctx.fillText(text, Math.max(bx + 4, bx + bw - tw - 4), mid);
      }
    }
    ctx.strokeStyle = "#e2e8f0";
    ctx.beginPath();
    ctx.moveTo(NAME_WIDTH + 0.5, 0);
    ctx.lineTo(NAME_WIDTH + 0.5, height);
    ctx.stroke();
  }

  private drawAxis(): void {
    const width = this.view.width;
    if (width === 0) return;
    const ctx = sizeCanvas(this.axis, width, 22);
    ctx.clearRect(0, 0, width, 22);
    ctx.fillStyle = "#f1f5f9";
    ctx.fillRect(0, 0, width, 22);
    ctx.font = "11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    ctx.fillStyle = "#334155";
    ctx.fillText("Service  Operation", 8, 11);
    const { x0, scale } = this.timelineX(width);
    const total = this.state.model.durationNs;
    for (let k = 0; k <= 4; k++) {
      const t = (total * k) / 4;
      const x = x0 + t * scale;
      ctx.fillRect(x, 14, 1, 8);
      const text = formatDuration(t);
      const tw = ctx.measureText(text).width;
      ctx.fillText(text, Math.min(x + 3, width - tw - 2), 9);
    }
  }

  private drawMinimap(): void {
    const width = this.view.width;
    if (width === 0) return;
    const ctx = sizeCanvas(this.minimap, width, MINIMAP_HEIGHT);
    ctx.fillStyle = "#f8fafc";
    ctx.fillRect(0, 0, width, MINIMAP_HEIGHT);
    const s = this.state;
    const m = s.model;
    const rows = s.rows.length;
    const scale = (width - 2) / Math.max(1, m.durationNs);
    const step = Math.max(1, Math.floor(rows / (MINIMAP_HEIGHT * 8)));
    const rowH = Math.max(1, MINIMAP_HEIGHT / Math.max(1, rows));
    for (let r = 0; r < rows; r += step) {
      const i = s.rows[r];
      ctx.fillStyle = m.status[i] === 2 ? ERROR_COLOR : this.colors[m.service[i]];
      ctx.fillRect(1 + m.start[i] * scale, (r / rows) * MINIMAP_HEIGHT, Math.max(1, m.duration[i] * scale), rowH);
    }
    const total = rows * ROW_HEIGHT;
    if (total > 0) {
      const y0 = (this.view.top / total) * MINIMAP_HEIGHT;
      const y1 = ((this.view.top + this.view.height) / total) * MINIMAP_HEIGHT;
      ctx.fillStyle = "rgba(59,130,246,0.15)";
      ctx.fillRect(0, y0, width, Math.max(2, y1 - y0));
      ctx.strokeStyle = "#3b82f6";
      ctx.strokeRect(0.5, y0 + 0.5, width - 1, Math.max(2, y1 - y0));
    }
  }

  private onMinimapClick(e: MouseEvent): void {
    const rect = this.minimap.getBoundingClientRect();
    const frac = (e.clientY - rect.top) / rect.height;
    const total = this.state.rows.length * ROW_HEIGHT;
    this.view.scrollToContent(frac * total - this.view.height / 2);
  }

  private onClick(e: MouseEvent): void {
    const { x, y } = this.view.pointAt(e);
    const row = Math.floor(y / ROW_HEIGHT);
    if (row < 0 || row >= this.state.rows.length) return;
    const i = this.state.rows[row];
    const toggleX = 6 + Math.min(this.state.model.depth[i], MAX_INDENT_LEVELS) * INDENT;
    if (this.state.hasChildren(i) && x >= toggleX - 4 && x <= toggleX + 16) {
      this.state.toggle(i);
    } else {
      this.state.select(i);
    }
    this.focus();
  }

  private onKey(e: KeyboardEvent): void {
    const s = this.state;
    const m = s.model;
    const rows = s.rows;
    if (rows.length === 0) return;
    let row = s.selected >= 0 ? s.rowOf(s.selected) : -1;
    const page = Math.max(1, Math.floor(this.view.height / ROW_HEIGHT) - 1);
    const sel = s.selected;
    switch (e.key) {
      case "ArrowDown":
      case "j":
        row = Math.min(rows.length - 1, row + 1);
        break;
      case "ArrowUp":
      case "k":
        row = Math.max(0, row - 1);
        break;
      case "PageDown":
        row = Math.min(rows.length - 1, row + page);
        break;
      case "PageUp":
        row = Math.max(0, row - page);
        break;
      case "Home":
        row = 0;
        break;
      case "End":
        row = rows.length - 1;
        break;
      case "ArrowLeft":
        if (sel < 0) return;
        if (s.hasChildren(sel) && !s.collapsed[sel]) s.toggle(sel);
        else if (m.treeParent[sel] >= 0) s.select(m.treeParent[sel]);
        e.preventDefault();
        return;
      case "ArrowRight":
        if (sel < 0) return;
        if (s.collapsed[sel]) s.toggle(sel);
        else if (s.hasChildren(sel)) row = row + 1;
        break;
      case "Enter":
      case " ":
        if (sel >= 0) s.toggle(sel);
        e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    if (row >= 0 && row < rows.length) s.select(rows[row]);
  }
}
