// A job's applications, live: the GraphQL subscription `applicationEvents` (graphql-transport-ws on /graphql)
// tells every member who may read them that an application was created, scored or moved; the screens then
// re-read their list. When the socket is down they fall back to slow polling, and it reconnects with backoff.
import { createClient } from "graphql-ws";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { accessToken, refreshAccess } from "../api/session";

/** How often a list is re-read while the socket is down (or not connected yet). */
export const FALLBACK_POLL_MS = 30_000;
/** Events this close together (a bulk move) cause one re-read. */
export const COALESCE_MS = 150;
/** A connection that lasted this long was healthy: the next failure starts the backoff again from 1 s. */
export const HEALTHY_MS = 30_000;

export type LiveState = "connecting" | "live" | "down";

/** The wait before reconnection attempt `attempt` (from 0): doubling from 1 s up to 30 s, the second half
 * random so that the tabs a server restart disconnected do not all come back in the same instant. */
export function backoff(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The GraphQL global id of a job posting, as the API builds it: base64url of `JobPosting:<org>:<posting>`. */
export function jobPostingGlobalId(orgId: string, postingId: string): string {
  return btoa(`JobPosting:${orgId}:${postingId}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** What one connection attempt reports back. `ended` may be called more than once (error, then close). */
export interface Connection {
  opened(): void;
  event(): void;
  ended(): void;
}
/** Opens one connection (socket + subscription) and returns how to close it. */
export type Connect = (report: Connection) => () => void;

export interface Clock {
  now(): number;
  later(run: () => void, ms: number): () => void;
}
const realClock: Clock = {
  now: () => Date.now(),
  later: (run, ms) => {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
};

/**
 * Keep one subscription alive: connect, report the state, coalesce events into `changed`, and after any end
 * (socket lost, subscription refused or ended, token expired) reconnect after `backoff`. Every (re)connection
 * also calls `changed` once, for what happened while nobody listened. Returns `stop`.
 * graphql-ws's own retry is off: it reconnects a socket, but a subscription the server ended (an expired
 * token closes it on a socket that still stands) needs a new socket with a fresh token.
 */
export function keepLive(options: {
  connect: Connect;
  changed: () => void;
  state: (state: LiveState) => void;
  clock?: Clock;
  random?: () => number;
}): () => void {
  const { connect, changed, state } = options;
  const clock = options.clock ?? realClock;
  let attempt = 0;
  let generation = 0;
  let close: (() => void) | null = null;
  let cancelRetry: (() => void) | null = null;
  let pendingChange: (() => void) | null = null;
  let stopped = false;

  const notify = () => {
    if (pendingChange) return;
    pendingChange = clock.later(() => {
      pendingChange = null;
      changed();
    }, COALESCE_MS);
  };

  const start = () => {
    cancelRetry = null;
    const mine = ++generation;
    let openedAt: number | null = null;
    let over = false;
    state("connecting");
    close = connect({
      opened() {
        if (mine !== generation || over) return;
        openedAt = clock.now();
        state("live");
        notify();
      },
      event() {
        if (mine === generation && !over) notify();
      },
      ended() {
        if (mine !== generation || over || stopped) return;
        over = true;
        close?.();
        close = null;
        if (openedAt !== null && clock.now() - openedAt >= HEALTHY_MS) attempt = 0;
        state("down");
        cancelRetry = clock.later(start, backoff(attempt++, options.random));
      },
    });
  };

  start();
  return () => {
    stopped = true;
    generation++;
    close?.();
    cancelRetry?.();
    pendingChange?.();
  };
}

const EVENTS = "subscription($job: ID!) { applicationEvents(jobPostingId: $job) { event applicationId } }";

/** The token the socket authenticates with in connection_init (refreshed first if the page has none). */
async function credentials(): Promise<Record<string, string>> {
  if (!accessToken()) await refreshAccess();
  const token = accessToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** One socket to /graphql on this origin with the job's subscription. */
export function socketConnect(jobGlobalId: string, url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`): Connect {
  return (report) => {
    const client = createClient({
      url,
      lazy: false,
      retryAttempts: 0,
      connectionParams: credentials,
      onNonLazyError: () => report.ended(), // reported here instead of the console: the retry is ours
      on: { connected: () => report.opened(), closed: () => report.ended() },
    });
    const unsubscribe = client.subscribe(
      { query: EVENTS, variables: { job: jobGlobalId } },
      { next: () => report.event(), error: () => report.ended(), complete: () => report.ended() },
    );
    return () => {
      unsubscribe();
      void client.dispose();
    };
  };
}

/** The live state of a job's applications; on every event the job's application lists are read again. */
export function useLiveApplications(orgId: string, jobId: string): LiveState {
  const queries = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");
  useEffect(
    () =>
      keepLive({
        connect: socketConnect(jobPostingGlobalId(orgId, jobId)),
        changed: () => void queries.invalidateQueries({ queryKey: ["applications", orgId, jobId] }),
        state: setState,
      }),
    [orgId, jobId, queries],
  );
  return state;
}

/** How often a list polls: not at all while live, slowly while the socket is down. */
export const pollInterval = (state: LiveState): number | false => (state === "live" ? false : FALLBACK_POLL_MS);

/** Says whether colleagues' changes arrive as they happen, or only every 30 seconds for now. */
export function LiveStatus({ state, what }: { state: LiveState; what: string }) {
  return (
    <p role="status" className="text-sm text-slate-800" data-testid="live-status" data-state={state}>
      {state === "live" && "Live: colleagues' changes show as they happen."}
      {state === "connecting" && "Connecting for live updates…"}
      {state === "down" && `Live updates are reconnecting; the ${what} refreshes every ${FALLBACK_POLL_MS / 1000} seconds meanwhile.`}
    </p>
  );
}
