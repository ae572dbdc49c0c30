import { describe, expect, it } from "vitest";
import { FLAG_ORPHAN } from "../src/api";
import { buildModel, indexOfSpanId, spanIdAt, visibleRows } from "../src/trace/model";
import { compact } from "./fixtures";

//   0 root [0, 100)
//   ├ 1 a [10, 40)
//   │ └ 3 a.1 [20, 30)
//   └ 2 b [15, 90)
//       └ 4 b.1 [50, 80)
const tree = () =>
  compact([
    { id: 1, start: 0, duration: 100 },
    { id: 2, parent: 0, start: 10, duration: 30 },
    { id: 3, parent: 0, start: 15, duration: 75 },
    { id: 4, parent: 1, start: 20, duration: 10 },
    { id: 5, parent: 2, start: 50, duration: 30, status: 2 },
  ]);

describe("buildModel", () => {
  it("orders the tree depth first with children in start order", () => {
    const m = buildModel(tree());
    expect([...m.order]).toEqual([0, 1, 3, 2, 4]);
    expect([...m.depth]).toEqual([0, 1, 1, 2, 2]);
    expect([...m.subtreeSize]).toEqual([5, 2, 2, 1, 1]);
    expect(m.maxDepth).toBe(2);
    expect(m.errorCount).toBe(1);
    expect([...m.position]).toEqual([0, 1, 3, 2, 4]);
  });

  it("keeps orphans as extra roots and flags them", () => {
    const c = compact(
      [
        { id: 1, start: 0, duration: 10 },
        { id: 2, start: 5, duration: 10 },
        { id: 3, parent: 1, start: 6, duration: 2 },
      ],
      [{ index: 1, parentSpanId: "00000000000000ff" }],
    );
    const m = buildModel(c);
    expect([...m.order]).toEqual([0, 1, 2]);
    expect([...m.treeParent]).toEqual([-1, -1, 1]);
    expect(m.flags[1] & FLAG_ORPHAN).toBe(FLAG_ORPHAN);
  });

  it("draws every span once even when bad data has a parent cycle", () => {
    const c = compact([
      { id: 1, start: 0, duration: 10 },
      { id: 2, parent: 2, start: 1, duration: 1 },
      { id: 3, parent: 1, start: 2, duration: 1 },
    ]);
    const m = buildModel(c);
    expect([...m.order].sort()).toEqual([0, 1, 2]);
    expect(m.subtreeSize[0] + m.subtreeSize[1]).toBe(3);
  });

  it("rejects columns that do not match spanCount", () => {
    const c = tree();
    c.start.pop();
    expect(() => buildModel(c)).toThrow(/columns/);
  });

  it("finds span ids at 16-digit boundaries only", () => {
    const m = buildModel(tree());
    expect(spanIdAt(m, 3)).toBe("0000000000000004");
    expect(indexOfSpanId(m, "0000000000000004")).toBe(3);
    expect(indexOfSpanId(m, "4")).toBe(3);
    expect(indexOfSpanId(m, "0000000000000400")).toBe(-1); // spans two ids in the string
  });
});

describe("visibleRows", () => {
  it("hides the descendants of collapsed spans", () => {
    const m = buildModel(tree());
    const collapsed = new Uint8Array(m.n);
    expect([...visibleRows(m, collapsed)]).toEqual([0, 1, 3, 2, 4]);
    collapsed[1] = 1;
    expect([...visibleRows(m, collapsed)]).toEqual([0, 1, 2, 4]);
    collapsed[0] = 1;
    expect([...visibleRows(m, collapsed)]).toEqual([0]);
  });
});
