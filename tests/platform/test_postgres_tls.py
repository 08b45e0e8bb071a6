"""PostgreSQL over TLS with full verification, against a cluster started here with a certificate from a CA made
here: `?ssl=verify-full` with PGSSLROOTCERT connects over TLS, and a server another CA signed is refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from shortlist.platform.db import create_database
from tests.platform.tls import causes, make_authority, make_server_certificate
from tests.support import free_port

INITDB, PG_CTL, RUNUSER = shutil.which("initdb"), shutil.which("pg_ctl"), shutil.which("runuser")


def _as_postgres(*argv: str) -> None:
    # PostgreSQL refuses to run as root: the cluster belongs to the `postgres` account.
    assert RUNUSER is not None
    subprocess.run([RUNUSER, "-u", "postgres", "--", *argv], check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def tls_postgres() -> Iterator[tuple[int, Path, Path]]:
    """(port, our CA's file, another CA's file) of a PostgreSQL on 127.0.0.1 that speaks TLS."""
    if not (INITDB and PG_CTL and RUNUSER) or os.geteuid() != 0:
        pytest.skip("needs initdb, pg_ctl and root (to run the cluster as the postgres account)")
    directory = Path(tempfile.mkdtemp(prefix="shortlist-pg-tls-"))
    try:
        authority = make_authority(directory, "internal-ca")
        other = make_authority(directory, "other-ca")
        cert_file, key_file = make_server_certificate(directory, authority, "postgres")
        shutil.chown(directory, "postgres")
        for path in (cert_file, key_file):
            shutil.chown(path, "postgres")
        data, port = directory / "data", free_port()
        _as_postgres(INITDB or "", "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={directory} -c fsync=off "
            f"-c ssl=on -c ssl_cert_file={cert_file} -c ssl_key_file={key_file}"
        )
        _as_postgres(
            PG_CTL or "", "-D", str(data), "-l", str(directory / "log"), "-w", "-o", options, "start"
        )
        try:
            yield port, authority.file, other.file
        finally:
            _as_postgres(PG_CTL or "", "-D", str(data), "-m", "immediate", "stop")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


async def test_verify_full_connects_over_tls(
    tls_postgres: tuple[int, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    port, ca_file, _ = tls_postgres
    monkeypatch.setenv("PGSSLROOTCERT", str(ca_file))
    database = create_database(f"postgresql+asyncpg://postgres@127.0.0.1:{port}/postgres?ssl=verify-full")
    try:
        async with database.engine.connect() as connection:
            encrypted = await connection.scalar(
                text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            )
        assert encrypted is True
    finally:
        await database.dispose()


async def test_a_server_another_ca_signed_is_refused(
    tls_postgres: tuple[int, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    port, _, other_ca_file = tls_postgres
    monkeypatch.setenv("PGSSLROOTCERT", str(other_ca_file))
    database = create_database(f"postgresql+asyncpg://postgres@127.0.0.1:{port}/postgres?ssl=verify-full")
    try:
        # The driver raises its own error types; what matters is that verification is the reason.
        with pytest.raises(Exception) as refused:
            async with database.engine.connect() as connection:
                await connection.scalar(text("SELECT 1"))
        assert "certificate" in causes(refused.value), causes(refused.value)
    finally:
        await database.dispose()
