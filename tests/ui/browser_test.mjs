// The web UI in real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core),
// against a running `tracewire serve` holding send_scenario.py's traces:
//   node browser_test.mjs --base http://127.0.0.1:PORT --ids ids.json --out DIR
// search → open the failing trace → collapse/expand → flame graph zoom → open the exception span
// → logs tab; a deep link; the services map. A screenshot of each page goes to DIR.
import { createRequire } from "node:module";
import { readFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../../ui/package.json"));
const { chromium } = require("playwright-core");

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const base = args.base;
const ids = JSON.parse(readFileSync(args.ids, "utf8"));
const out = args.out;
mkdirSync(out, { recursive: true });

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "PASS" : "FAIL"} ${name}${!ok && detail ? ` — ${detail}` : ""}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const consoleErrors = [];
// The unknown-trace check's 404 is expected; any other console error fails the test.
page.on("console", (m) => { if (m.type() === "error" && !m.location().url.includes("beef")) consoleErrors.push(`${m.text()} (${m.location().url})`); });
page.on("pageerror", (e) => consoleErrors.push(String(e)));
const shot = (name) => page.screenshot({ path: join(out, `${name}.png`) });
const rows = () => page.evaluate(() => window.__tw.state.rows.length);
const selectedName = () => page.evaluate(() => { const s = window.__tw.state; const m = s.model; return s.selected < 0 ? "" : m.names[m.name[s.selected]]; });
// Clicks the waterfall row `row` at x (content coordinates of the rows canvas).
async function clickRow(row, x) {
  const box = await page.locator(".waterfall-rows .cv-scroll").boundingBox();
  await page.mouse.click(box.x + x, box.y + row * 22 + 11);
}

try {
  // 1. Search.
  await page.goto(`${base}/search?service=ui-gateway&lookback=1h&limit=20`);
  await page.waitForSelector(".result", { timeout: 15000 });
  const results = await page.locator(".result").count();
  check("search lists the gateway's traces", results === 2, `${results} results`);
  check("the URL holds the query", (await page.locator("select[name=service]").inputValue()) === "ui-gateway");
  const failingCard = page.locator(`.result[data-trace-id="${ids.failing}"]`);
  check("the failing trace shows its errors", (await failingCard.locator(".error").textContent())?.includes("error") ?? false);
  await shot("01-search");

  // 2. Open the trace.
  await failingCard.click();
  await page.waitForFunction((id) => window.__twReady?.traceId === id, ids.failing, { timeout: 15000 });
  check("the trace page is at /trace/{id}", page.url().includes(`/trace/${ids.failing}`));
  const header = await page.locator(".trace-header").textContent();
  check("header: root, spans, services, errors", header.includes("ui-gateway: GET /checkout") && header.includes("Spans6") && header.includes("Services3") && header.includes("Errors3"), header);
  check("all six spans are rows", (await rows()) === 6);
  await shot("02-trace-waterfall");

  // 3. Collapse and expand.
  await page.getByRole("button", { name: "Collapse all" }).click();
  check("collapse all leaves the root and its child", (await rows()) === 2);
  await clickRow(1, 6 + 14 + 6); // the toggle of "call orders" (depth 1)
  check("clicking a toggle expands one level", (await rows()) === 3, `${await rows()} rows`);
  await shot("03-trace-collapsed");
  await page.getByRole("button", { name: "Expand all" }).click();
  check("expand all shows every span again", (await rows()) === 6);
  await clickRow(0, 200);
  await page.keyboard.press("ArrowDown");
  check("keyboard: ↓ selects the next row", (await selectedName()) === "call orders");
  await page.keyboard.press("ArrowLeft");
  check("keyboard: ← collapses the selected span", (await rows()) === 2);
  await page.keyboard.press("ArrowRight");
  check("keyboard: → expands it again", (await rows()) === 6);

  // 4. Flame graph zoom.
  await page.getByRole("button", { name: "Flame graph" }).click();
  await page.waitForTimeout(100);
  await shot("04-flame");
  const fbox = await page.locator(".flame .cv-scroll").boundingBox();
  // "POST /orders" is at depth 2, from 8 ms to 50 ms of the 55 ms trace.
  await page.mouse.click(fbox.x + fbox.width * (29 / 55), fbox.y + 2 * 20 + 10);
  const zoom = await page.evaluate(() => ({ from: window.__tw.flame.from, to: window.__tw.flame.to }));
  check("clicking a flame span selects it", (await selectedName()) === "POST /orders", await selectedName());
  check("and zooms to it", zoom.from > 7e6 && zoom.to < 51e6, JSON.stringify(zoom));
  check("reset zoom shows up", await page.getByRole("button", { name: "Reset zoom" }).isVisible());
  await page.fill(".span-search", "charge");
  check("flame search highlights matches", (await page.locator(".match-count").textContent()).startsWith("1 match"));
  await shot("05-flame-zoomed");
  await page.getByRole("button", { name: "Reset zoom" }).click();
  await page.fill(".span-search", "");

  // 5. The exception span, opened from the waterfall.
  await page.getByRole("button", { name: "Timeline" }).click();
  await clickRow(5, 200); // "charge card"
  check("the deep span is selected", (await selectedName()) === "charge card");
  check("the URL links to it", page.url().includes(`span=${ids.deepSpan}`));
  await page.waitForSelector(".exception .ex-type", { timeout: 10000 });
  const exType = await page.locator(".exception .ex-type").textContent();
  const exMessage = await page.locator(".exception .ex-message").textContent();
  const exStack = await page.locator(".exception .ex-stack").textContent();
  check("exception type", exType.includes("CardDeclined"), exType);
  check("exception message", exMessage === "card declined for amount 42.5", exMessage);
  check("exception stack trace", exStack.includes("Traceback") && exStack.includes("in authorize"), exStack.slice(0, 200));
  const detail = await page.locator(".detail").textContent();
  check("detail: status, attributes, resource", detail.includes("error") && detail.includes("payment.amount") && detail.includes("deployment.environment"));
  check("the span is red", await page.evaluate(() => window.__tw.state.model.status[window.__tw.state.selected] === 2));
  await shot("06-exception-span");

  // 6. Logs of the trace, then of the span and by level.
  await page.getByRole("button", { name: "Logs" }).click();
  await page.waitForSelector(".log-table", { timeout: 10000 });
  const logText = await page.locator(".log-table").textContent();
  check("logs tab lists the trace's log lines", logText.includes("payment failed: card declined") && logText.includes("charging card for order 42") && logText.includes("checkout started"), logText);
  const order = ["checkout started", "charging card", "payment failed"].map((s) => logText.indexOf(s));
  check("logs are in time order", order[0] < order[1] && order[1] < order[2], JSON.stringify(order));
  await page.selectOption("select[name=span]", "span");
  check("filter by span", (await page.locator(".log-table tr").count()) === 3); // header + 2
  await page.selectOption("select[name=level]", "17");
  check("filter by level", (await page.locator(".log-table tr").count()) === 2);
  await shot("07-logs");

  // 7. Orphans, deep link, copy id, not found.
  await page.goto(`${base}/trace/${ids.healthy}`);
  await page.waitForFunction((id) => window.__twReady?.traceId === id, ids.healthy, { timeout: 15000 });
  const orphans = await page.locator(".trace-header .orphans").textContent();
  check("an orphan is flagged with where the context was lost", orphans.includes("1 orphan") && orphans.includes('ui-orders "GET /recommendations"') && orphans.includes("00000000deadbeef"), orphans);
  await shot("09-orphan");
  await page.goto(`${base}/trace/${ids.failing}?span=${ids.ordersSpan}`);
  await page.waitForFunction(() => window.__twReady !== undefined, null, { timeout: 15000 });
  check("a deep link opens the span", (await selectedName()) === "POST /orders");
  check("copy id button", await page.getByRole("button", { name: "Copy id" }).isVisible());
  await page.goto(`${base}/trace/0000000000000000000000000000beef`);
  await page.waitForSelector(".error", { timeout: 10000 });
  check("an unknown trace says so", (await page.locator(".error").textContent()).includes("not found"));

  // 8. Services map.
  await page.goto(`${base}/services`);
  await page.waitForSelector(".service-map .node", { timeout: 10000 });
  check("service map has the three services", (await page.locator(".service-map .node").count()) === 3);
  const table = await page.locator(".dep-table").textContent();
  check("edges gateway→orders→payments", table.includes("ui-gateway") && table.includes("ui-orders") && table.includes("ui-payments"), table);
  await shot("08-services");
  await page.locator(".service-map .node").first().click();
  await page.waitForSelector(".result", { timeout: 10000 });
  check("a service links to its search", page.url().includes("/search?service="));

  check("no console errors", consoleErrors.length === 0, consoleErrors.join(" | "));
} catch (e) {
  check("browser test ran to the end", false, String(e?.stack ?? e));
  await shot("99-failure").catch(() => {});
} finally {
  await browser.close();
}
console.log(`screenshots in ${out}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
