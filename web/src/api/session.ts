// The browser session: the access token lives in this module's memory only. The refresh token is an
// HttpOnly cookie the page can never read; /v1/auth/browser/refresh turns it into a new access token.

type Listener = (signedIn: boolean) => void;

let token: string | null = null;
let expiresAt = 0;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<Listener>();

export function accessToken(): string | null {
  return token;
}

function setToken(value: string | null, expiresIn = 0): void {
  const before = token !== null;
  token = value;
  expiresAt = value ? Date.now() + expiresIn * 1000 : 0;
  if (before !== (value !== null)) listeners.forEach((listener) => listener(value !== null));
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function post(path: string, body?: unknown): Promise<Response> {
  return fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export class SignInError extends Error {}

export async function signIn(email: string, password: string): Promise<void> {
  const response = await post("/v1/auth/browser/sign-in", { email, password });
  const body = await response.json();
  if (!response.ok) throw new SignInError(body.detail ?? "Sign-in failed.");
  setToken(body.access_token, body.expires_in);
}

/** One refresh at a time: concurrent callers share it (the server would otherwise see a replay). */
export function refreshAccess(): Promise<boolean> {
  if (!refreshing) {
    refreshing = (async () => {
      try {
        const response = await post("/v1/auth/browser/refresh");
        if (!response.ok) {
          setToken(null);
          return false;
        }
        const body = await response.json();
        setToken(body.access_token, body.expires_in);
        return true;
      } catch {
        return false;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

export async function signOut(): Promise<void> {
  await post("/v1/auth/browser/sign-out").catch(() => undefined);
  setToken(null);
}

// Refresh a little before expiry so that an open editor never meets a 401 mid-save.
setInterval(() => {
  if (token && expiresAt - Date.now() < 60_000) void refreshAccess();
}, 15_000);
