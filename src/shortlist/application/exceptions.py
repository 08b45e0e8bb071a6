from __future__ import annotations

from shortlist.kit.problems import Conflict, NotFound, TooManyRequests, UnprocessableContent


class ApplicationNotFound(NotFound):
    slug = "application-not-found"
    title = "Application not found"

    def __init__(self) -> None:
        super().__init__("No such application (or it is not yours to see).")


class JobNotOpen(NotFound):
    slug = "job-not-open"
    title = "Job not open"

    def __init__(self) -> None:
        super().__init__("This job does not exist or is not taking applications.")


class DuplicateApplication(Conflict):
    slug = "duplicate-application"
    title = "Already applied"

    def __init__(self) -> None:
        super().__init__("An application from this e-mail address to this job already exists.")


class ApplyRateLimited(TooManyRequests):
    slug = "apply-rate-limited"
    title = "Too many applications"


class UnknownStage(UnprocessableContent):
    slug = "unknown-stage"
    title = "Unknown pipeline stage"


class ApplicationClosed(Conflict):
    slug = "application-withdrawn"
    title = "Application withdrawn"


class UnknownCriterion(UnprocessableContent):
    slug = "unknown-scorecard-criterion"
    title = "Unknown scorecard criterion"


class ResumeNotReady(Conflict):
    slug = "resume-not-ready"
    title = "Resume not ready"
