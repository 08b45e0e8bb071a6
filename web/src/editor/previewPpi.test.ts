import { describe, expect, it } from "vitest";
import { MAX_PPI, MIN_PPI, previewPpi } from "./previewPpi";

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
