// Documents the API renders, as the editor (live preview, export) and a recruiter's view of an application's
// resume use them: PNG pages fetched with the session's token (an <img src> could not send it) and shown
// through object URLs, revoked as soon as another image replaces them; whole files handed to the browser.
import { ApiError, authorizedFetch, type Problem } from "../api/client";

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

/**
 * One page of a render route (`…/render` or an application's `…/resume`) as PNG. The browser revalidates
 * it with the route's ETag (`private, no-cache`), so an unchanged page costs a 304. `optional` answers
 * null instead of failing, for a page that a shorter document no longer has; any other refusal is an
 * ApiError carrying the problem document (a 409 `resume-not-ready`, say).
 */
export async function pageImage(route: string, page: number, ppi: number, signal: AbortSignal, optional = false): Promise<Response | null> {
  const response = await authorizedFetch(`${route}?format=png&page=${page}&ppi=${ppi}`, { signal });
  if (response.ok) return response;
  if (optional) return null;
  const problem = (await response.json().catch(() => ({}))) as Problem;
  throw new ApiError(response.status, { detail: `The page could not be rendered (${response.status}).`, ...problem });
}

/** How many pages the render has (the `X-Page-Count` header), at least one. */
export const pageCount = (response: Response | null | undefined): number => Math.max(1, Number(response?.headers.get("X-Page-Count") ?? "1") || 1);

/**
 * The page URLs once `updates` (page number from 1 → object URL) are in, for a document of `count` pages;
 * every object URL that is replaced or falls off the end is revoked.
 */
export function replacePageUrls(
  current: readonly (string | undefined)[],
  updates: ReadonlyMap<number, string>,
  count: number,
  revoke: (url: string) => void = (url) => URL.revokeObjectURL(url),
): (string | undefined)[] {
  const next = Array.from({ length: count }, (_, i) => updates.get(i + 1) ?? current[i]);
  current.forEach((url, i) => {
    if (url && next[i] !== url) revoke(url);
  });
  return next;
}

/** The file name the answer's Content-Disposition gives, or `fallback`. */
export function fileName(response: Response, fallback: string): string {
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  return match?.[1] ? decodeURIComponent(match[1]) : fallback;
}

/** Hand a fetched file to the browser as a download (the route needs the Authorization header, a link cannot). */
export async function saveFile(response: Response, name: string): Promise<void> {
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000); // the download has started by then
}
