import { describe, expect, it } from "vitest";
import { criticalPath } from "../src/trace/critical_path";
import { buildModel } from "../src/trace/model";
import { compact } from "./fixtures";

function segments(c: ReturnType<typeof criticalPath>): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let k = 0; k < c.count; k++) out.push([c.segSpan[k], c.segFrom[k], c.segTo[k]]);
  return out.sort((a, b) => a[1] - b[1]);
}

describe("criticalPath", () => {
  it("follows the last-finishing child, then what ran before it", () => {
    // root [0,100): a [10,40), b [15,90) ⊃ b.1 [50,80)
    const m = buildModel(
      compact([
        { id: 1, start: 0, duration: 100 },
        { id: 2, parent: 0, start: 10, duration: 30 },
        { id: 3, parent: 0, start: 15, duration: 75 },
        { id: 4, parent: 2, start: 50, duration: 30 },
      ]),
    );
    const c = criticalPath(m);
    expect(segments(c)).toEqual([
      [0, 0, 10],
      [1, 10, 15],
      [2, 15, 50],
      [3, 50, 80],
      [2, 80, 90],
      [0, 90, 100],
    ]);
    expect([...c.onPath]).toEqual([1, 1, 1, 1]);
  });

  it("skips children that finished before the chosen one started", () => {
    // root [0,100): early [5,10), late [20,95)
    const m = buildModel(
      compact([
        { id: 1, start: 0, duration: 100 },
        { id: 2, parent: 0, start: 5, duration: 5 },
        { id: 3, parent: 0, start: 20, duration: 75 },
      ]),
    );
    const c = criticalPath(m);
    expect(segments(c)).toEqual([
      [0, 0, 5],
      [1, 5, 10],
      [0, 10, 20],
      [2, 20, 95],
      [0, 95, 100],
    ]);
  });

  it("clamps a child that outlives its parent (clock skew)", () => {
    const m = buildModel(
      compact([
        { id: 1, start: 0, duration: 50 },
        { id: 2, parent: 0, start: 40, duration: 30 },
      ]),
    );
    expect(segments(criticalPath(m))).toEqual([
      [0, 0, 40],
      [1, 40, 50],
    ]);
  });

  it("groups segments per span for drawing", () => {
    const m = buildModel(
      compact([
        { id: 1, start: 0, duration: 100 },
        { id: 2, parent: 0, start: 20, duration: 10 },
      ]),
    );
    const c = criticalPath(m);
    expect(c.offset[1] - c.offset[0]).toBe(2); // [0,20) and [30,100)
    expect(c.offset[2] - c.offset[1]).toBe(1);
  });

  it("handles a 200,000-deep chain without recursion", () => {
    const n = 200_000;
    const spans = Array.from({ length: n }, (_, i) => ({ id: i + 1, parent: i - 1, start: i, duration: 2 * n - 2 * i, name: "hop" }));
    const c = criticalPath(buildModel(compact(spans)));
    expect(c.onPath.every((v) => v === 1)).toBe(true);
  });
});
