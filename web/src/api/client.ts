// The typed API client: generated types (schema.d.ts) + openapi-fetch, with the browser session attached.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";
import { accessToken, refreshAccess } from "./session";

export type Schemas = components["schemas"];
export type Problem = { type?: string; title?: string; status?: number; detail?: string };

const bearer: Middleware = {
  async onRequest({ request }) {
    const token = accessToken();
    if (token && !request.headers.has("Authorization")) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
};

// Retry once after a 401: the access token may just have expired while the session is still good.
async function fetchWithRefresh(input: Request): Promise<Response> {
  const retry = input.clone();
  const response = await fetch(input);
  if (response.status !== 401 || input.url.includes("/v1/auth/")) return response;
  if (!(await refreshAccess())) return response;
  retry.headers.set("Authorization", `Bearer ${accessToken()}`);
  return fetch(retry);
}

export const api = createClient<paths>({ baseUrl: "", fetch: fetchWithRefresh });
api.use(bearer);

/** Authenticated fetch for binary answers (page images, exports) that the JSON client does not model. */
export async function authorizedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const request = new Request(url, init);
  const token = accessToken();
  if (token) request.headers.set("Authorization", `Bearer ${token}`);
  return fetchWithRefresh(request);
}

export function problemText(error: unknown, fallback = "Something went wrong."): string {
  if (error && typeof error === "object") {
    const problem = error as Problem;
    if (problem.detail) return problem.detail;
    if (problem.title) return problem.title;
  }
  if (error instanceof Error) return error.message;
  return fallback;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `Request failed (${status})`);
  }
}

/** Unwrap an openapi-fetch answer: the data, or an ApiError carrying the problem document. */
export function must<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) {
    throw new ApiError(result.response.status, (result.error ?? {}) as Problem);
  }
  return result.data;
}
