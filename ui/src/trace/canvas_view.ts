// A scrollable canvas: a native scroll area (so wheel, touch and scrollbar behave as usual) with
// a viewport-sized canvas drawn over it. Content taller than browsers allow an element to be is
// mapped onto a shorter spacer. Draws are coalesced into one per animation frame.
import { h, sizeCanvas } from "../dom";

const MAX_SPACER_PX = 30_000_000;

export type DrawFn = (ctx: CanvasRenderingContext2D, width: number, height: number, top: number) => void;

export class CanvasView {
  readonly root: HTMLDivElement;
  readonly scroller: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private contentHeight = 0;
  private pending = 0;
  private observer: ResizeObserver;
  lastDrawMs = 0;

  constructor(
    className: string,
    private readonly draw: DrawFn,
  ) {
    this.spacer = h("div.cv-spacer");
    this.scroller = h("div.cv-scroll", null, this.spacer);
    this.canvas = h("canvas.cv-canvas");
    this.root = h("div.cv-root", { class: className }, this.scroller, this.canvas);
    this.scroller.addEventListener("scroll", () => this.schedule(), { passive: true });
    this.observer = new ResizeObserver(() => this.schedule());
    this.observer.observe(this.root);
  }

  destroy(): void {
    this.observer.disconnect();
    if (this.pending) cancelAnimationFrame(this.pending);
  }

  get width(): number {
    return this.scroller.clientWidth;
  }
  get height(): number {
    return this.scroller.clientHeight;
  }

  setContentHeight(px: number): void {
    this.contentHeight = px;
    this.spacer.style.height = `${Math.min(px, MAX_SPACER_PX)}px`;
    this.schedule();
  }

  // Content offset (px) at the top of the viewport.
  get top(): number {
    const spacer = Math.min(this.contentHeight, MAX_SPACER_PX);
    const view = this.scroller.clientHeight;
    if (this.contentHeight <= MAX_SPACER_PX || spacer <= view) return this.scroller.scrollTop;
    return (this.scroller.scrollTop * (this.contentHeight - view)) / (spacer - view);
  }

  // Scrolls so that content offset `y` is at the top of the viewport.
  scrollToContent(y: number): void {
    const spacer = Math.min(this.contentHeight, MAX_SPACER_PX);
    const view = this.scroller.clientHeight;
    const target =
      this.contentHeight <= MAX_SPACER_PX || spacer <= view
        ? y
        : (y * (spacer - view)) / Math.max(1, this.contentHeight - view);
    this.scroller.scrollTop = Math.max(0, target);
    this.schedule();
  }

  // Keeps content rows [y, y + rowHeight) inside the viewport.
  ensureVisible(y: number, rowHeight: number): void {
    const top = this.top;
    const view = this.scroller.clientHeight;
    if (y < top) this.scrollToContent(y);
    else if (y + rowHeight > top + view) this.scrollToContent(y + rowHeight - view);
  }

  schedule(): void {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.drawNow();
    });
  }

  drawNow(): void {
    const width = this.scroller.clientWidth;
    const height = this.scroller.clientHeight;
    if (width === 0 || height === 0) return;
    const t0 = performance.now();
    const ctx = sizeCanvas(this.canvas, width, height);
    ctx.clearRect(0, 0, width, height);
    this.draw(ctx, width, height, this.top);
    this.lastDrawMs = performance.now() - t0;
  }

  // Content coordinates of a mouse event on the view.
  pointAt(e: MouseEvent): { x: number; y: number } {
    const rect = this.scroller.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top + this.top };
  }
}

// Shortens `text` with an ellipsis to fit `maxWidth` px (binary search on measureText).
export function fitText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (maxWidth <= 8) return "";
  if (ctx.measureText(text).width <= maxWidth) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(text.slice(0, mid) + "…").width <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? "" : text.slice(0, lo) + "…";
}
