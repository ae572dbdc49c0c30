// The span detail pane: what the compact form lacks (attributes, resource, scope, status, trace
// state, links, events) fetched for the one span opened; exception events shown readably.
import { api, type KeyValue, type OtlpSpan } from "../api";
import { serviceColor } from "../colors";
import { clear, h } from "../dom";
import { formatDuration, formatTime, SPAN_KINDS, STATUS_CODES } from "../format";
import { indexOfSpanId, spanIdAt } from "./model";
import { exceptionOf, valueText } from "./otlp_values";
import type { TraceState } from "./state";

export class DetailPane {
  readonly root = h("aside.detail", { "aria-label": "Span details" });
  private abort: AbortController | null = null;
  onClose: () => void = () => {};

  constructor(private readonly state: TraceState) {}

  async show(i: number): Promise<void> {
    this.abort?.abort();
    clear(this.root);
    if (i < 0) return;
    const s = this.state;
    const m = s.model;
    const spanId = spanIdAt(m, i);
    const service = m.services[m.service[i]];
    const error = m.status[i] === 2;
    const parentIndex = m.parent[i];
    this.root.append(
      h(
        "div.detail-head",
        null,
        h("button.close", { title: "Close (Esc)", onclick: () => this.onClose() }, "×"),
        h("h2", { class: error ? "error" : "" }, m.names[m.name[i]]),
        h("div.svc", null, h("span.swatch", { style: `background:${serviceColor(service)}` }), service),
      ),
      table([
        ["Span id", spanId],
        ["Parent", parentIndex >= 0 ? `${spanIdAt(m, parentIndex)} (${m.names[m.name[parentIndex]]})` : "—"],
        ["Start", `${formatTime(m.startNs + BigInt(Math.round(m.start[i])))} (+${formatDuration(m.start[i])})`],
        ["Duration", formatDuration(m.duration[i])],
        ["Kind", SPAN_KINDS[m.kind[i]] ?? String(m.kind[i])],
        ["Status", STATUS_CODES[m.status[i]] ?? String(m.status[i])],
      ]),
    );
    const orphan = m.orphans.find((o) => o.index === i);
    if (orphan) {
      this.root.append(
        h(
          "div.orphan-note",
          null,
          `⚠ Orphan span: its parent ${orphan.parentSpanId} never arrived. The context was lost before ${service} "${m.names[m.name[i]]}".`,
        ),
      );
    }
    const body = h("div.detail-body", null, h("p.muted", null, "Loading details…"));
    this.root.append(body);
    const abort = new AbortController();
    this.abort = abort;
    try {
      const doc = await api.span(m.traceId, spanId, abort.signal);
      if (abort.signal.aborted) return;
      const rs = doc.resourceSpans?.[0];
      const ss = rs?.scopeSpans?.[0];
      const span = ss?.spans?.[0];
      clear(body);
      if (!span) {
        body.append(h("p.muted", null, "The span is no longer stored."));
        return;
      }
      this.renderDetails(body, span, rs?.resource?.attributes, ss?.scope);
    } catch (e) {
      if (abort.signal.aborted) return;
      clear(body);
      body.append(h("p.error", null, `Could not load the span: ${(e as Error).message}`));
    }
  }

  private renderDetails(
    body: HTMLElement,
    span: OtlpSpan,
    resource: KeyValue[] | undefined,
    scope: { name?: string; version?: string } | undefined,
  ): void {
    const status = span.status;
    if (status?.message) body.append(h("div.status-message", null, h("b", null, "Status message: "), status.message));
    const events = span.events ?? [];
    for (const ev of events) {
      const ex = exceptionOf(ev.name, ev.attributes);
      if (!ex) continue;
      body.append(
        h(
          "section.exception",
          null,
          h("div.ex-title", null, h("span.ex-type", null, ex.type || "exception"), ex.message ? ": " : "", h("span.ex-message", null, ex.message)),
          ev.timeUnixNano ? h("div.muted", null, formatTime(ev.timeUnixNano)) : null,
          ex.stacktrace ? h("pre.ex-stack", null, ex.stacktrace) : null,
        ),
      );
    }
    body.append(section("Attributes", kvTable(span.attributes)));
    body.append(section("Resource", kvTable(resource)));
    if (scope?.name) body.append(section("Scope", table(scope.version ? [["Name", scope.name], ["Version", scope.version]] : [["Name", scope.name]])));
    if (span.traceState) body.append(section("Trace state", h("code", null, span.traceState)));
    const links = span.links ?? [];
    if (links.length > 0) {
      body.append(
        section(
          `Links (${links.length})`,
          h(
            "ul.links",
            null,
            links.map((l) => {
              const here = l.traceId === this.state.model.traceId ? indexOfSpanId(this.state.model, l.spanId) : -1;
              const a = h("a", { href: `/trace/${l.traceId}?span=${l.spanId}`, "data-link": true }, `${l.traceId.slice(0, 12)}… / ${l.spanId}`);
              if (here >= 0) {
                a.addEventListener("click", (e) => {
                  e.preventDefault();
                  e.stopPropagation();
                  this.state.select(here);
                });
              }
              return h("li", null, a, kvTable(l.attributes));
            }),
          ),
        ),
      );
    }
    if (events.length > 0) {
      body.append(
        section(
          `Events (${events.length})`,
          h(
            "ol.events",
            null,
            events.map((ev) =>
              h(
                "li",
                null,
                h("div", null, h("b", null, ev.name ?? ""), ev.timeUnixNano ? h("span.muted", null, ` ${formatTime(ev.timeUnixNano)}`) : null),
                kvTable(ev.attributes),
              ),
            ),
          ),
        ),
      );
    }
  }
}

function section(title: string, content: Node): HTMLElement {
  return h("section", null, h("h3", null, title), content);
}

function table(rows: [string, string][]): HTMLTableElement {
  return h("table.kv", null, rows.map(([k, v]) => h("tr", null, h("th", null, k), h("td", null, v))));
}

function kvTable(attrs: KeyValue[] | undefined): HTMLElement {
  if (!attrs || attrs.length === 0) return h("p.muted", null, "none");
  return h(
    "table.kv",
    null,
    attrs.map((kv) => h("tr", null, h("th", null, kv.key), h("td", null, valueText(kv.value)))),
  );
}
