import { describe, expect, it } from "vitest";
import { backoff, COALESCE_MS, HEALTHY_MS, jobPostingGlobalId, keepLive, pollInterval, type Clock, type Connection, type LiveState } from "./live";

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
  let changes = 0;
  const stop = keepLive({
    connect: sockets.connect,
    changed: () => changes++,
    state: (s) => states.push(s),
    clock: time.clock,
    random: () => 1, // the longest wait of each step: the test reads exact delays
  });
  return { time, sockets, states, changes: () => changes, stop };
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
    for (let i = 0; i < 5; i++) live.sockets.last().report.event();
    live.time.advance(COALESCE_MS);
    expect(live.changes()).toBe(2);
    live.sockets.last().report.event();
    live.time.advance(COALESCE_MS);
    expect(live.changes()).toBe(3);
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
    expect(live.states.at(-1)).toBe("connecting");
    first.report.opened();
    first.report.event();
    live.time.advance(COALESCE_MS);
    expect(live.states.at(-1)).toBe("connecting"); // the old socket no longer speaks for the job
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
    expect(live.states.at(-1)).toBe("connecting");
  });

  it("stops for good: the connection closed, no retry or re-read left behind", () => {
    const live = setUp();
    live.sockets.last().report.opened();
    live.sockets.last().report.event();
    live.stop();
    expect(live.sockets.last().closed).toBe(true);
    live.sockets.last().report.ended();
    live.time.advance(60_000);
    expect(live.sockets.opened).toHaveLength(1);
    expect(live.changes()).toBe(0);
    expect(live.time.pending()).toBe(0);
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
