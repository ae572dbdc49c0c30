import { describe, expect, it } from "vitest";
import { parseAttrs, queryFromUrl, queryToApi, queryToUrl } from "../src/pages/search_query";

describe("search query", () => {
  it("round-trips through the URL", () => {
    const q = queryFromUrl(new URLSearchParams("service=a&operation=GET+%2Fx&attr=k%3Dv&attr=n%3D1&errors=true&minDuration=10ms&lookback=6h&limit=50"));
    expect(q).toMatchObject({ service: "a", operation: "GET /x", attrs: ["k=v", "n=1"], errors: true, minDuration: "10ms", lookback: "6h", limit: 50 });
    expect(queryFromUrl(queryToUrl(q))).toEqual(q);
  });

  it("turns a lookback into a native time range in ns", () => {
    const q = queryFromUrl(new URLSearchParams("lookback=1h"));
    const p = queryToApi(q, 1_700_000_000_000);
    expect(p.get("start")).toBe(String(BigInt(1_700_000_000_000 - 3_600_000) * 1_000_000n));
    expect(p.get("limit")).toBe("20");
    expect(queryToApi(queryFromUrl(new URLSearchParams("lookback=all")), 0).has("start")).toBe(false);
  });

  it("caps the limit and drops malformed attributes", () => {
    expect(queryFromUrl(new URLSearchParams("limit=99999")).limit).toBe(1500);
    expect(queryFromUrl(new URLSearchParams("limit=-3")).limit).toBe(20);
    expect(parseAttrs("a=1 =x b\nc=3")).toEqual(["a=1", "c=3"]);
  });
});
