// The logs tab: the trace's log records in time order, filterable by span (all, the selected
// span, or its subtree) and by minimum level. Clicking a record's span selects it.
import { api, type OtlpLogs } from "../api";
import { serviceColor } from "../colors";
import { clear, h } from "../dom";
import { formatTime } from "../format";
import { indexOfSpanId } from "./model";
import { attr, SEVERITY_LEVELS, severityName, valueText } from "./otlp_values";
import type { TraceState } from "./state";

export interface LogRow {
  timeNs: bigint;
  severity: number;
  severityText: string;
  body: string;
  spanId: string;
  service: string;
  attributes: string;
}

// Flattens OTLP/JSON logs into rows sorted by time (observed time when the record has none).
export function flattenLogs(doc: OtlpLogs): LogRow[] {
  const rows: LogRow[] = [];
  for (const rl of doc.resourceLogs ?? []) {
    const service = attr(rl.resource?.attributes, "service.name") ?? "";
    for (const sl of rl.scopeLogs ?? []) {
      for (const r of sl.logRecords ?? []) {
        const t = r.timeUnixNano && r.timeUnixNano !== "0" ? r.timeUnixNano : (r.observedTimeUnixNano ?? "0");
        rows.push({
          timeNs: BigInt(t),
          severity: r.severityNumber ?? 0,
          severityText: r.severityText || severityName(r.severityNumber),
          body: valueText(r.body),
          spanId: r.spanId ?? "",
          service,
          attributes: (r.attributes ?? []).map((kv) => `${kv.key}=${valueText(kv.value)}`).join(" "),
        });
      }
    }
  }
  rows.sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0));
  return rows;
}

export class LogsTab {
  readonly root = h("div.logs");
  private rows: LogRow[] | null = null;
  private spanFilter = "all"; // all | span | subtree
  private minLevel = 0;
  private readonly list = h("div.log-list");
  private readonly summary = h("span.muted");
  private unsubscribe: () => void;

  constructor(private readonly state: TraceState) {
    const spanSelect = h(
      "select",
      { "aria-label": "Filter by span", name: "span" },
      h("option", { value: "all" }, "All spans"),
      h("option", { value: "span" }, "Selected span"),
      h("option", { value: "subtree" }, "Selected span and children"),
    );
    spanSelect.addEventListener("change", () => {
      this.spanFilter = spanSelect.value;
      this.render();
    });
    const levelSelect = h(
      "select",
      { "aria-label": "Minimum level", name: "level" },
      h("option", { value: "0" }, "Any level"),
      SEVERITY_LEVELS.map((l) => h("option", { value: String(l.min) }, `${l.name} and above`)),
    );
    levelSelect.addEventListener("change", () => {
      this.minLevel = Number(levelSelect.value);
      this.render();
    });
    this.root.append(h("div.log-filters", null, spanSelect, levelSelect, this.summary), this.list);
    this.unsubscribe = state.subscribe((c) => {
      if (c === "selection" && this.spanFilter !== "all") this.render();
    });
  }

  destroy(): void {
    this.unsubscribe();
  }

  async load(): Promise<void> {
    if (this.rows) return;
    this.list.append(h("p.muted", null, "Loading logs…"));
    try {
      this.rows = flattenLogs(await api.logs(this.state.model.traceId));
    } catch (e) {
      clear(this.list);
      this.list.append(h("p.error", null, `Could not load logs: ${(e as Error).message}`));
      return;
    }
    this.render();
  }

  private render(): void {
    if (!this.rows) return;
    const m = this.state.model;
    const sel = this.state.selected;
    let inFilter: (spanId: string) => boolean = () => true;
    if (this.spanFilter !== "all") {
      if (sel < 0) inFilter = () => false;
      else if (this.spanFilter === "span") {
        const id = m.spanIds.substr(sel * 16, 16);
        inFilter = (s) => s === id;
      } else {
        const lo = m.position[sel];
        const hi = lo + m.subtreeSize[sel];
        inFilter = (s) => {
          const i = indexOfSpanId(m, s);
          return i >= 0 && m.position[i] >= lo && m.position[i] < hi;
        };
      }
    }
    const shown = this.rows.filter((r) => r.severity >= this.minLevel && inFilter(r.spanId));
    clear(this.list);
    this.summary.textContent = `${shown.length} of ${this.rows.length} log records`;
    if (shown.length === 0) {
      this.list.append(h("p.muted", null, this.rows.length === 0 ? "No logs were stored for this trace." : "No log records match."));
      return;
    }
    const table = h("table.log-table", null, h("tr", null, h("th", null, "Time"), h("th", null, "Level"), h("th", null, "Service"), h("th", null, "Span"), h("th", null, "Message")));
    for (const r of shown.slice(0, 5000)) {
      const span = r.spanId ? indexOfSpanId(m, r.spanId) : -1;
      const spanCell = span >= 0 ? h("a", { href: "#", onclick: (e: Event) => { e.preventDefault(); this.state.select(span); } }, m.names[m.name[span]]) : r.spanId || "—";
      table.append(
        h(
          "tr",
          { class: `sev-${(r.severityText || "none").toLowerCase()}` },
          h("td.nowrap", null, formatTime(r.timeNs)),
          h("td", null, r.severityText),
          h("td.nowrap", null, h("span.swatch", { style: `background:${serviceColor(r.service)}` }), r.service),
          h("td", null, spanCell),
          h("td.log-body", null, r.body, r.attributes ? h("div.muted", null, r.attributes) : null),
        ),
      );
    }
    this.list.append(table);
  }
}
