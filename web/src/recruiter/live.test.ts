import { describe, expect, it } from "vitest";
import {
  backoff,
  COALESCE_MS,
  concerns,
  HEALTHY_MS,
  jobPostingGlobalId,
  keepLive,
  LINGER_MS,
  OPEN_TIMEOUT_MS,
  PONG_TIMEOUT_MS,
  pollInterval,
  sharedLive,
  type Clock,
  type Connection,
  type Listener,
  type LiveState,
  type Touched,
} from "./live";

/** A clock the test moves by hand: timers run when their time comes. */
function manualClock() {
  let now = 0;
  let timers: { at: number; run: () => void }[] = [];
  const clock: Clock = {
    now: () => now,
    later(run, ms) {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.run();
    }
    now = until;
  };
  return { clock, advance, pending: () => timers.length };
}

/** Connections the test opens, feeds and ends; it records which were closed. */
function connections() {
  const opened: { report: Connection; closed: boolean }[] = [];
  const connect = (report: Connection) => {
    const entry = { report, closed: false };
    opened.push(entry);
    return () => {
      entry.closed = true;
    };
  };
  return { connect, opened, last: () => opened[opened.length - 1] };
}

function setUp() {
  const time = manualClock();
  const sockets = connections();
  const states: LiveState[] = [];
  const batches: Touched[] = [];
  const stop = keepLive({
    connect: sockets.connect,
    changed: (touched) => batches.push(touched),
    state: (s) => states.push(s),
    clock: time.clock,
    random: () => 1, // the longest wait of each step: the test reads exact delays
  });
  return { time, sockets, states, batches, changes: () => batches.length, stop };
}

describe("backoff", () => {
  it("doubles from 1 s and stops growing at 30 s, half of it random", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => backoff(n, () => 1))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(backoff(0, () => 0)).toBe(500);
    expect(backoff(5, () => 0)).toBe(15000);
  });
});

describe("keepLive", () => {
  it("is live once connected, and coalesces a burst of events into one re-read", () => {
    const live = setUp();
    expect(live.states).toEqual(["connecting"]);
    live.sockets.last().report.opened();
    expect(live.states).toEqual(["connecting", "live"]);
    live.time.advance(COALESCE_MS);
    expect(live.changes()).toBe(1); // catching up on what happened before the subscription
    expect(live.batches[0]).toBeNull(); // anything may have changed
    for (let i = 0; i < 5; i++) live.sockets.last().report.event(i % 2 ? "a" : "b");
    live.time.advance(COALESCE_MS);
    expect(live.changes()).toBe(2);
    expect([...(live.batches[1] ?? [])].sort()).toEqual(["a", "b"]); // which applications the burst named
    live.sockets.last().report.event("c");
    live.time.advance(COALESCE_MS);
    expect(live.changes()).toBe(3);
    expect([...(live.batches[2] ?? [])]).toEqual(["c"]);
  });

  it("reconnects after a growing wait, closes what ended, and ignores the dead connection", () => {
    const live = setUp();
    const first = live.sockets.last();
    first.report.ended();
    first.report.ended(); // the error, then the close: one reconnection
    expect(first.closed).toBe(true);
    expect(live.states).toEqual(["connecting", "down"]);
    live.time.advance(999);
    expect(live.sockets.opened).toHaveLength(1);
    live.time.advance(1);
    expect(live.sockets.opened).toHaveLength(2);
    expect(live.states.at(-1)).toBe("down"); // retrying: still down (and polling) until it is back
    first.report.opened();
    first.report.event("a");
    live.time.advance(COALESCE_MS);
    expect(live.states.at(-1)).toBe("down"); // the old socket no longer speaks for the job
    expect(live.changes()).toBe(0);

    live.sockets.last().report.ended(); // refused again: a longer wait
    live.time.advance(1999);
    expect(live.sockets.opened).toHaveLength(2);
    live.time.advance(1);
    expect(live.sockets.opened).toHaveLength(3);
  });

  it("starts the backoff again after a healthy connection, not after a short one", () => {
    const live = setUp();
    for (let i = 0; i < 3; i++) {
      live.sockets.last().report.opened(); // accepted, then refused at once: still backing off
      live.sockets.last().report.ended();
      live.time.advance(backoff(i, () => 1));
    }
    expect(live.sockets.opened).toHaveLength(4);
    live.sockets.last().report.opened();
    live.time.advance(HEALTHY_MS);
    live.sockets.last().report.ended();
    live.time.advance(1000);
    expect(live.sockets.opened).toHaveLength(5);
    expect(live.states.at(-1)).toBe("down");
  });

  it("stops for good: the connection closed, no retry or re-read left behind", () => {
    const live = setUp();
    live.sockets.last().report.opened();
    live.sockets.last().report.event("a");
    live.sockets.last().report.pinged();
    live.stop();
    expect(live.sockets.last().closed).toBe(true);
    expect(live.time.pending()).toBe(0); // no deadline, retry or re-read left behind
    live.sockets.last().report.ended();
    live.time.advance(60_000);
    expect(live.sockets.opened).toHaveLength(1);
    expect(live.changes()).toBe(0);
    expect(live.time.pending()).toBe(0);
  });
});

describe("keepLive's dead-connection checks", () => {
  it("gives up a connection whose pong does not come back in time, and reconnects", () => {
    const live = setUp();
    const first = live.sockets.last();
    first.report.opened();
    first.report.pinged();
    live.time.advance(PONG_TIMEOUT_MS - 1);
    first.report.ponged(); // answered in time: still live
    live.time.advance(PONG_TIMEOUT_MS);
    expect(live.states.at(-1)).toBe("live");
    first.report.pinged(); // the next ping gets no answer: the socket died without a close frame
    live.time.advance(PONG_TIMEOUT_MS - 1);
    expect(live.states.at(-1)).toBe("live");
    live.time.advance(1);
    expect(live.states.at(-1)).toBe("down");
    expect(first.closed).toBe(true);
    live.time.advance(1000);
    expect(live.sockets.opened).toHaveLength(2);
    live.sockets.last().report.opened();
    expect(live.states.at(-1)).toBe("live");
    first.report.ponged(); // too late, from the dead socket: changes nothing
    first.report.ended();
    expect(live.states.at(-1)).toBe("live");
  });

  it("gives up an attempt that is never acknowledged", () => {
    const live = setUp();
    live.time.advance(OPEN_TIMEOUT_MS - 1);
    expect(live.states).toEqual(["connecting"]);
    live.time.advance(1);
    expect(live.states).toEqual(["connecting", "down"]);
    expect(live.sockets.last().closed).toBe(true);
    live.time.advance(1000 + OPEN_TIMEOUT_MS);
    expect(live.sockets.opened).toHaveLength(2);
    expect(live.sockets.last().closed).toBe(true); // the second attempt hung too
  });

  it("does not time out a connection that was acknowledged", () => {
    const live = setUp();
    live.sockets.last().report.opened();
    live.time.advance(OPEN_TIMEOUT_MS * 4);
    expect(live.states.at(-1)).toBe("live");
    expect(live.sockets.opened).toHaveLength(1);
  });
});

describe("sharedLive", () => {
  function hub() {
    const time = manualClock();
    const started: { key: string; hub: Listener; stopped: boolean }[] = [];
    const join = sharedLive((key, hub) => {
      const entry = { key, hub, stopped: false };
      started.push(entry);
      hub.state("connecting");
      return () => {
        entry.stopped = true;
      };
    }, time.clock);
    const listener = () => {
      const heard = { states: [] as LiveState[], batches: [] as Touched[] };
      const me: Listener = { changed: (t) => heard.batches.push(t), state: (s) => heard.states.push(s) };
      return { me, heard };
    };
    return { time, started, join, listener };
  }

  it("opens one connection per key for every screen that follows it", () => {
    const { started, join, listener } = hub();
    const board = listener();
    const view = listener();
    join("org/job", board.me);
    started[0].hub.state("live");
    join("org/job", view.me);
    expect(started).toHaveLength(1);
    expect(view.heard.states).toEqual(["live"]); // told at once how the shared connection stands
    started[0].hub.changed(new Set(["a"]));
    expect(board.heard.batches).toEqual([new Set(["a"])]);
    expect(view.heard.batches).toEqual([new Set(["a"])]);
    join("org/other", listener().me);
    expect(started.map((s) => s.key)).toEqual(["org/job", "org/other"]);
  });

  it("keeps the connection a moment after the last screen leaves, for the next screen of the same job", () => {
    const { time, started, join, listener } = hub();
    const board = listener();
    const leaveBoard = join("org/job", board.me);
    leaveBoard();
    leaveBoard(); // leaving twice counts once
    time.advance(LINGER_MS - 1);
    const view = listener();
    const leaveView = join("org/job", view.me);
    time.advance(LINGER_MS * 2);
    expect(started).toHaveLength(1);
    expect(started[0].stopped).toBe(false);
    started[0].hub.changed(null);
    expect(board.heard.batches).toEqual([]); // gone: hears nothing more
    expect(view.heard.batches).toEqual([null]);
    leaveView();
    time.advance(LINGER_MS);
    expect(started[0].stopped).toBe(true);
    join("org/job", listener().me);
    expect(started).toHaveLength(2); // a new connection after the old one stopped
  });
});

describe("concerns", () => {
  it("is true for the application a batch names, or for any after a (re)connection", () => {
    expect(concerns(new Set(["a", "b"]), "a")).toBe(true);
    expect(concerns(new Set(["b"]), "a")).toBe(false);
    expect(concerns(null, "a")).toBe(true);
  });
});

describe("pollInterval", () => {
  it("polls only while the socket is not live", () => {
    expect(pollInterval("live")).toBe(false);
    expect(pollInterval("down")).toBe(30_000);
    expect(pollInterval("connecting")).toBe(30_000);
  });
});

describe("jobPostingGlobalId", () => {
  it("is the id the API gives the job posting", () => {
    // shortlist.graphql.recruiting_common.recruiting_id("JobPosting", org, posting) for these two UUIDs.
    expect(jobPostingGlobalId("0b9d6b7e-3c1f-4a55-9e0f-1f2e3d4c5b6a", "f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f")).toBe(
      "Sm9iUG9zdGluZzowYjlkNmI3ZS0zYzFmLTRhNTUtOWUwZi0xZjJlM2Q0YzViNmE6ZjBlMWQyYzMtYjRhNS00OTY4LTg3NzYtNWE0YjNjMmQxZTBm",
    );
  });
});
