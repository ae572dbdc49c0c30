// /search: the form (its state lives in the URL), a duration-over-time scatter plot of the
// results (click a dot to open the trace) and the result list.
import { api, type TraceSummary } from "../api";
import { ERROR_COLOR, serviceColor } from "../colors";
import { clear, h, sizeCanvas } from "../dom";
import { formatAgo, formatDuration, formatTime } from "../format";
import { router, type Page } from "../router";
import { LOOKBACKS, parseAttrs, queryFromUrl, queryToApi, queryToUrl, type SearchQuery } from "./search_query";

export function searchPage(root: HTMLElement, url: URL): Page {
  const q = queryFromUrl(url.searchParams);
  const abort = new AbortController();

  const service = h("select", { name: "service", "aria-label": "Service" }, h("option", { value: "" }, "All services"));
  const operation = h("select", { name: "operation", "aria-label": "Operation" }, h("option", { value: "" }, "All operations"));
  const attrs = h("textarea", { name: "attrs", rows: 2, placeholder: "http.response.status_code=500", "aria-label": "Attributes (key=value)" });
  attrs.value = q.attrs.join("\n");
  const errors = h("input", { type: "checkbox", name: "errors", checked: q.errors });
  const minDuration = h("input", { name: "minDuration", placeholder: "e.g. 10ms", value: q.minDuration, size: 8 });
  const maxDuration = h("input", { name: "maxDuration", placeholder: "e.g. 2s", value: q.maxDuration, size: 8 });
  const lookback = h("select", { name: "lookback", "aria-label": "Time range" }, LOOKBACKS.map(([v, label]) => h("option", { value: v }, label)));
  lookback.value = q.lookback;
  const start = h("input", { type: "datetime-local", name: "start", value: q.start, step: 1 });
  const end = h("input", { type: "datetime-local", name: "end", value: q.end, step: 1 });
  const custom = h("div.custom-range", null, h("label", null, "From ", start), h("label", null, "To ", end));
  custom.hidden = q.lookback !== "custom";
  lookback.addEventListener("change", () => (custom.hidden = lookback.value !== "custom"));
  const limit = h("input", { type: "number", name: "limit", min: 1, max: 1500, value: q.limit, size: 5 });

  const loadOperations = async (svc: string, selected: string) => {
    operation.replaceChildren(h("option", { value: "" }, "All operations"));
    if (!svc) return;
    try {
      const ops = await api.operations(svc, abort.signal);
      const names = [...new Set(ops.map((o) => o.name))];
      for (const n of names) operation.append(h("option", { value: n }, n));
      operation.value = names.includes(selected) ? selected : "";
    } catch {
      // leave "All operations"
    }
  };
  service.addEventListener("change", () => void loadOperations(service.value, ""));
  void api
    .services(abort.signal)
    .then(async (services) => {
      for (const s of services) service.append(h("option", { value: s }, s));
      if (q.service && !services.includes(q.service)) service.append(h("option", { value: q.service }, q.service));
      service.value = q.service;
      await loadOperations(q.service, q.operation);
    })
    .catch(() => {});

  const form = h(
    "form.search-form",
    null,
    h("label", null, "Service", service),
    h("label", null, "Operation", operation),
    h("label", null, "Attributes (key=value)", attrs),
    h("label", null, "Min duration", minDuration),
    h("label", null, "Max duration", maxDuration),
    h("label", null, "Time range", lookback),
    custom,
    h("label", null, "Limit", limit),
    h("label.check", null, errors, "Errors only"),
    h("button.primary", { type: "submit" }, "Find traces"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const next: SearchQuery = {
      service: service.value,
      operation: operation.value,
      attrs: parseAttrs(attrs.value),
      errors: errors.checked,
      minDuration: minDuration.value.trim(),
      maxDuration: maxDuration.value.trim(),
      lookback: lookback.value,
      start: start.value,
      end: end.value,
      limit: Number(limit.value) || 20,
    };
    router.navigate(`/search?${queryToUrl(next).toString()}`);
  });

  const scatter = h("canvas.scatter", { "aria-label": "Duration over time" });
  const scatterBox = h("div.scatter-box", null, scatter);
  const results = h("div.results", null, h("p.muted", null, "Searching…"));
  root.append(h("div.search-page", null, h("aside.search-side", null, h("h2", null, "Search"), form), h("section.search-main", null, scatterBox, results)));

  let traces: TraceSummary[] = [];
  let dots: { x: number; y: number; id: string }[] = [];
  const drawScatter = () => {
    const width = scatterBox.clientWidth;
    const height = 160;
    if (width === 0) return;
    const ctx = sizeCanvas(scatter, width, height);
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = "#f8fafc";
    ctx.fillRect(0, 0, width, height);
    dots = [];
    if (traces.length === 0) return;
    const times = traces.map((t) => Number(BigInt(t.startTimeUnixNano) / 1_000_000n));
    const durs = traces.map((t) => Number(t.durationNano));
    const t0 = Math.min(...times);
    const t1 = Math.max(...times);
    const dMax = Math.max(...durs, 1);
    const pad = 16;
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillStyle = "#64748b";
    ctx.fillText(formatDuration(dMax), 4, 12);
    ctx.fillText(formatTime(BigInt(t0) * 1_000_000n), pad, height - 4);
    traces.forEach((t, k) => {
      const x = t1 === t0 ? width / 2 : pad + ((times[k] - t0) / (t1 - t0)) * (width - 2 * pad);
      const y = height - 18 - (durs[k] / dMax) * (height - 36);
      const r = Math.min(9, 3 + Math.log10(Math.max(1, t.spanCount)) * 2);
      ctx.beginPath();
      ctx.arc(x, y, r, 0, Math.PI * 2);
      ctx.fillStyle = t.errorCount > 0 ? ERROR_COLOR : serviceColor(t.rootService);
      ctx.globalAlpha = 0.75;
      ctx.fill();
      ctx.globalAlpha = 1;
      dots.push({ x, y, id: t.traceId });
    });
  };
  scatter.addEventListener("click", (e) => {
    const rect = scatter.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    let best: { d: number; id: string } | null = null;
    for (const dot of dots) {
      const d = Math.hypot(dot.x - x, dot.y - y);
      if (d < 12 && (!best || d < best.d)) best = { d, id: dot.id };
    }
    if (best) router.navigate(`/trace/${best.id}`);
  });
  const observer = new ResizeObserver(drawScatter);
  observer.observe(scatterBox);

  api
    .search(queryToApi(q, Date.now()), abort.signal)
    .then((found) => {
      traces = found;
      drawScatter();
      clear(results);
      results.append(h("h2", null, `${found.length} trace${found.length === 1 ? "" : "s"}`));
      if (found.length === 0) results.append(h("p.muted", null, "No traces match. Widen the time range or remove a filter."));
      for (const t of found) results.append(resultRow(t));
    })
    .catch((e: unknown) => {
      if (abort.signal.aborted) return;
      clear(results);
      results.append(h("p.error", null, `Search failed: ${(e as Error).message}`));
    });

  return {
    destroy: () => {
      abort.abort();
      observer.disconnect();
    },
  };
}

function resultRow(t: TraceSummary): HTMLElement {
  return h(
    "a.result",
    { href: `/trace/${t.traceId}`, "data-link": true, "data-trace-id": t.traceId },
    h(
      "div.result-head",
      null,
      h("span.result-title", null, h("span.swatch", { style: `background:${serviceColor(t.rootService)}` }), `${t.rootService}: ${t.rootOperation}`),
      h("span.result-duration", null, formatDuration(Number(t.durationNano))),
    ),
    h(
      "div.result-meta",
      null,
      h("span", null, `${t.spanCount} span${t.spanCount === 1 ? "" : "s"}`),
      t.errorCount > 0 ? h("span.error", null, `${t.errorCount} error${t.errorCount === 1 ? "" : "s"}`) : null,
      h("span.muted", null, `${formatTime(t.startTimeUnixNano)} (${formatAgo(t.startTimeUnixNano)})`),
      h("code.muted", null, t.traceId.slice(0, 16)),
    ),
    h(
      "div.chips",
      null,
      t.services.map((s) => h("span.chip", { class: s.errorCount > 0 ? "chip-error" : "" }, h("span.swatch", { style: `background:${serviceColor(s.service)}` }), `${s.service} (${s.spanCount})`)),
    ),
  );
}
