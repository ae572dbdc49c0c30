// Large-trace UI bench: generates traces of 10k, 100k and 1M spans, sends them to a running
// `tracewire serve` over OTLP/HTTP JSON in chunks, then opens each in headless Chromium and
// prints, per trace: the compact fetch alone, navigation → first full draw (waterfall and flame
// graph both drawn: window.__twReady), a scroll and a zoom answered (time-to-interactive), and
// the peak JS heap (CDP Runtime.getHeapUsage, sampled every 50 ms).
//   node bench.mjs --otlp http://127.0.0.1:4318 --base http://127.0.0.1:16686 [--sizes 10000,100000,1000000]
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../../ui/package.json"));
const { chromium } = require("playwright-core");

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const sizes = (args.sizes ?? "10000,100000,1000000").split(",").map(Number);
const CHUNK = 20000;
const SERVICES = 24;
const OPERATIONS = 300;

// A deterministic PRNG (mulberry32), so every run draws the same trees.
function rng(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Spans of one trace: a tree with fan-out ~6 (depth ~ log6 n), children nested in their parent's
// time, 2% errors; services and operations drawn from fixed pools.
function makeTrace(n, seed) {
  const rand = rng(seed);
  const traceId = randomBytes(16).toString("hex");
  const base = BigInt(Date.now() - 60_000) * 1_000_000n;
  const start = new Float64Array(n);
  const dur = new Float64Array(n);
  const parent = new Int32Array(n);
  const ids = [];
  dur[0] = 30e9;
  parent[0] = -1;
  for (let i = 0; i < n; i++) {
    ids.push(randomBytes(8).toString("hex"));
    if (i === 0) continue;
    const p = Math.max(0, Math.floor((i - 1) / 6) - Math.floor(rand() * 3));
    parent[i] = p;
    start[i] = start[p] + rand() * 0.5 * dur[p];
    dur[i] = Math.max(1000, rand() * 0.5 * dur[p]);
  }
  const chunks = [];
  for (let lo = 0; lo < n; lo += CHUNK) {
    const byService = new Map();
    for (let i = lo; i < Math.min(n, lo + CHUNK); i++) {
      const svc = i === 0 ? 0 : 1 + Math.floor(rand() * (SERVICES - 1));
      const st = base + BigInt(Math.floor(start[i]));
      const en = st + BigInt(Math.floor(dur[i]));
      const error = rand() < 0.02;
      const span =
        `{"traceId":"${traceId}","spanId":"${ids[i]}"` +
        (parent[i] >= 0 ? `,"parentSpanId":"${ids[parent[i]]}"` : "") +
        `,"name":"op-${Math.floor(rand() * OPERATIONS)}","kind":${1 + (i % 3)},"startTimeUnixNano":"${st}","endTimeUnixNano":"${en}"` +
        `,"attributes":[{"key":"bench.index","value":{"intValue":"${i}"}},{"key":"http.route","value":{"stringValue":"/api/v${i % 7}"}}]` +
        (error ? `,"status":{"code":2,"message":"failed"}` : "") +
        "}";
      if (!byService.has(svc)) byService.set(svc, []);
      byService.get(svc).push(span);
    }
    const resourceSpans = [...byService.entries()].map(
      ([svc, spans]) =>
        `{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"bench-svc-${svc}"}}]},"scopeSpans":[{"scope":{"name":"bench"},"spans":[${spans.join(",")}]}]}`,
    );
    chunks.push(`{"resourceSpans":[${resourceSpans.join(",")}]}`);
  }
  return { traceId, chunks };
}

async function send(otlp, trace) {
  for (const body of trace.chunks) {
    for (let attempt = 0; ; attempt++) {
      const r = await fetch(`${otlp}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
      if (r.ok) {
        const text = await r.text();
        if (text.includes("rejectedSpans") && !/"rejectedSpans":"?0"?/.test(text)) throw new Error(`partial success: ${text}`);
        break;
      }
      if ((r.status === 429 || r.status === 503) && attempt < 50) {
        await new Promise((res) => setTimeout(res, 500));
        continue;
      }
      throw new Error(`OTLP ${r.status}: ${await r.text()}`);
    }
  }
}

async function waitStored(base, traceId, n) {
  for (let i = 0; i < 600; i++) {
    const r = await fetch(`${base}/api/v1/traces?service=bench-svc-0&limit=50`);
    const j = await r.json();
    const t = j.traces.find((x) => x.traceId === traceId);
    if (t && t.spanCount >= n) return;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`trace ${traceId} did not reach ${n} spans`);
}

async function timeCompact(base, traceId) {
  const t0 = performance.now();
  const r = await fetch(`${base}/api/v1/traces/${traceId}/compact`);
  const body = await r.arrayBuffer();
  return { ms: performance.now() - t0, mb: body.byteLength / 1e6 };
}

async function measure(browser, base, traceId, rendererPeak) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  let peak = 0;
  let crashed = false;
  page.on("crash", () => (crashed = true));
  const sampler = setInterval(async () => {
    try {
      const u = await cdp.send("Runtime.getHeapUsage");
      peak = Math.max(peak, u.usedSize);
    } catch {
      // page navigating or gone
    }
  }, 50);
  await page.goto(`${base}/search`);
  await page.waitForSelector(".search-form");
  const nav0 = Date.now();
  await page.goto(`${base}/trace/${traceId}`);
  await page.waitForFunction(() => window.__twReady !== undefined, null, { timeout: 120000, polling: 20 });
  const { at: ready, fetched, built } = await page.evaluate(() => window.__twReady);
  const net = await page.evaluate(() => {
    const e = performance.getEntriesByType("resource").find((r) => r.name.endsWith("/compact"));
    return e ? { requested: e.requestStart, firstByte: e.responseStart, lastByte: e.responseEnd } : null;
  });
  // Interactive: scrolls of the waterfall and zooms of the flame graph, each answered with a full
  // redraw (until two frames later). The first of each is what a user feels right after load
  // (TTI); the median of five is the steady response.
  const answer = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const scrolls = [];
  for (let k = 1; k <= 5; k++) {
    const t = await page.evaluate((f) => {
      const tw = window.__tw;
      const t0 = performance.now();
      tw.waterfall.view.scrollToContent(tw.state.rows.length * 22 * f);
      return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now() - t0))));
    }, k / 6);
    scrolls.push(t);
  }
  await page.evaluate(() => window.__tw.show("flame"));
  await answer();
  const zooms = [];
  for (let k = 0; k < 5; k++) {
    const t = await page.evaluate((f) => {
      const tw = window.__tw;
      const t0 = performance.now();
      tw.flame.zoomAround(f, 0.5);
      return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now() - t0))));
    }, 0.2 + k * 0.15);
    zooms.push(t);
  }
  const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  const scroll = { answered: scrolls[0], median: median(scrolls) };
  const zoom = await page.evaluate(() => {
    const tw = window.__tw;
    const t1 = performance.now();
    tw.flame.resetZoom();
    tw.flame.view.drawNow();
    return { fullDraw: performance.now() - t1 };
  });
  zoom.answered = zooms[0];
  zoom.median = median(zooms);
  const ttiAt = ready + scrolls[0] + zooms[0];
  clearInterval(sampler);
  const u = await cdp.send("Runtime.getHeapUsage").catch(() => ({ usedSize: 0, totalSize: 0 }));
  peak = Math.max(peak, u.usedSize);
  const totalMb = u.totalSize / 1e6; // the heap V8 holds after the run: at least the live peak
  const wall = Date.now() - nav0;
  const rssMb = rendererPeak();
  await context.close();
  return { ready, fetched, built, net, scroll, zoom, tti: ttiAt, wall, peakMb: peak / 1e6, totalMb, rssMb, crashed };
}

// Each browser gets a marker switch so that its process tree can be found in /proc.
const launch = (marker) =>
  chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", `--tw-bench-marker=${marker}`],
  });

// Peak resident memory (VmHWM, MB) of the renderer processes of the browser started with
// `marker`: the tab's whole footprint, typed arrays (outside the V8 heap) included.
function rendererPeakMb(marker) {
  const parentOf = new Map();
  const isRenderer = new Map();
  let rootPid = -1;
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8");
      isRenderer.set(Number(name), cmdline.includes("--type=renderer"));
      if (cmdline.includes(`--tw-bench-marker=${marker}`) && !cmdline.includes("--type=")) rootPid = Number(name);
    } catch {
      // gone
    }
  }
  let peak = 0;
  for (const [pid, renderer] of isRenderer) {
    if (!renderer) continue;
    let p = pid;
    while (p > 1 && p !== rootPid) p = parentOf.get(p) ?? 0;
    if (p !== rootPid) continue;
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    if (m) peak = Math.max(peak, Number(m[1]) / 1024);
  }
  return peak;
}
const rows = [];
for (const [k, n] of sizes.entries()) {
  const g0 = performance.now();
  const trace = makeTrace(n, 1000 + k);
  const g1 = performance.now();
  await send(args.otlp, trace);
  await waitStored(args.base, trace.traceId, n);
  const g2 = performance.now();
  const compact = await timeCompact(args.base, trace.traceId);
  const marker = randomBytes(6).toString("hex");
  const browser = await launch(marker);
  const m = await measure(browser, args.base, trace.traceId, () => rendererPeakMb(marker));
  await browser.close();
  console.error(`bench-ui: ${n} spans: generated in ${(g1 - g0).toFixed(0)} ms, sent+stored in ${(g2 - g0 - (g1 - g0)).toFixed(0)} ms`);
  rows.push({ n, compact, ...m });
}
const pad = (s, w) => String(s).padStart(w);
console.log("\nUI large-trace bench (headless Chromium; ms from navigation start)");
console.log(
  ["spans", "compact MB", "fetch ms", "req ms", "1st byte ms", "last byte ms", "data in ms", "model ms", "drawn ms", "scroll ms", "zoom ms", "TTI ms", "scroll med", "zoom med", "flame full ms", "JS heap MB", "heap total MB", "tab RSS MB", "crashed"].map((h, i) => pad(h, i === 0 ? 9 : 12)).join(" "),
);
for (const r of rows) {
  console.log(
    [
      pad(r.n, 9),
      pad(r.compact.mb.toFixed(1), 12),
      pad(r.compact.ms.toFixed(0), 12),
      pad(r.net ? r.net.requested.toFixed(0) : "-", 12),
      pad(r.net ? r.net.firstByte.toFixed(0) : "-", 12),
      pad(r.net ? r.net.lastByte.toFixed(0) : "-", 12),
      pad(r.fetched.toFixed(0), 12),
      pad((r.built - r.fetched).toFixed(0), 12),
      pad(r.ready.toFixed(0), 12),
      pad(r.scroll.answered.toFixed(1), 12),
      pad(r.zoom.answered.toFixed(1), 12),
      pad(r.tti.toFixed(0), 12),
      pad(r.scroll.median.toFixed(1), 12),
      pad(r.zoom.median.toFixed(1), 12),
      pad(r.zoom.fullDraw.toFixed(1), 12),
      pad(r.peakMb.toFixed(0), 12),
      pad(r.totalMb.toFixed(0), 12),
      pad(r.rssMb.toFixed(0), 12),
      pad(r.crashed ? "yes" : "no", 12),
    ].join(" "),
  );
}
console.log("fetch = the compact route alone (before the browser); req / 1st byte / last byte = the page's own request of it (resource timing);");
console.log("data in = the page has the parsed trace; model = building it;");
console.log("drawn = waterfall + flame graph drawn (__twReady); scroll/zoom = the first after load, answered (2 frames);");
console.log("TTI = drawn + that scroll + that zoom; scroll/zoom med = median of 5 each; flame full = a full-trace flame draw");
console.log("JS heap = max of sampled Runtime.getHeapUsage().usedSize (typed arrays live outside it); heap total = V8 heap size after the run;");
console.log("tab RSS = peak resident memory (VmHWM) of the tab's renderer process, everything included");
const load = (await import("node:os")).loadavg();
console.log(`load average during the run: ${load.map((v) => v.toFixed(1)).join(" ")} (2 cores, shared)`);
