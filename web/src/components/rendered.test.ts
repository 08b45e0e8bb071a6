import { describe, expect, it } from "vitest";
import { MAX_PPI, MIN_PPI, pageCount, previewPpi, replacePageUrls } from "./rendered";

describe("previewPpi", () => {
  it("covers the displayed width in device pixels", () => {
    // 600 CSS px across 8.27 in is 72.6 ppi: rounded up to the next step of 12.
    expect(previewPpi(600, 1)).toBe(84);
    expect(previewPpi(600, 2)).toBe(156);
    expect(previewPpi(600, 2) * 8.27).toBeGreaterThanOrEqual(1200);
  });

  it("reuses one resolution for small layout changes", () => {
    expect(previewPpi(610, 1)).toBe(previewPpi(640, 1));
  });

  it("stays within the bounds the API accepts", () => {
    expect(previewPpi(50, 1)).toBe(MIN_PPI);
    expect(previewPpi(700, 4)).toBe(MAX_PPI);
    expect(previewPpi(0, 0)).toBe(MIN_PPI);
  });
});

describe("replacePageUrls", () => {
  it("revokes exactly the object URLs that were replaced or fell off the end", () => {
    const revoked: string[] = [];
    const next = replacePageUrls(["blob:1", "blob:2", "blob:3"], new Map([[2, "blob:2b"]]), 2, (url) => revoked.push(url));
    expect(next).toEqual(["blob:1", "blob:2b"]);
    expect(revoked).toEqual(["blob:2", "blob:3"]);
  });

  it("leaves places for pages not fetched yet", () => {
    const revoked: string[] = [];
    expect(replacePageUrls([], new Map([[1, "blob:1"]]), 3, (url) => revoked.push(url))).toEqual(["blob:1", undefined, undefined]);
    expect(revoked).toEqual([]);
  });
});

describe("pageCount", () => {
  it("reads X-Page-Count, and one page when it is missing or nonsense", () => {
    expect(pageCount(new Response("", { headers: { "X-Page-Count": "3" } }))).toBe(3);
    expect(pageCount(new Response(""))).toBe(1);
    expect(pageCount(new Response("", { headers: { "X-Page-Count": "x" } }))).toBe(1);
    expect(pageCount(null)).toBe(1);
  });
});
