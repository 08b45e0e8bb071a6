import { describe, expect, it } from "vitest";
import { etag, initialSave, saveReducer, shouldSave } from "./autosave";

describe("autosave state", () => {
  it("goes dirty, saving, saved and carries the new version", () => {
    let s = initialSave(3);
    expect(shouldSave(s)).toBe(false);
    s = saveReducer(s, { type: "edit" });
    expect(shouldSave(s)).toBe(true);
    s = saveReducer(s, { type: "start" });
    expect(s.status).toBe("saving");
    s = saveReducer(s, { type: "success", version: 4 });
    expect(s).toEqual({ status: "saved", version: 4, pending: 0, message: null });
    expect(etag(s.version)).toBe('"r4"');
  });
  it("stays dirty when edited during a save", () => {
    let s = saveReducer(saveReducer(initialSave(1), { type: "edit" }), { type: "start" });
    s = saveReducer(s, { type: "edit" });
    s = saveReducer(s, { type: "success", version: 2 });
    expect(s.status).toBe("dirty");
    expect(s.version).toBe(2);
  });
  it("stops on a conflict until resolved, ignoring edits", () => {
    let s = saveReducer(saveReducer(initialSave(1), { type: "edit" }), { type: "start" });
    s = saveReducer(s, { type: "conflict", message: "changed elsewhere" });
    s = saveReducer(s, { type: "edit" });
    expect(s.status).toBe("conflict");
    expect(saveReducer(s, { type: "start" }).status).toBe("conflict");
    s = saveReducer(s, { type: "resolved", version: 7, dirty: true });
    expect(s).toMatchObject({ status: "dirty", version: 7 });
  });
  it("retries after a failure", () => {
    let s = saveReducer(saveReducer(initialSave(1), { type: "edit" }), { type: "start" });
    s = saveReducer(s, { type: "failure", message: "offline" });
    expect(s.status).toBe("error");
    expect(saveReducer(s, { type: "start" }).status).toBe("saving");
  });
});
