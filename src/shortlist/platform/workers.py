"""Warm worker processes for CPU-bound work, so that it never runs on the API's event loop.

Typst keeps the GIL while it compiles and the ATS engine is pure Python: run in the API's interpreter (even
in a thread), either pauses every other request for as long as it computes. A ``WorkerPool`` runs such
calls in worker processes instead:

- Processes come from a fork server (spawned interpreters where there is none) that has imported the
  ``preload`` modules once, and each runs ``initializer`` (loading fonts, compiling a warm-up document)
  before its first call. ``start`` spawns them all ahead of the first request.
- Each worker is a ``ProcessPoolExecutor`` of one process: a worker that dies breaks its own executor only,
  so the calls running in the others carry on. A call goes to an idle worker; at most ``workers`` calls run
  at once and at most ``queue_max`` more wait, beyond that ``run`` raises ``PoolBusy`` at once (the caller
  answers 503 with Retry-After) rather than queueing without end. A call whose caller went away keeps its
  worker until it finishes (or its deadline kills it).
- A call still running ``timeout`` seconds after it started is stopped by killing its process (a compile
  in native code cannot be interrupted any other way) and raises ``CallTimedOut``; a worker that dies
  otherwise (out of memory, a crash in a native library) makes its call raise ``WorkerLost``. Either way a
  fresh worker takes the dead one's place in the background.

Calls and their arguments cross a pipe: functions must be importable by name and results picklable.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

import structlog

P = ParamSpec("P")
R = TypeVar("R")

log = structlog.get_logger(__name__)


class PoolBusy(Exception):
    """Every worker is busy and the waiting line is full."""


class WorkerLost(Exception):
    """The worker running the call died; another takes its place."""


class CallTimedOut(Exception):
    """The call ran past the pool's timeout; its worker was killed and another takes its place."""

    def __init__(self, timeout: float) -> None:
        super().__init__(f"the call ran longer than {timeout:g} s")
        self.timeout = timeout


def _worker_start(initializer: Callable[[], None] | None) -> None:
    # Ctrl+C reaches the whole process group: the parent shuts the pool down, workers must not die first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer()


def _ready() -> int:
    """Answers once a worker has run its initializer, with the process id the pool kills it by."""
    return os.getpid()


@dataclass(eq=False)
class _Worker:
    executor: ProcessPoolExecutor
    pid: int
    killed: bool = False  # by its deadline: the call's failure is a timeout, not a crash


def _discard_spawned(spawning: asyncio.Future[list[_Worker]]) -> None:
    if not spawning.cancelled() and spawning.exception() is None:
        for worker in spawning.result():
            worker.executor.shutdown(wait=False, cancel_futures=True)


# An idle slot without a live worker (not started yet, or its replacement failed to start): whoever takes it
# starts one.
_EMPTY = None


class WorkerPool:
    """One per process (it lives on the AppContext's renderer); the lifespan starts and closes it."""

    def __init__(
        self,
        *,
        workers: int,
        queue_max: int,
        initializer: Callable[[], None] | None = None,
        preload: Sequence[str] = (),
        timeout: float | None = None,
    ) -> None:
        self.workers = workers
        self.queue_max = queue_max
        self.initializer = initializer
        self.preload = tuple(preload)
        self.timeout = timeout
        self.pending = 0  # calls admitted and not finished: waiting for a worker or running
        self.running = 0
        self._idle: asyncio.Queue[_Worker | None] | None = None
        self._live: set[_Worker] = set()
        self._started = False
        self._fills: set[asyncio.Task[None]] = set()
        self._closed = False

    @property
    def waiting(self) -> int:
        return self.pending - self.running

    def _context(self) -> multiprocessing.context.BaseContext:
        if "forkserver" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("forkserver")
            # Takes effect when the fork server starts (once per process): later pools share it.
            context.set_forkserver_preload(list(self.preload))
            return context
        return multiprocessing.get_context("spawn")

    def _spawn(self, count: int) -> list[_Worker]:
        """``count`` warm workers, started side by side (blocking: run it in a thread)."""
        context = self._context()
        executors = [
            ProcessPoolExecutor(
                max_workers=1, mp_context=context, initializer=_worker_start, initargs=(self.initializer,)
            )
            for _ in range(count)
        ]
        try:
            # Each executor starts its process on its first submit: all of them warm up together.
            pending = [executor.submit(_ready) for executor in executors]
            return [
                _Worker(executor, future.result())
                for executor, future in zip(executors, pending, strict=True)
            ]
        except BaseException:
            for executor in executors:
                executor.shutdown(wait=False, cancel_futures=True)
            raise

    def _queue(self) -> asyncio.Queue[_Worker | None]:
        if self._idle is None:
            self._idle = asyncio.Queue()
            for _ in range(self.workers):
                self._idle.put_nowait(_EMPTY)
        return self._idle

    async def start(self) -> None:
        """Start the workers (if they are not running) and wait until they are warm."""
        self.start_in_background()
        await asyncio.gather(*self._fills)

    def start_in_background(self) -> None:
        """Start the workers without waiting: the server answers at once, the first call waits if needed."""
        if not self._started and not self._closed:
            self._started = True
            self._refill()

    def _refill(self) -> None:
        fill = asyncio.create_task(self._fill())
        self._fills.add(fill)
        fill.add_done_callback(self._fills.discard)

    async def _fill(self) -> None:
        # Take every empty slot, start their workers in one go, and hand them back warm (or empty on failure).
        idle = self._queue()
        empty = 0
        kept: list[_Worker | None] = []
        while not idle.empty():
            slot = idle.get_nowait()
            if slot is _EMPTY:
                empty += 1
            else:
                kept.append(slot)
        for slot in kept:
            idle.put_nowait(slot)
        started: list[_Worker] = []
        try:
            started = await asyncio.to_thread(self._spawn, empty) if empty else []
        except Exception:
            log.error("workers.start_failed", exc_info=True)
        finally:
            self._live.update(started)
            for worker in started:
                idle.put_nowait(worker)
            for _ in range(empty - len(started)):
                idle.put_nowait(_EMPTY)

    async def run(self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """``function(*args, **kwargs)`` in a worker. Raises PoolBusy, CallTimedOut, WorkerLost, or what the
        call raised."""
        if self._closed:
            raise RuntimeError("The worker pool is closed.")
        if self.pending >= self.workers + self.queue_max:
            raise PoolBusy()
        self.pending += 1
        submitted = False
        try:
            self.start_in_background()
            worker, future = await self._submit(function, *args, **kwargs)
            submitted = True
        finally:
            if not submitted:
                self.pending -= 1
        return await self._outcome(worker, future)

    async def _submit(
        self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs
    ) -> tuple[_Worker, Future[R]]:
        idle = self._queue()
        worker = await idle.get()
        try:
            if self._closed:
                raise RuntimeError("The worker pool is closed.")
            if worker is None:
                worker = await self._replacement()
            try:
                future = worker.executor.submit(function, *args, **kwargs)
            except BrokenProcessPool:
                # Died while idle: nothing of this call ran, so it goes to a new worker.
                self._retire(worker)
                worker = await self._replacement()
                future = worker.executor.submit(function, *args, **kwargs)
        except BaseException:
            idle.put_nowait(worker if worker is not None and worker in self._live else _EMPTY)
            raise
        self.running += 1
        loop = asyncio.get_running_loop()
        deadline = (
            None if self.timeout is None else loop.call_later(self.timeout, self._expire, worker, future)
        )

        def finished(_: Future[R]) -> None:
            # In the executor's thread once the call is over, even if our caller was cancelled.
            with contextlib.suppress(RuntimeError):  # the loop is already closed: nobody waits any more
                loop.call_soon_threadsafe(self._finish, worker, future, deadline)

        future.add_done_callback(finished)
        return worker, future

    async def _outcome(self, worker: _Worker, future: Future[R]) -> R:
        try:
            return await asyncio.wrap_future(future)
        except BrokenProcessPool as exc:
            if worker.killed and self.timeout is not None:
                raise CallTimedOut(self.timeout) from None
            raise WorkerLost() from exc

    async def _replacement(self) -> _Worker:
        spawning = asyncio.ensure_future(asyncio.to_thread(self._spawn, 1))
        try:
            (worker,) = await asyncio.shield(spawning)
        except asyncio.CancelledError:
            spawning.add_done_callback(_discard_spawned)  # its caller is gone: stop it once it is up
            raise
        self._live.add(worker)
        return worker

    def _expire(self, worker: _Worker, future: Future[Any]) -> None:
        if future.done():
            return
        worker.killed = True
        log.warning("workers.call_timed_out", timeout_seconds=self.timeout, pid=worker.pid)
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)

    def _finish(self, worker: _Worker, future: Future[Any], deadline: asyncio.TimerHandle | None) -> None:
        if deadline is not None:
            deadline.cancel()
        self.running -= 1
        self.pending -= 1
        idle = self._queue()
        if self._closed:
            return
        broken = not future.cancelled() and isinstance(future.exception(), BrokenProcessPool)
        # A worker its deadline killed goes even if its call won the race and finished first.
        if broken or worker.killed:
            if not worker.killed:
                log.warning("workers.replaced", pid=worker.pid)
            self._retire(worker)
            idle.put_nowait(_EMPTY)
            self._refill()  # warm the replacement now rather than on the next call
        else:
            idle.put_nowait(worker)

    def _retire(self, worker: _Worker) -> None:
        self._live.discard(worker)
        worker.executor.shutdown(wait=False, cancel_futures=True)

    async def close(self) -> None:
        """Stop the workers (a running call is finished first). The pool cannot be used afterwards."""
        self._closed = True
        await asyncio.gather(*self._fills, return_exceptions=True)
        live, self._live = self._live, set()
        idle = self._queue()
        for _ in range(self.workers):
            idle.put_nowait(_EMPTY)  # callers waiting for a worker wake up and find the pool closed
        for worker in live:
            await asyncio.to_thread(worker.executor.shutdown, wait=True, cancel_futures=True)
