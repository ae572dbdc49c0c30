// /services: the service map from /api/v1/dependencies (nodes = services, edges = calls with
// rate, error % and p99), each service linking to a search, plus the same figures as a table.
import { api, type Dependency } from "../api";
import { ERROR_COLOR, serviceColor } from "../colors";
import { clear, h } from "../dom";
import { formatDuration } from "../format";
import { router, type Page } from "../router";
import { lookbackMs } from "./search_query";
import { layoutServices } from "./service_layout";

const SVG = "http://www.w3.org/2000/svg";
const RANGES: [string, string][] = [["1h", "Last hour"], ["6h", "Last 6 hours"], ["24h", "Last 24 hours"], ["7d", "Last 7 days"]];

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

export function servicesPage(root: HTMLElement, url: URL): Page {
  const lookback = url.searchParams.get("lookback") ?? "24h";
  const range = h("select", { name: "lookback", "aria-label": "Time range" }, RANGES.map(([v, l]) => h("option", { value: v }, l)));
  range.value = RANGES.some(([v]) => v === lookback) ? lookback : "24h";
  range.addEventListener("change", () => router.navigate(`/services?lookback=${range.value}`));
  const body = h("div.services-body", null, h("p.muted", null, "Loading dependencies…"));
  root.append(h("div.services-page", null, h("div.toolbar", null, h("h2", null, "Service map"), range), body));
  const abort = new AbortController();
  const windowMs = lookbackMs(range.value) ?? 86_400_000;
  const now = BigInt(Date.now()) * 1_000_000n;
  api
    .dependencies(now - BigInt(windowMs) * 1_000_000n, now + 1_000_000_000n, abort.signal)
    .then((deps) => {
      clear(body);
      if (deps.length === 0) {
        body.append(h("p.muted", null, "No calls between services were stored in this time range."));
        return;
      }
      body.append(drawMap(deps, windowMs), depTable(deps, windowMs));
    })
    .catch((e: unknown) => {
      if (abort.signal.aborted) return;
      clear(body);
      body.append(h("p.error", null, `Could not load dependencies: ${(e as Error).message}`));
    });
  return { destroy: () => abort.abort() };
}

function rateText(calls: number, windowMs: number): string {
  const perMin = calls / (windowMs / 60_000);
  return perMin >= 1 ? `${perMin.toFixed(1)}/min` : `${(perMin * 60).toFixed(2)}/h`;
}

function drawMap(deps: Dependency[], windowMs: number): SVGSVGElement {
  const width = 960;
  const names = new Set(deps.flatMap((d) => [d.parent, d.child]));
  const height = Math.max(240, names.size * 50);
  const pos = layoutServices(deps, width, height);
  const map = svg("svg", { class: "service-map", viewBox: `0 0 ${width} ${height}`, width, height, role: "img" });
  const defs = svg("defs", {});
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(svg("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#64748b" }));
  defs.append(marker);
  map.append(defs);
  for (const d of deps) {
    const a = pos.get(d.parent);
    const b = pos.get(d.child);
    if (!a || !b) continue;
    const errPct = d.callCount > 0 ? (100 * d.errorCount) / d.callCount : 0;
    const color = errPct > 0 ? ERROR_COLOR : "#64748b";
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.max(1, Math.hypot(dx, dy));
    const r = 34;
    const x1 = a.x + (dx / len) * r;
    const y1 = a.y + (dy / len) * r;
    const x2 = b.x - (dx / len) * r;
    const y2 = b.y - (dy / len) * r;
    const g = svg("g", { class: "edge" });
    const path = d.parent === d.child ? `M ${a.x - 10} ${a.y - r} C ${a.x - 60} ${a.y - 90}, ${a.x + 60} ${a.y - 90}, ${a.x + 10} ${a.y - r}` : `M ${x1} ${y1} L ${x2} ${y2}`;
    g.append(svg("path", { d: path, stroke: color, "stroke-width": 1.5 + Math.min(4, Math.log10(d.callCount + 1)), fill: "none", "marker-end": "url(#arrow)" }));
    const label = `${rateText(d.callCount, windowMs)} · ${errPct.toFixed(1)}% err · p99 ${formatDuration(Number(d.durationP99Nano))}`;
    const lx = d.parent === d.child ? a.x : (x1 + x2) / 2;
    const ly = d.parent === d.child ? a.y - 80 : (y1 + y2) / 2 - 6;
    g.append(svg("text", { x: lx, y: ly, "text-anchor": "middle", class: "edge-label", fill: errPct > 0 ? ERROR_COLOR : "#334155" }, label));
    g.append(svg("title", {}, `${d.parent} → ${d.child}: ${d.callCount} calls, ${d.errorCount} errors, p50 ${formatDuration(Number(d.durationP50Nano))}, p99 ${formatDuration(Number(d.durationP99Nano))}`));
    map.append(g);
  }
  for (const p of pos.values()) {
    const a = svg("a", { href: `/search?service=${encodeURIComponent(p.name)}`, class: "node" });
    a.addEventListener("click", (e) => {
      e.preventDefault();
      router.navigate(`/search?service=${encodeURIComponent(p.name)}`);
    });
    a.append(svg("circle", { cx: p.x, cy: p.y, r: 30, fill: serviceColor(p.name), "fill-opacity": 0.9 }));
    a.append(svg("text", { x: p.x, y: p.y + 46, "text-anchor": "middle", class: "node-label" }, p.name));
    map.append(a);
  }
  return map;
}

function depTable(deps: Dependency[], windowMs: number): HTMLTableElement {
  return h(
    "table.dep-table",
    null,
    h("tr", null, ["Caller", "Callee", "Calls", "Rate", "Errors", "p50", "p99"].map((t) => h("th", null, t))),
    deps.map((d) =>
      h(
        "tr",
        null,
        h("td", null, h("a", { href: `/search?service=${encodeURIComponent(d.parent)}`, "data-link": true }, d.parent)),
        h("td", null, h("a", { href: `/search?service=${encodeURIComponent(d.child)}`, "data-link": true }, d.child)),
        h("td", null, String(d.callCount)),
        h("td", null, rateText(d.callCount, windowMs)),
        h("td", { class: d.errorCount > 0 ? "error" : "" }, `${d.errorCount} (${d.callCount ? ((100 * d.errorCount) / d.callCount).toFixed(1) : "0"}%)`),
        h("td", null, formatDuration(Number(d.durationP50Nano))),
        h("td", null, formatDuration(Number(d.durationP99Nano))),
      ),
    ),
  );
}
