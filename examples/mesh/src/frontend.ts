// Service A, `frontend`: the orders API the edge exposes. Calls `catalog` with @trpc/client
// through A's outbound sidecar ($CATALOG_URL), the incoming trace headers copied on.
//   getOrder({id})   -> {orderId, item}: catalog.getItem
//   failOrder({id})  -> INTERNAL_SERVER_ERROR (HTTP 500): catalog.reserveItem fails
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { TRPCError } from "@trpc/server";
import type { CatalogRouter } from "./catalog.js";
import { Logger } from "./log.js";
import { envPort, idInput, procedure, router, serve } from "./service.js";
import { outgoingTraceHeaders } from "./trace_headers.js";

const log = new Logger("frontend");
const CATALOG_URL = process.env["CATALOG_URL"] ?? "http://127.0.0.1:18112";

// httpLink: one HTTP request per call (a batch would mix requests of different traces).
const catalog = createTRPCClient<CatalogRouter>({
  links: [httpLink({ url: CATALOG_URL, headers: () => ({ ...outgoingTraceHeaders() }) })],
});

// Orders "o-N" hold item "sku-N".
function skuOf(orderId: string): string {
  return `sku-${orderId.replace(/^o-/, "")}`;
}

// A catalog failure as this service's own error: NOT_FOUND stays, anything else is a 500.
function rethrow(what: string, err: unknown): never {
  const notFound = err instanceof TRPCClientError && err.data?.code === "NOT_FOUND";
  const code = notFound ? "NOT_FOUND" : "INTERNAL_SERVER_ERROR";
  const message = err instanceof Error ? err.message : String(err);
  throw new TRPCError({ code, message: `${what}: ${message}` });
}

export const frontendRouter = router({
  getOrder: procedure.input(idInput("id")).query(async ({ input }) => {
    log.info("getting order", { order_id: input.id });
    try {
      const item = await catalog.getItem.query({ sku: skuOf(input.id) });
      log.info("order ready", { order_id: input.id, sku: item.sku });
      return { orderId: input.id, item };
    } catch (err) {
      rethrow("catalog.getItem", err);
    }
  }),
  failOrder: procedure.input(idInput("id")).query(async ({ input }) => {
    log.info("placing order", { order_id: input.id });
    try {
      await catalog.reserveItem.query({ sku: skuOf(input.id) });
    } catch (err) {
      rethrow("catalog.reserveItem", err);
    }
    return { orderId: input.id };
  }),
});

export type FrontendRouter = typeof frontendRouter;

serve(frontendRouter, envPort("FRONTEND_PORT", 18110), log);
