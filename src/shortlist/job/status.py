"""A job's states: the repository's conditional updates and the service's rules both speak them."""

from __future__ import annotations

from enum import StrEnum


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"  # the handler said retrying cannot help
    dead = "dead"  # retries exhausted
    cancelled = "cancelled"


TERMINAL = frozenset({JobStatus.succeeded, JobStatus.failed, JobStatus.dead, JobStatus.cancelled})
