import { describe, expect, it } from "vitest";
import { flameLayout, spanAt, zoomTo } from "../src/trace/flame_layout";
import { buildModel } from "../src/trace/model";
import { compact } from "./fixtures";

const m = buildModel(
  compact([
    { id: 1, start: 0, duration: 100 },
    { id: 2, parent: 0, start: 10, duration: 30 },
    { id: 3, parent: 0, start: 50, duration: 40 },
    { id: 4, parent: 2, start: 60, duration: 10 },
  ]),
);

describe("flameLayout", () => {
  it("buckets spans by depth in start order", () => {
    const l = flameLayout(m);
    expect(l.depths).toBe(3);
    expect([...l.depthStart]).toEqual([0, 1, 3, 4]);
    expect([...l.bySpan]).toEqual([0, 1, 2, 3]);
  });

  it("hit-tests one row", () => {
    const l = flameLayout(m);
    expect(spanAt(m, l, 1, 20)).toBe(1);
    expect(spanAt(m, l, 1, 45)).toBe(-1);
    expect(spanAt(m, l, 1, 43, 4)).toBe(1);
    expect(spanAt(m, l, 2, 65)).toBe(3);
    expect(spanAt(m, l, 5, 65)).toBe(-1);
  });

  it("zooms to a span with margins inside the trace", () => {
    expect(zoomTo(m, 2)).toEqual({ from: 49.2, to: 90.8 });
    expect(zoomTo(m, 0)).toEqual({ from: 0, to: 100 });
  });
});
