"""Cache benchmark: get/set throughput and latency per backend, and what single-flight saves.

    .venv/bin/python bench/cache_bench.py [--ops 20000] [--redis-url redis://127.0.0.1:6379/0]

Latency is measured per awaited call (one at a time); throughput also with concurrent callers, which is how
the service uses the cache. Redis figures are skipped (with a note) when Redis is not reachable.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from collections.abc import Awaitable, Callable

from shortlist.platform.cache import Cache, CacheUnavailable, MemoryCache, RedisCache

VALUE = os.urandom(256)


def _percentile(samples: list[int], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] / 1000  # ns -> µs


async def _sequential(op: Callable[[int], Awaitable[object]], n: int) -> tuple[float, float, float]:
    samples: list[int] = []
    started = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter_ns()
        await op(i)
        samples.append(time.perf_counter_ns() - t0)
    elapsed = time.perf_counter() - started
    return n / elapsed, _percentile(samples, 0.50), _percentile(samples, 0.99)


async def _concurrent(op: Callable[[int], Awaitable[object]], n: int, workers: int) -> float:
    async def worker(w: int) -> None:
        for i in range(w, n, workers):
            await op(i)

    started = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(workers)))
    return n / (time.perf_counter() - started)


async def bench_backend(label: str, cache: Cache, ops: int) -> None:
    keys = [f"bench:{i}" for i in range(ops)]

    async def do_set(i: int) -> None:
        await cache.set(keys[i], VALUE, ttl=300)

    async def do_get(i: int) -> bytes | None:
        return await cache.get(keys[i])

    set_rate, set_p50, set_p99 = await _sequential(do_set, ops)
    get_rate, get_p50, get_p99 = await _sequential(do_get, ops)
    conc_set = await _concurrent(do_set, ops, 32)
    conc_get = await _concurrent(do_get, ops, 32)
    print(
        f"{label:<8} set  {set_rate:>10,.0f} ops/s  p50 {set_p50:>8.1f} µs  p99 {set_p99:>8.1f} µs"
        f"   | 32 concurrent: {conc_set:>10,.0f} ops/s"
    )
    print(
        f"{label:<8} get  {get_rate:>10,.0f} ops/s  p50 {get_p50:>8.1f} µs  p99 {get_p99:>8.1f} µs"
        f"   | 32 concurrent: {conc_get:>10,.0f} ops/s"
    )


async def bench_single_flight(label: str, caches: list[Cache], callers: int, load_seconds: float) -> None:
    calls = 0
    # The source behind the cache has limited capacity, like a database pool of 10 connections.
    source = asyncio.Semaphore(10)

    async def loader() -> bytes:
        nonlocal calls
        calls += 1
        async with source:
            await asyncio.sleep(load_seconds)  # stands in for a database query or a render
        return VALUE

    key = f"sf:{uuid.uuid4().hex}"
    started = time.perf_counter()
    await asyncio.gather(*(caches[i % len(caches)].get_or_set(key, loader, ttl=60) for i in range(callers)))
    coalesced_time = time.perf_counter() - started
    coalesced_calls = calls

    # The same burst without coalescing: every caller misses and runs the loader itself.
    calls = 0
    naive_key = f"sf:{uuid.uuid4().hex}"

    async def naive(cache: Cache) -> bytes:
        value = await cache.get(naive_key)
        if value is None:
            value = await loader()
            await cache.set(naive_key, value, ttl=60)
        return value

    started = time.perf_counter()
    await asyncio.gather(*(naive(caches[i % len(caches)]) for i in range(callers)))
    naive_time = time.perf_counter() - started
    print(
        f"{label:<20} loader ran {coalesced_calls:>3}x, burst served in {coalesced_time * 1000:>5.0f} ms "
        f"with single-flight | {calls:>3}x, {naive_time * 1000:>5.0f} ms without"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--ops", type=int, default=20_000)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--callers", type=int, default=200)
    args = parser.parse_args()

    print(f"value size {len(VALUE)} B, {args.ops} ops per measurement\n")
    memory = MemoryCache(max_entries=args.ops * 2, name="bench-memory")
    await bench_backend("memory", memory, args.ops)

    prefix = f"bench:{uuid.uuid4().hex}:"
    redis_cache = RedisCache.from_url(args.redis_url, prefix=prefix, name="bench-redis")
    other = RedisCache.from_url(args.redis_url, prefix=prefix, name="bench-redis")
    redis_up = False
    try:
        try:
            await redis_cache.ping()
            redis_up = True
        except CacheUnavailable as exc:
            print(f"redis    skipped: {exc}")
            redis_up = False
        if redis_up:
            await bench_backend("redis", redis_cache, args.ops)

        print(f"\nloader: 50 ms behind a source that serves 10 loads at a time; {args.callers} callers")
        await bench_single_flight("memory", [memory], args.callers, 0.05)
        if redis_up:
            await bench_single_flight("redis (1 instance)", [redis_cache], args.callers, 0.05)
            await bench_single_flight("redis (2 instances)", [redis_cache, other], args.callers, 0.05)
    finally:
        if redis_up:
            keys = [k async for k in redis_cache.client.scan_iter(match=f"{prefix}*", count=1000)]
            for start in range(0, len(keys), 1000):
                await redis_cache.client.delete(*keys[start : start + 1000])
        await redis_cache.close()
        await other.close()


if __name__ == "__main__":
    asyncio.run(main())
