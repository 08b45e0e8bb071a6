// The raster resolution a preview page needs: its displayed width in device pixels across an A4 page
// (8.27 in; a Letter page is 3% wider, which the rounding up absorbs). Rounded up to a step of 12 so
// that small layout changes reuse the same server render, and kept within what the API accepts.
export const MIN_PPI = 36;
export const MAX_PPI = 300;
const PAGE_WIDTH_INCHES = 8.27;
const STEP = 12;

export function previewPpi(cssWidth: number, devicePixelRatio: number): number {
  const exact = (Math.max(1, cssWidth) * Math.max(1, devicePixelRatio)) / PAGE_WIDTH_INCHES;
  const stepped = Math.ceil(exact / STEP) * STEP;
  return Math.min(MAX_PPI, Math.max(MIN_PPI, stepped));
}
