// Service B, `catalog`: item look-ups. Each look-up asks the C++ echo service (tRPC) for a stock
// check, over plain HTTP to B's outbound sidecar, which transcodes the POST of
// /trpc.test.echo.Echo/Echo into a tRPC call (contracts C1). Without $ECHO_URL it answers alone.
//   getItem({sku})      -> the item, after the echo round trip; NOT_FOUND for an unknown sku
//   reserveItem({sku})  -> always fails: the echo service's Fail answers func_ret 1, which
//                          becomes INTERNAL_SERVER_ERROR (HTTP 500) here
import { TRPCError } from "@trpc/server";
import { Logger } from "./log.js";
import { envPort, idInput, procedure, router, serve } from "./service.js";
import { outgoingTraceHeaders } from "./trace_headers.js";

const log = new Logger("catalog");
const ECHO_URL = process.env["ECHO_URL"]?.replace(/\/+$/, "") ?? "";
const ECHO_TIMEOUT_MS = 3000;

const ITEMS: Record<string, { name: string; priceCents: number }> = {
  "sku-1": { name: "trace-shaped mug", priceCents: 1200 },
  "sku-2": { name: "span-length cable", priceCents: 450 },
  "sku-3": { name: "sidecar for one", priceCents: 99900 },
};

// One call to the echo service through the outbound sidecar. The body is echoed back by
// trpc.test.echo.Echo/Echo; Fail answers an error. A tRPC error arrives either as a non-2xx
// status or as a non-zero trpc-ret / trpc-func-ret header: both are failures here.
async function callEcho(method: "Echo" | "Fail", body: unknown): Promise<unknown> {
  const rsp = await fetch(`${ECHO_URL}/trpc.test.echo.Echo/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...outgoingTraceHeaders() },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(ECHO_TIMEOUT_MS),
  });
  const text = await rsp.text();
  const ret = rsp.headers.get("trpc-ret") ?? "0";
  const funcRet = rsp.headers.get("trpc-func-ret") ?? "0";
  if (!rsp.ok || ret !== "0" || funcRet !== "0") {
    const msg = rsp.headers.get("trpc-error-msg") ?? text.slice(0, 200);
    throw new TRPCError({
      code: "INTERNAL_SERVER_ERROR",
      message: `echo ${method}: HTTP ${rsp.status}, ret ${ret}, func_ret ${funcRet}: ${msg}`,
    });
  }
  return text === "" ? null : (JSON.parse(text) as unknown);
}

function findItem(sku: string): { name: string; priceCents: number } {
  const item = ITEMS[sku];
  if (item === undefined) throw new TRPCError({ code: "NOT_FOUND", message: `no item ${sku}` });
  return item;
}

export const catalogRouter = router({
  getItem: procedure.input(idInput("sku")).query(async ({ input }) => {
    const item = findItem(input.sku);
    log.info("looking up item", { sku: input.sku });
    let stockCheck = "local";
    if (ECHO_URL !== "") {
      const echoed = await callEcho("Echo", { sku: input.sku, want: 1 });
      log.info("stock checked by trpc.test.echo.Echo", { echoed: JSON.stringify(echoed) });
      stockCheck = "trpc.test.echo.Echo";
    }
    return { sku: input.sku, ...item, stockCheck };
  }),
  reserveItem: procedure.input(idInput("sku")).query(async ({ input }) => {
    findItem(input.sku);
    log.warn("reserving item: the echo service is asked to fail", { sku: input.sku });
    if (ECHO_URL !== "") await callEcho("Fail", { sku: input.sku });
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `cannot reserve ${input.sku}` });
  }),
});

export type CatalogRouter = typeof catalogRouter;

serve(catalogRouter, envPort("CATALOG_PORT", 18120), log);
