from __future__ import annotations

from shortlist.kit.problems import Conflict, NotFound


class JobNotFound(NotFound):
    slug = "job-not-found"
    title = "Job not found"

    def __init__(self) -> None:
        super().__init__("No such job (or it belongs to someone else).")


class JobFinished(Conflict):
    slug = "job-finished"
    title = "Job already finished"
