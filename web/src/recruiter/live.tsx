// A job's applications, live: the GraphQL subscription `applicationEvents` (graphql-transport-ws on /graphql)
// tells every member who may read them that an application was created, scored, moved or changed (a note,
// tags, a rating, the score override); the screens then re-read what they show. One socket per job serves
// every screen of the page that follows it. When the socket is down they fall back to slow polling, and it
// reconnects with backoff. A socket that dies without a close frame is caught by ping/pong.
import { createClient } from "graphql-ws";
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { accessToken, refreshAccess } from "../api/session";

/** How often a list is re-read while the socket is down (or not connected yet). */
export const FALLBACK_POLL_MS = 30_000;
/** Events this close together (a bulk move) cause one re-read. */
export const COALESCE_MS = 150;
/** A connection that lasted this long was healthy: the next failure starts the backoff again from 1 s. */
export const HEALTHY_MS = 30_000;
/** A ping goes out this long after the last pong (graphql-ws's keepAlive)... */
export const KEEPALIVE_MS = 10_000;
/** ...and a pong must come back within this, or the connection counts as dead. */
export const PONG_TIMEOUT_MS = 5_000;
/** A socket that dies silently is given up within this (then the page polls and reconnects). */
export const DEAD_WITHIN_MS = KEEPALIVE_MS + PONG_TIMEOUT_MS;
/** An attempt not acknowledged within this is given up (an unreachable server may never answer at all). */
export const OPEN_TIMEOUT_MS = 15_000;
/** A job's socket outlives its last screen by this, so moving between the board, the list and an
 * application of the same job keeps one socket. */
export const LINGER_MS = 5_000;

export type LiveState = "connecting" | "live" | "down";
/** Which applications changed since the last call; `null`: anything may have (a (re)connection). */
export type Touched = ReadonlySet<string> | null;

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
  event(applicationId: string): void;
  /** We sent a ping: a pong is due. */
  pinged(): void;
  /** The server's pong arrived. */
  ponged(): void;
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
 * (socket lost, subscription refused or ended, token expired, no pong in time, no answer in time) reconnect
 * after `backoff`. Every (re)connection also calls `changed(null)` once, for what happened while nobody
 * listened. The state is "connecting" only during the first attempt: while it retries it stays "down"
 * (the screens poll meanwhile). Returns `stop`.
 * graphql-ws's own retry is off: it reconnects a socket, but a subscription the server ended (an expired
 * token closes it on a socket that still stands) needs a new socket with a fresh token.
 */
export function keepLive(options: {
  connect: Connect;
  changed: (touched: Touched) => void;
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
  let cancelDeadlines: (() => void) | null = null; // the current connection's open and pong deadlines
  let touched: Set<string> | null = new Set();
  let stopped = false;

  const notify = (applicationId: string | null) => {
    if (applicationId === null) touched = null;
    else touched?.add(applicationId);
    if (pendingChange) return;
    pendingChange = clock.later(() => {
      pendingChange = null;
      const these = touched;
      touched = new Set();
      changed(these);
    }, COALESCE_MS);
  };

  const start = () => {
    cancelRetry = null;
    const mine = ++generation;
    let openedAt: number | null = null;
    let over = false;
    let cancelPong: (() => void) | null = null;
    const current = () => mine === generation && !over && !stopped;
    const end = () => {
      if (!current()) return;
      over = true;
      cancelDeadlines?.();
      close?.();
      close = null;
      if (openedAt !== null && clock.now() - openedAt >= HEALTHY_MS) attempt = 0;
      state("down");
      cancelRetry = clock.later(start, backoff(attempt++, options.random));
    };
    if (mine === 1) state("connecting");
    const cancelOpen = clock.later(end, OPEN_TIMEOUT_MS);
    cancelDeadlines = () => {
      cancelOpen();
      cancelPong?.();
    };
    close = connect({
      opened() {
        if (!current()) return;
        cancelOpen();
        openedAt = clock.now();
        state("live");
        notify(null);
      },
      event(applicationId) {
        if (current()) notify(applicationId);
      },
      pinged() {
        if (!current()) return;
        cancelPong?.();
        cancelPong = clock.later(end, PONG_TIMEOUT_MS);
      },
      ponged() {
        cancelPong?.();
        cancelPong = null;
      },
      ended: end,
    });
    if (over) {
      close?.(); // ended while connecting synchronously: close what it returned too
      close = null;
    }
  };

  start();
  return () => {
    stopped = true;
    generation++;
    cancelDeadlines?.();
    close?.();
    cancelRetry?.();
    pendingChange?.();
  };
}

/** Someone who follows a job's events: told what changed and how the connection stands. */
export interface Listener {
  changed(touched: Touched): void;
  state(state: LiveState): void;
}

/**
 * One live connection per key shared by every listener: `open` starts it for the first listener; it stops
 * `LINGER_MS` after the last one leaves (unless another joins meanwhile). A listener that joins hears the
 * current state at once. Returns `join(key, listener)`, which returns `leave`.
 */
export function sharedLive(
  open: (key: string, hub: Listener) => () => void,
  clock: Clock = realClock,
): (key: string, listener: Listener) => () => void {
  type Entry = { listeners: Set<Listener>; state: LiveState; stop: () => void; linger: (() => void) | null };
  const entries = new Map<string, Entry>();
  return (key, listener) => {
    let entry = entries.get(key);
    if (!entry) {
      const created: Entry = { listeners: new Set(), state: "connecting", stop: () => undefined, linger: null };
      entries.set(key, created);
      created.stop = open(key, {
        changed: (touched) => created.listeners.forEach((each) => each.changed(touched)),
        state: (state) => {
          created.state = state;
          created.listeners.forEach((each) => each.state(state));
        },
      });
      entry = created;
    }
    const joined = entry;
    joined.linger?.();
    joined.linger = null;
    joined.listeners.add(listener);
    listener.state(joined.state);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      joined.listeners.delete(listener);
      if (joined.listeners.size > 0) return;
      joined.linger = clock.later(() => {
        entries.delete(key);
        joined.stop();
      }, LINGER_MS);
    };
  };
}

const EVENTS = "subscription($job: ID!) { applicationEvents(jobPostingId: $job) { event applicationId } }";

/** The token the socket authenticates with in connection_init (refreshed first if the page has none). */
async function credentials(): Promise<Record<string, string>> {
  if (!accessToken()) await refreshAccess();
  const token = accessToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** The application id an `applicationEvents` result names ("" when it names none). */
function applicationIdOf(result: { data?: unknown }): string {
  const data = result.data as { applicationEvents?: { applicationId?: unknown } } | null | undefined;
  const id = data?.applicationEvents?.applicationId;
  return typeof id === "string" ? id : "";
}

/** One socket to /graphql on this origin with the job's subscription, pinging every `KEEPALIVE_MS`. */
export function socketConnect(jobGlobalId: string, url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`): Connect {
  return (report) => {
    const client = createClient({
      url,
      lazy: false,
      retryAttempts: 0,
      keepAlive: KEEPALIVE_MS,
      connectionParams: credentials,
      onNonLazyError: () => report.ended(), // reported here instead of the console: the retry is ours
      on: {
        connected: () => report.opened(),
        closed: () => report.ended(),
        ping: (received) => (received ? undefined : report.pinged()),
        pong: (received) => (received ? report.ponged() : undefined),
      },
    });
    const unsubscribe = client.subscribe(
      { query: EVENTS, variables: { job: jobGlobalId } },
      { next: (result) => report.event(applicationIdOf(result)), error: () => report.ended(), complete: () => report.ended() },
    );
    return () => {
      unsubscribe();
      // A socket given up for want of a pong may never finish a closing handshake: drop it without waiting.
      client.terminate();
      void client.dispose();
    };
  };
}

/** The page's job sockets, one per job, shared by its screens. */
const joinJob = sharedLive((key, hub) => {
  const [orgId, jobId] = key.split("/");
  return keepLive({ connect: socketConnect(jobPostingGlobalId(orgId, jobId)), changed: hub.changed, state: hub.state });
});

/** Follow a job's events: `changed` runs on each batch (the latest function is called). */
export function useJobEvents(orgId: string, jobId: string, changed: (touched: Touched) => void): LiveState {
  const [state, setState] = useState<LiveState>("connecting");
  const latest = useRef(changed);
  latest.current = changed;
  useEffect(() => joinJob(`${orgId}/${jobId}`, { changed: (touched) => latest.current(touched), state: setState }), [orgId, jobId]);
  return state;
}

/** The live state of a job's applications; on every event the job's application lists are read again. */
export function useLiveApplications(orgId: string, jobId: string): LiveState {
  const queries = useQueryClient();
  return useJobEvents(orgId, jobId, () => void queries.invalidateQueries({ queryKey: ["applications", orgId, jobId] }));
}

/** Everything the application view reads about one application. */
export function rereadApplication(queries: QueryClient, applicationId: string): void {
  for (const key of ["application", "notes", "timeline", "scorecards"]) void queries.invalidateQueries({ queryKey: [key, applicationId] });
}

/** Whether a batch of events concerns this application. */
export const concerns = (touched: Touched, applicationId: string): boolean => touched === null || touched.has(applicationId);

/** One application, live: read again when an event names it, and every 30 s while the socket is down. */
export function useLiveApplication(orgId: string, jobId: string, applicationId: string): LiveState {
  const queries = useQueryClient();
  const state = useJobEvents(orgId, jobId, (touched) => {
    if (concerns(touched, applicationId)) rereadApplication(queries, applicationId);
  });
  useEffect(() => {
    if (state === "live") return;
    const timer = setInterval(() => rereadApplication(queries, applicationId), FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [state, queries, applicationId]);
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
