// /trace/{traceId}[?span={spanId}&view=timeline|flame|logs]: the header, the waterfall, the flame
// graph, the logs tab and the span detail pane. The trace comes in compact form; details of a
// span are fetched when it is opened.
import { api, ApiError } from "../api";
import { serviceColor } from "../colors";
import { h } from "../dom";
import { formatDuration, formatTime } from "../format";
import type { Page } from "../router";
import { DetailPane } from "../trace/detail";
import { FlameGraph } from "../trace/flame";
import { LogsTab } from "../trace/logs";
import { buildModel, indexOfSpanId, spanIdAt, type TraceModel } from "../trace/model";
import { TraceState } from "../trace/state";
import { Waterfall } from "../trace/waterfall";

type View = "timeline" | "flame" | "logs";

declare global {
  interface Window {
    // Set when the trace page has drawn both views; times in ms since navigation start.
    __twReady?: { traceId: string; spans: number; ms: number; at: number; fetched: number; built: number };
    __tw?: { state: TraceState; waterfall: Waterfall; flame: FlameGraph; show: (v: View) => void };
  }
}

export function tracePage(root: HTMLElement, url: URL): Page {
  const traceId = url.pathname.split("/")[2].toLowerCase();
  const t0 = performance.now();
  window.__twReady = undefined;
  const status = h("p.muted.loading", null, `Loading trace ${traceId}…`);
  root.append(status);
  let page: TraceView | null = null;
  let destroyed = false;
  const abort = new AbortController();
  api
    .compactTrace(traceId, abort.signal)
    .then((compact) => {
      if (destroyed) return;
      const fetched = performance.now();
      status.textContent = `Drawing ${compact.spanCount.toLocaleString()} spans…`;
      const model = buildModel(compact);
      status.remove();
      page = new TraceView(root, model, url, t0, fetched, performance.now());
    })
    .catch((e: unknown) => {
      if (destroyed) return;
      const notFound = e instanceof ApiError && e.status === 404;
      status.className = "error";
      status.textContent = notFound ? `Trace ${traceId} was not found.` : `Could not load the trace: ${(e as Error).message}`;
    });
  return {
    update: (u) => page?.update(u),
    destroy: () => {
      destroyed = true;
      abort.abort();
      page?.destroy();
    },
  };
}

class TraceView {
  private readonly state: TraceState;
  private readonly waterfall: Waterfall;
  private readonly flame: FlameGraph;
  private readonly logs: LogsTab;
  private readonly detail: DetailPane;
  private readonly panes: Record<View, HTMLElement>;
  private readonly tabs: Record<View, HTMLButtonElement>;
  private view: View = "timeline";

  constructor(
    private readonly root: HTMLElement,
    private readonly m: TraceModel,
    url: URL,
    t0: number,
    fetched: number,
    built: number,
  ) {
    this.state = new TraceState(m);
    this.waterfall = new Waterfall(this.state);
    this.flame = new FlameGraph(this.state);
    this.logs = new LogsTab(this.state);
    this.detail = new DetailPane(this.state);
    this.detail.onClose = () => this.state.select(-1);
    this.panes = {
      timeline: h("div.pane.pane-timeline", null, this.waterfall.root),
      flame: h("div.pane.pane-flame", null, this.flame.view.root),
      logs: h("div.pane.pane-logs", null, this.logs.root),
    };
    const tab = (v: View, label: string) => h("button.tab", { "data-view": v, onclick: () => this.show(v, true) }, label) as HTMLButtonElement;
    this.tabs = { timeline: tab("timeline", "Timeline"), flame: tab("flame", "Flame graph"), logs: tab("logs", "Logs") };
    root.append(this.header(), this.toolbar(), h("div.trace-body", null, h("div.trace-main", null, Object.values(this.panes)), this.detail.root));

    this.state.subscribe((c) => {
      if (c !== "selection") return;
      this.detail.show(this.state.selected);
      this.root.classList.toggle("with-detail", this.state.selected >= 0);
      const u = new URL(window.location.href);
      if (this.state.selected >= 0) u.searchParams.set("span", spanIdAt(m, this.state.selected));
      else u.searchParams.delete("span");
      if (u.href !== window.location.href) history.replaceState(null, "", u.pathname + u.search);
    });
    window.__tw = { state: this.state, waterfall: this.waterfall, flame: this.flame, show: (v) => this.show(v, false) };
    this.update(url);
    document.addEventListener("keydown", this.onKey);
    // Ready once the waterfall and the flame graph have both been drawn.
    requestAnimationFrame(() => {
      this.waterfall.view.drawNow();
      this.flame.view.drawNow();
      window.__twReady = { traceId: m.traceId, spans: m.n, ms: performance.now() - t0, at: performance.now(), fetched, built };
      const idle = (window as { requestIdleCallback?: (cb: () => void) => void }).requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 50));
      idle(() => this.state.setShowCritical(this.state.showCritical));
    });
    this.waterfall.focus();
  }

  update(url: URL): void {
    const v = url.searchParams.get("view");
    this.show(v === "flame" || v === "logs" ? v : "timeline", false);
    const span = url.searchParams.get("span");
    if (span) {
      const i = indexOfSpanId(this.m, span);
      if (i >= 0) this.state.select(i);
    }
  }

  destroy(): void {
    document.removeEventListener("keydown", this.onKey);
    this.waterfall.destroy();
    this.flame.destroy();
    this.logs.destroy();
    window.__tw = undefined;
  }

  private onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape" && this.state.selected >= 0) this.state.select(-1);
  };

  show(v: View, push: boolean): void {
    this.view = v;
    for (const k of Object.keys(this.panes) as View[]) {
      this.panes[k].hidden = k !== v;
      this.tabs[k].classList.toggle("active", k === v);
    }
    if (v === "logs") void this.logs.load();
    if (v === "flame") this.flame.view.schedule();
    if (v === "timeline") this.waterfall.view.schedule();
    if (push) {
      const u = new URL(window.location.href);
      if (v === "timeline") u.searchParams.delete("view");
      else u.searchParams.set("view", v);
      history.replaceState(null, "", u.pathname + u.search);
    }
  }

  private header(): HTMLElement {
    const m = this.m;
    let root = -1;
    for (let i = 0; i < m.n; i++) if (m.treeParent[i] < 0) { root = i; break; }
    const spanCounts = new Map<number, number>();
    for (let i = 0; i < m.n; i++) spanCounts.set(m.service[i], (spanCounts.get(m.service[i]) ?? 0) + 1);
    const copy = h("button.copy", { title: "Copy the trace id" }, "Copy id");
    copy.addEventListener("click", () => {
      void copyText(m.traceId).then((ok) => {
        copy.textContent = ok ? "Copied" : "Copy failed";
        setTimeout(() => (copy.textContent = "Copy id"), 1500);
      });
    });
    const orphanCount = m.orphans.length;
    const title = root >= 0 ? `${m.services[m.service[root]]}: ${m.names[m.name[root]]}` : m.traceId;
    return h(
      "section.trace-header",
      null,
      h("h1", null, title),
      h("div.trace-id", null, h("code", null, m.traceId), copy),
      h(
        "dl.stats",
        null,
        stat("Start", formatTime(m.startNs)),
        stat("Duration", formatDuration(m.durationNs)),
        stat("Spans", m.n.toLocaleString()),
        stat("Depth", String(m.maxDepth + 1)),
        stat("Services", String(m.services.length)),
        stat("Errors", String(m.errorCount), m.errorCount > 0 ? "error" : ""),
        orphanCount > 0 ? stat("Orphans", String(orphanCount), "warn") : null,
      ),
      h(
        "div.chips",
        null,
        [...spanCounts.entries()].slice(0, 50).map(([svc, count]) =>
          h("a.chip", { href: `/search?service=${encodeURIComponent(m.services[svc])}`, "data-link": true }, h("span.swatch", { style: `background:${serviceColor(m.services[svc])}` }), `${m.services[svc]} (${count})`),
        ),
      ),
      orphanCount > 0 ? this.orphanList() : null,
    );
  }

  private orphanList(): HTMLElement {
    const m = this.m;
    const items = m.orphans.slice(0, 20).map((o) =>
      h("li", null, h("a", { href: "#", onclick: (e: Event) => { e.preventDefault(); this.state.select(o.index); } }, `${m.services[m.service[o.index]]} "${m.names[m.name[o.index]]}"`), ` — parent ${o.parentSpanId} never arrived`),
    );
    return h("details.orphans", null, h("summary", null, `⚠ ${m.orphans.length} orphan span(s): the trace context was lost`), h("ul", null, items));
  }

  private toolbar(): HTMLElement {
    const search = h("input.span-search", { type: "search", placeholder: "Find spans (name, service, id)", "aria-label": "Find spans" });
    const count = h("span.muted.match-count");
    search.addEventListener("input", () => {
      this.state.search(search.value);
      count.textContent = this.state.match ? `${this.state.matchCount.toLocaleString()} match${this.state.matchCount === 1 ? "" : "es"}` : "";
    });
    search.addEventListener("keydown", (e) => {
      if (e.key !== "Enter" || !this.state.match) return;
      const m = this.m;
      const from = this.state.selected >= 0 ? m.position[this.state.selected] + 1 : 0;
      for (let k = 0; k < m.n; k++) {
        const i = m.order[(from + k) % m.n];
        if (this.state.match[i]) {
          this.state.select(i);
          if (this.view === "flame") this.flame.zoomToSpan(i);
          break;
        }
      }
    });
    const critical = h("input", { type: "checkbox", checked: this.state.showCritical, name: "critical" });
    critical.addEventListener("change", () => this.state.setShowCritical(critical.checked));
    const reset = h("button.reset-zoom", { onclick: () => this.flame.resetZoom() }, "Reset zoom");
    reset.hidden = true;
    this.flame.onZoom = () => (reset.hidden = !this.flame.zoomed);
    return h(
      "div.toolbar",
      null,
      h("div.tabs", null, this.tabs.timeline, this.tabs.flame, this.tabs.logs),
      h("button", { onclick: () => this.state.collapseFromDepth(-1), title: "Expand every span" }, "Expand all"),
      h("button", { onclick: () => this.state.collapseFromDepth(1), title: "Show the root's children only" }, "Collapse all"),
      h("label.check", null, critical, "Critical path"),
      search,
      count,
      reset,
    );
  }
}

function stat(label: string, value: string, cls = ""): HTMLElement[] {
  return [h("dt", null, label), h("dd", { class: cls }, value)];
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h("textarea", null, text);
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

