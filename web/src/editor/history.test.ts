import { describe, expect, it } from "vitest";
import {
  addEntry,
  COALESCE_MS,
  createHistory,
  entries,
  record,
  redo,
  removeEntry,
  reorderEntries,
  setBasics,
  setField,
  undo,
} from "./history";

const doc = { work: [{ name: "A" }, { name: "B" }, { name: "C" }] };

describe("reorder", () => {
  it("moves an entry down and up", () => {
    const down = reorderEntries(doc, "work", 0, 2);
    expect(entries(down, "work").map((e) => e.name)).toEqual(["B", "C", "A"]);
    const back = reorderEntries(down, "work", 2, 0);
    expect(back).toEqual(doc);
  });
  it("ignores a move out of range and leaves the input untouched", () => {
    expect(entries(reorderEntries(doc, "work", 0, 7), "work").map((e) => e.name)).toEqual(["A", "B", "C"]);
    expect(doc.work.map((e) => e.name)).toEqual(["A", "B", "C"]);
  });
  it("adds and removes entries; an emptied section disappears", () => {
    const added = addEntry({}, "skills", { name: "Go" });
    expect(entries(added, "skills")).toHaveLength(1);
    expect(removeEntry(added, "skills", 0)).toEqual({});
  });
  it("drops a field set to empty instead of storing an empty string", () => {
    const cleared = setField(doc, "work", 1, "name", "");
    expect(entries(cleared, "work")[1]).toEqual({});
    expect(setBasics({}, ["location", "city"], "Paris")).toEqual({ basics: { location: { city: "Paris" } } });
    expect(setBasics({ basics: { location: { city: "Paris" } } }, ["location", "city"], "")).toEqual({ basics: {} });
  });
});

describe("undo and redo", () => {
  it("undoes and redoes whole steps", () => {
    let h = createHistory({});
    h = record(h, { a: 1 }, "x", 0);
    h = record(h, { a: 2 }, "y", 10);
    h = undo(h);
    expect(h.present).toEqual({ a: 1 });
    h = undo(h);
    expect(h.present).toEqual({});
    expect(undo(h)).toBe(h);
    h = redo(redo(h));
    expect(h.present).toEqual({ a: 2 });
  });
  it("coalesces typing in one field within the window, not across fields or after a pause", () => {
    let h = createHistory({ t: "" });
    h = record(h, { t: "a" }, "title", 0);
    h = record(h, { t: "ab" }, "title", 200);
    expect(h.past).toHaveLength(1);
    h = record(h, { t: "abc" }, "title", 200 + COALESCE_MS + 1);
    expect(h.past).toHaveLength(2);
    h = record(h, { t: "abc", u: "1" }, "other", 200 + COALESCE_MS + 2);
    expect(h.past).toHaveLength(3);
    expect(undo(h).present).toEqual({ t: "abc" });
  });
  it("drops the redo branch on a new edit", () => {
    let h = record(createHistory({}), { a: 1 }, null, 0);
    h = undo(h);
    h = record(h, { b: 1 }, null, 5);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
  });
});
