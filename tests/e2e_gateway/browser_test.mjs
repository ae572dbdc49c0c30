// The gateway example's failing request in the web UI, in headless Chromium (Debian's
// /usr/bin/chromium through playwright-core from ui/node_modules, as tests/ui does):
//   node browser_test.mjs --base http://127.0.0.1:PORT --ids ids.json --out DIR
// opens /trace/<id> (ids.json from check_trace.py), finds the red DataProcessor span, opens it and
// reads its exception (type, message, stack trace), then the logs tab with the lines of both
// services. Screenshots go to DIR. Prints PASS/FAIL lines; exits 1 on any failure.
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
const ids = JSON.parse(readFileSync(args.ids, "utf8"));
mkdirSync(args.out, { recursive: true });

let failed = 0;
function check(name, ok, detail = "") {
  if (!ok) failed++;
  console.log(`${ok ? "PASS" : "FAIL"} ${name}${!ok && detail ? ` — ${detail}` : ""}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const consoleErrors = [];
page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
page.on("pageerror", (e) => consoleErrors.push(String(e)));
const shot = (name) => page.screenshot({ path: join(args.out, `${name}.png`) });
const model = () => page.evaluate(() => {
  const m = window.__tw.state.model;
  const at = (i) => ({ service: m.services[m.service[i]], name: m.names[m.name[i]], status: m.status[i], id: m.spanIds.substr(i * 16, 16) });
  return { spans: Array.from({ length: m.n }, (_, i) => at(i)), selected: window.__tw.state.selected };
});

try {
  await page.goto(`${args.base}/trace/${ids.failing}`);
  await page.waitForFunction((id) => window.__twReady?.traceId === id, ids.failing, { timeout: 20000 });
  const { spans } = await model();
  const services = new Set(spans.map((s) => s.service));
  check("the trace shows the three services", ["edge-gateway", "query-gateway", "data-processor"].every((s) => services.has(s)), [...services].join(","));
  const red = spans.filter((s) => s.status === 2);
  check("the DataProcessor span is red", red.some((s) => s.id === ids.dpSpan), JSON.stringify(red));
  const header = await page.locator(".trace-header").textContent();
  check("the header counts the errors", /Errors\s*[1-9]/.test(header), header);
  await shot("01-failing-trace");

  await page.goto(`${args.base}/trace/${ids.failing}?span=${ids.dpSpan}`);
  await page.waitForFunction((id) => window.__twReady?.traceId === id, ids.failing, { timeout: 20000 });
  const now = await model();
  check("a deep link selects the DataProcessor span", now.selected >= 0 && now.spans[now.selected].id === ids.dpSpan);
  await page.waitForSelector(".exception .ex-type", { timeout: 10000 });
  const exType = await page.locator(".exception .ex-type").textContent();
  const exMessage = await page.locator(".exception .ex-message").textContent();
  const exStack = await page.locator(".exception .ex-stack").textContent();
  check("exception type", exType.includes("ValueError"), exType);
  check("exception message", exMessage.includes("no revenue baseline for quarter"), exMessage);
  check("stack trace three calls deep", ["in analyze", "in aggregate", "in normalize"].every((f) => exStack.includes(f)), exStack.slice(-300));
  await shot("02-exception");

  await page.getByRole("button", { name: "Logs" }).click();
  await page.waitForSelector(".log-table", { timeout: 10000 });
  const logText = await page.locator(".log-table").textContent();
  check("logs tab: the DataProcessor's lines", logText.includes(ids.dpLog) && logText.includes("data-processor"), logText.slice(0, 300));
  check("logs tab: the QueryGateway's lines", logText.includes("query-gateway") && logText.includes(ids.gwLog), logText.slice(0, 300));
  await shot("03-logs");
  check("no console errors", consoleErrors.length === 0, consoleErrors.join(" | "));
} catch (e) {
  check("the browser steps ran", false, String(e));
  await shot("99-error").catch(() => {});
} finally {
  await browser.close();
}
console.log(`browser_test: ${failed} failed`);
process.exit(failed ? 1 : 0);
