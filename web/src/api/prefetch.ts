// Requests a page will surely make, started by boot.ts while the app's main chunk downloads and compiles.
// Components take a prefetched answer once (then it is gone) and otherwise fetch as usual.
import { accessToken } from "./session";

const pending = new Map<string, Promise<Response>>();

function get(url: string): Promise<Response> {
  return fetch(url, { headers: { Authorization: `Bearer ${accessToken()}` } });
}

export function take(url: string): Promise<Response> | undefined {
  const found = pending.get(url);
  pending.delete(url);
  return found;
}

export const LIST_URL = "/v1/resumes?limit=100";
export const thumbnailUrl = (id: string) => `/v1/resumes/${id}/render?format=png&page=1`;

/** The dashboard: its list, then each card's first page. */
export function prefetchForPath(path: string): void {
  if (!accessToken() || path !== "/app") return;
  const list = get(LIST_URL);
  pending.set(LIST_URL, list);
  void list
    .then((response) => (response.ok ? response.clone().json() : null))
    .then((body: { items?: { id: string }[] } | null) => {
      for (const item of body?.items ?? []) pending.set(thumbnailUrl(item.id), get(thumbnailUrl(item.id)));
    })
    .catch(() => undefined);
}
