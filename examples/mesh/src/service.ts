// What both services share: the tRPC instance whose procedures run with the request's trace
// headers kept (trace_headers.ts), and `serve`, which starts the standalone HTTP adapter, logs the
// failed calls and stops cleanly on SIGINT/SIGTERM.
import { initTRPC, type AnyRouter } from "@trpc/server";
import { createHTTPServer, type CreateHTTPContextOptions } from "@trpc/server/adapters/standalone";
import { Logger } from "./log.js";
import { pickTraceHeaders, withTraceHeaders, type TraceHeaders } from "./trace_headers.js";

export interface Context {
  traceHeaders: TraceHeaders;
}

// The request id goes back to the caller too, so a client can quote it (the edge sets one).
export function createContext({ req, res }: CreateHTTPContextOptions): Context {
  const traceHeaders = pickTraceHeaders(req.headers);
  const requestId = traceHeaders["x-request-id"];
  if (requestId !== undefined) res.setHeader("x-request-id", requestId);
  return { traceHeaders };
}

// isDev false: error answers carry no stack traces.
const t = initTRPC.context<Context>().create({ isDev: false });

// The middleware: the rest of the call (the procedure, its logs, its outgoing calls) runs with
// this request's trace headers as the current ones.
const keepTraceHeaders = t.middleware(({ ctx, next }) => withTraceHeaders(ctx.traceHeaders, () => next()));

export const router = t.router;
export const procedure = t.procedure.use(keepTraceHeaders);

// An input parser for `{ <key>: string }` (1..64 characters of [A-Za-z0-9_-]).
export function idInput<K extends string>(key: K): (raw: unknown) => Record<K, string> {
  return (raw: unknown) => {
    const value = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>)[key] : undefined;
    if (typeof value !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(value)) {
      throw new Error(`input.${key}: want 1..64 characters of [A-Za-z0-9_-]`);
    }
    return { [key]: value } as Record<K, string>;
  };
}

// A port from the environment, or exits 2 naming the variable.
export function envPort(name: string, fallback: number): number {
  const text = process.env[name];
  const port = text === undefined || text === "" ? fallback : Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write(`${name}: not a port: ${text ?? ""}\n`);
    process.exit(2);
  }
  return port;
}

// Serves `appRouter` on 127.0.0.1:`port` until SIGINT/SIGTERM; prints "listening on HOST:PORT".
export function serve(appRouter: AnyRouter, port: number, log: Logger): void {
  const server = createHTTPServer({
    router: appRouter,
    createContext,
    onError({ error, path, ctx }) {
      // Outside the middleware by now: the line gets the request's ids from ctx.
      const fields = { path: path ?? "", code: error.code, error: error.message };
      const write = (): void => log.error("procedure failed", fields);
      if (ctx === undefined) write();
      else withTraceHeaders(ctx.traceHeaders, write);
    },
  });
  server.listen(port, "127.0.0.1", () => {
    process.stdout.write(`listening on 127.0.0.1:${port}\n`);
  });
  const stop = (): void => {
    server.close();
    server.closeIdleConnections();
    const forced = setTimeout(() => server.closeAllConnections(), 2000);
    forced.unref();
    void log.flush().finally(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
