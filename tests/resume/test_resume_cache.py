"""Cached resume reads and account state: hits and misses, invalidation on every write, tenant isolation,
and what happens while Redis is down (reads fall back to the database, writes that must invalidate get 503)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY

from shortlist.context import AppContext
from shortlist.main import create_app
from shortlist.platform.cache import CacheUnavailable, RedisCache
from shortlist.resume.cache import pack, resume_key, unpack
from tests.conftest import Register, assert_problem

REDIS_URL = os.environ.get("SHORTLIST_REDIS_URL") or "redis://127.0.0.1:6379/0"


def _metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def _create(client: httpx.AsyncClient, headers: dict[str, str], title: str = "CV") -> dict[str, Any]:
    content = {"basics": {"name": "Grace Hopper", "label": title}}
    response = await client.post("/v1/resumes", json={"title": title, "content": content}, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    body["etag"] = response.headers["etag"]
    return body


async def test_second_read_is_a_hit_with_the_same_body(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register()
    created = await _create(client, headers)
    name = app_context.cache.name
    misses = _metric("shortlist_cache_misses_total", cache=name, namespace="resume")
    hits = _metric("shortlist_cache_hits_total", cache=name, namespace="resume")

    first = await client.get(f"/v1/resumes/{created['id']}", headers=headers)
    second = await client.get(f"/v1/resumes/{created['id']}", headers=headers)
    assert first.status_code == second.status_code == 200
    assert _metric("shortlist_cache_misses_total", cache=name, namespace="resume") == misses + 1
    assert _metric("shortlist_cache_hits_total", cache=name, namespace="resume") == hits + 1
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"] == created["etag"]
    assert second.headers["content-type"] == "application/json"
    assert second.headers["cache-control"] == "no-store"
    expected = {key: value for key, value in created.items() if key != "etag"}
    assert second.json() == expected

    not_modified = await client.get(
        f"/v1/resumes/{created['id']}", headers={**headers, "If-None-Match": created["etag"]}
    )
    assert not_modified.status_code == 304
    assert not_modified.headers["etag"] == created["etag"]


async def test_every_write_invalidates_the_cached_read(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    created = await _create(client, headers, "v1")
    url = f"/v1/resumes/{created['id']}"

    async def read() -> httpx.Response:
        response = await client.get(url, headers=headers)
        again = await client.get(url, headers=headers)  # the second one is served from the cache
        assert again.status_code == response.status_code
        if response.status_code == 200:  # problem documents differ by request id
            assert again.content == response.content
        return response

    async def etag() -> str:
        return (await read()).headers["etag"]

    content = {"basics": {"name": "Grace Hopper", "label": "v2"}}
    put = await client.put(
        url, json={"title": "v2", "content": content}, headers={**headers, "If-Match": await etag()}
    )
    assert put.status_code == 200
    assert (await read()).json()["title"] == "v2"

    patch = await client.patch(
        url,
        json={"title": "v3"},
        headers={**headers, "If-Match": await etag(), "Content-Type": "application/merge-patch+json"},
    )
    assert patch.status_code == 200
    assert (await read()).json()["title"] == "v3"

    restored = await client.post(f"{url}/versions/1/restore", headers={**headers, "If-Match": await etag()})
    assert restored.status_code == 200
    after_restore = (await read()).json()
    assert after_restore["title"] == "v1" and after_restore["version"] == 4

    deleted = await client.delete(url, headers={**headers, "If-Match": await etag()})
    assert deleted.status_code == 204
    assert_problem(await read(), 404)

    back = await client.post(f"{url}/restore", headers=headers)
    assert back.status_code == 200
    assert (await read()).json()["deleted_at"] is None


async def test_cache_keys_are_owner_scoped(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await register()
    intruder = await register()
    created = await _create(client, owner)
    url = f"/v1/resumes/{created['id']}"
    assert (await client.get(url, headers=owner)).status_code == 200  # cached for the owner now
    # The intruder's read uses its own key: the owner's cached entry cannot answer it.
    assert_problem(await client.get(url, headers=intruder), 404)
    assert_problem(await client.get(url, headers=intruder), 404)
    me = (await client.get("/v1/users/me", headers=owner)).json()
    assert await app_context.cache.get(resume_key(_uuid(me["id"]), _uuid(created["id"]))) is not None


def _uuid(value: str) -> Any:
    import uuid

    return uuid.UUID(value)


def test_pack_round_trip() -> None:
    body = b'{"title":"line\\nbreak"}'
    assert unpack(pack('"r3"', body)) == ('"r3"', body)


async def test_logout_all_takes_effect_despite_the_account_cache(
    client: httpx.AsyncClient, register: Register
) -> None:
    headers = await register()
    assert (await client.get("/v1/users/me", headers=headers)).status_code == 200  # account state cached
    assert (await client.post("/v1/auth/logout-all", headers=headers)).status_code == 204
    assert_problem(await client.get("/v1/users/me", headers=headers), 401)


async def test_deleted_account_is_refused_despite_the_account_cache(
    client: httpx.AsyncClient, register: Register
) -> None:
    headers = await register()
    assert (await client.get("/v1/users/me", headers=headers)).status_code == 200
    assert (await client.delete("/v1/users/me", headers=headers)).status_code == 204
    assert_problem(await client.get("/v1/resumes", headers=headers), 401)


# --- Redis down ------------------------------------------------------------------------------------------


class _Proxy:
    """A TCP relay to Redis that can be cut and restored, to take 'Redis' down and bring it back."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = _free_port()
        self.server: asyncio.Server | None = None
        self.tasks: set[asyncio.Task[None]] = set()
        self.writers: set[asyncio.StreamWriter] = set()

    async def up(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def down(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
            self.server = None
        for writer in list(self.writers):
            writer.close()
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.writers.update({writer, up_writer})

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        for task in (
            asyncio.create_task(pipe(reader, up_writer)),
            asyncio.create_task(pipe(up_reader, writer)),
        ):
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def _client_for(context: AppContext) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(context=context), client=("203.0.113.8", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def test_redis_down_reads_fall_back_and_invalidating_writes_get_503(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register()
    created = await _create(client, headers, "before")
    url = f"/v1/resumes/{created['id']}"
    # A closed port: connections are refused at once.
    dead = RedisCache.from_url(f"redis://127.0.0.1:{_free_port()}/0", name="redis-down")
    down = dataclasses.replace(app_context, cache=dead)
    fallbacks = _metric("shortlist_cache_fallbacks_total", namespace="resume")
    try:
        async with _client_for(down) as degraded:
            read = await degraded.get(url, headers=headers)
            assert read.status_code == 200 and read.json()["title"] == "before"
            assert _metric("shortlist_cache_fallbacks_total", namespace="resume") == fallbacks + 1

            content = {"basics": {"name": "Grace Hopper"}}
            write = await degraded.put(
                url,
                json={"title": "during", "content": content},
                headers={**headers, "If-Match": created["etag"]},
            )
            body = assert_problem(write, 503, "service-unavailable")
            assert write.headers["retry-after"]
            assert "cache" in body["detail"]
            # Nothing was written: the transaction was rolled back.
            assert (await degraded.get(url, headers=headers)).json()["title"] == "before"
            # Creating does not invalidate anything, so it still works.
            assert (
                await degraded.post("/v1/resumes", json={"title": "x", "content": {}}, headers=headers)
            ).status_code == 201
    finally:
        await dead.close()


async def test_redis_outage_and_recovery(
    register: Register, client: httpx.AsyncClient, app_context: AppContext
) -> None:
    host, port = _redis_address()
    probe = RedisCache.from_url(REDIS_URL, name="probe")
    try:
        await probe.ping()
    except CacheUnavailable as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    finally:
        await probe.close()

    headers = await register()
    created = await _create(client, headers, "before")
    url = f"/v1/resumes/{created['id']}"
    proxy = _Proxy(host, port)
    await proxy.up()
    cache = RedisCache.from_url(
        f"redis://127.0.0.1:{proxy.port}/{_redis_db()}",
        prefix=f"test:{os.urandom(6).hex()}:",
        name="redis-proxy",
    )
    context = dataclasses.replace(app_context, cache=cache)
    try:
        async with _client_for(context) as api:
            assert (await api.get(url, headers=headers)).status_code == 200
            await proxy.down()
            content = {"basics": {"name": "Grace Hopper"}}
            during = await api.put(
                url,
                json={"title": "during", "content": content},
                headers={**headers, "If-Match": created["etag"]},
            )
            assert_problem(during, 503)
            assert (await api.get(url, headers=headers)).json()["title"] == "before"

            await proxy.up()
            after = await api.put(
                url,
                json={"title": "after", "content": content},
                headers={**headers, "If-Match": created["etag"]},
            )
            assert after.status_code == 200, after.text
            assert (await api.get(url, headers=headers)).json()["title"] == "after"
            assert (await api.get(url, headers=headers)).json()["title"] == "after"
    finally:
        await proxy.down()
        await cache.close()


def _redis_address() -> tuple[str, int]:
    from urllib.parse import urlsplit

    parts = urlsplit(REDIS_URL)
    return parts.hostname or "127.0.0.1", parts.port or 6379


def _redis_db() -> str:
    from urllib.parse import urlsplit

    return urlsplit(REDIS_URL).path.lstrip("/") or "0"
