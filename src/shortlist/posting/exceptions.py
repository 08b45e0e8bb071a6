from __future__ import annotations

from shortlist.kit.problems import Conflict, NotFound, UnprocessableContent


class PostingNotFound(NotFound):
    slug = "job-not-found"
    title = "Job not found"

    def __init__(self) -> None:
        super().__init__("This organization has no such job (or it is not one of yours).")


class InvalidTransition(Conflict):
    slug = "job-invalid-transition"
    title = "Job status cannot change that way"


class InvalidHiringManager(UnprocessableContent):
    slug = "job-invalid-hiring-manager"
    title = "Not a member of the organization"


class InvalidStages(UnprocessableContent):
    slug = "job-invalid-stages"
    title = "Invalid pipeline stages"


class StageInUse(Conflict):
    slug = "job-stage-in-use"
    title = "Stage still holds applications"
