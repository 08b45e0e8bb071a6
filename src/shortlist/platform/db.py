"""Database engine and sessions: SQLite (embedded default) or PostgreSQL, chosen by URL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

# SQLite serialises writers. A transaction that starts by reading and later writes would fail at once with
# SQLITE_BUSY when another writer got in between, so write transactions take the write lock up front
# (BEGIN IMMEDIATE) and wait for it; reads stay deferred and run concurrently under WAL.
_BEGIN_OPTION = "shortlist_sqlite_begin"


@dataclass(frozen=True)
class Database:
    engine: AsyncEngine
    reader: async_sessionmaker[AsyncSession]
    writer: async_sessionmaker[AsyncSession]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    async def dispose(self) -> None:
        await self.engine.dispose()


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Hand transaction control to us (the driver would otherwise BEGIN lazily on its own terms).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def create_database(url: str, *, echo: bool = False) -> Database:
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo, "pool_pre_ping": True}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.pop("pool_pre_ping")
    else:
        kwargs.update(pool_size=10, max_overflow=10)
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
        write_bind = engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
    else:
        write_bind = engine
    reader = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
    writer = async_sessionmaker(write_bind, expire_on_commit=False, autoflush=False)
    return Database(engine=engine, reader=reader, writer=writer)
