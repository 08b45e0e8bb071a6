"""Warm worker processes for CPU-bound work, so that it never runs on the API's event loop.

Typst keeps the GIL while it compiles and the ATS engine is pure Python: run in the API's interpreter (even
in a thread), either pauses every other request for as long as it computes. A ``WorkerPool`` runs such
calls in a ``ProcessPoolExecutor`` instead:

- Processes come from a fork server (spawned interpreters where there is none) that has imported the
  ``preload`` modules once, and each runs ``initializer`` (loading fonts, compiling a warm-up document)
  before its first call. ``start`` spawns them all ahead of the first request.
- At most ``workers`` calls run at once and at most ``queue_max`` wait; beyond that ``run`` raises
  ``PoolBusy`` at once (the caller answers 503 with Retry-After) rather than queueing without end. A call
  whose caller went away keeps its slot until the process is free again.
- A worker that dies (out of memory, a crash in a native library) breaks the executor: the pool replaces it.
  A call that was running then raises ``WorkerLost``; one that had not started yet is submitted again.

Calls and their arguments cross a pipe: functions must be importable by name and results picklable.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

import structlog

P = ParamSpec("P")
R = TypeVar("R")

log = structlog.get_logger(__name__)


class PoolBusy(Exception):
    """Every worker is busy and the waiting line is full."""


class WorkerLost(Exception):
    """The worker running the call died; the pool has been replaced."""


def _worker_start(initializer: Callable[[], None] | None) -> None:
    # Ctrl+C reaches the whole process group: the parent shuts the pool down, workers must not die first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer()


def _log_start_failure(task: asyncio.Task[ProcessPoolExecutor]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("workers.start_failed", error=repr(task.exception()))


def _ready() -> None:
    """A no-op: its answer means a worker has run its initializer."""


class WorkerPool:
    """One per process (it lives on the AppContext's renderer); the lifespan starts and closes it."""

    def __init__(
        self,
        *,
        workers: int,
        queue_max: int,
        initializer: Callable[[], None] | None = None,
        preload: Sequence[str] = (),
    ) -> None:
        self.workers = workers
        self.queue_max = queue_max
        self.initializer = initializer
        self.preload = tuple(preload)
        self.waiting = 0
        self.running = 0
        self._executor: ProcessPoolExecutor | None = None
        self._starting: asyncio.Task[ProcessPoolExecutor] | None = None
        self._slots: asyncio.Semaphore | None = None
        self._closed = False

    def _context(self) -> multiprocessing.context.BaseContext:
        if "forkserver" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("forkserver")
            # Takes effect when the fork server starts (once per process): later pools share it.
            context.set_forkserver_preload(list(self.preload))
            return context
        return multiprocessing.get_context("spawn")

    def _spawn(self) -> ProcessPoolExecutor:
        """A new executor with every worker started (blocking: run it in a thread)."""
        executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self._context(),
            initializer=_worker_start,
            initargs=(self.initializer,),
        )
        # With no idle worker, each submit starts one more process: all of them start now, warming together.
        pending = [executor.submit(_ready) for _ in range(self.workers)]
        for future in pending:
            future.result()
        return executor

    async def start(self) -> None:
        """Start the workers (if they are not running) and wait until they are warm."""
        await self._current()

    def start_in_background(self) -> None:
        """Start the workers without waiting: the server answers at once, the first render waits if needed."""
        if self._executor is None and self._starting is None and not self._closed:
            self._starting = asyncio.create_task(asyncio.to_thread(self._spawn))
            self._starting.add_done_callback(_log_start_failure)

    async def _current(self) -> ProcessPoolExecutor:
        if self._closed:
            raise RuntimeError("The worker pool is closed.")
        if self._executor is not None:
            return self._executor
        if self._starting is None:
            # Starting the fork server and the processes blocks; concurrent callers wait for one start.
            self._starting = asyncio.create_task(asyncio.to_thread(self._spawn))
        try:
            executor = await asyncio.shield(self._starting)
        finally:
            if self._starting is not None and self._starting.done():
                self._starting = None
        if self._executor is None:
            self._executor = executor
        return self._executor

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        if self._executor is broken:
            log.warning("workers.replaced", workers=self.workers)
            self._executor = None
        broken.shutdown(wait=False, cancel_futures=True)

    async def run(self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """``function(*args, **kwargs)`` in a worker. Raises PoolBusy, WorkerLost, or what the call raised."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        slots = self._slots
        if slots.locked() and self.waiting >= self.queue_max:
            raise PoolBusy()
        self.waiting += 1
        try:
            await slots.acquire()
        finally:
            self.waiting -= 1
        try:
            executor, future = await self._submit(function, *args, **kwargs)
        except BaseException:
            slots.release()
            raise
        self.running += 1
        loop = asyncio.get_running_loop()

        def free_slot(_: Future[R]) -> None:
            # Runs in the executor's thread once the process is done, even if our caller was cancelled.
            with contextlib.suppress(RuntimeError):  # the loop is already closed: nobody waits any more
                loop.call_soon_threadsafe(self._release, slots)

        future.add_done_callback(free_slot)
        try:
            return await asyncio.wrap_future(future)
        except BrokenProcessPool as exc:
            self._replace(executor)
            raise WorkerLost() from exc

    def _release(self, slots: asyncio.Semaphore) -> None:
        self.running -= 1
        slots.release()

    async def _submit(
        self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs
    ) -> tuple[ProcessPoolExecutor, Future[R]]:
        executor = await self._current()
        try:
            return executor, executor.submit(function, *args, **kwargs)
        except BrokenProcessPool:
            # Broken while idle: nothing of this call ran, so it is safe to submit it to a new pool.
            self._replace(executor)
            executor = await self._current()
            return executor, executor.submit(function, *args, **kwargs)

    async def close(self) -> None:
        """Stop the workers (a running call is finished first). The pool cannot be used afterwards."""
        self._closed = True
        starting, self._starting = self._starting, None
        if starting is not None:
            try:
                self._executor = self._executor or await starting
            except Exception:  # a pool that failed to start has nothing to stop
                log.warning("workers.start_failed", exc_info=True)
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)
