from __future__ import annotations

from shortlist.kit.problems import NotFound, PayloadTooLarge, UnprocessableContent


class ResumeNotFound(NotFound):
    slug = "resume-not-found"
    title = "Resume not found"

    def __init__(self) -> None:
        super().__init__("No such resume (or it belongs to someone else).")


class ResumeTooLarge(PayloadTooLarge):
    slug = "resume-too-large"
    title = "Resume too large"


class ResumeLimitReached(UnprocessableContent):
    slug = "resume-limit"
    title = "Resume limit reached"


class ResumeValueTooLong(UnprocessableContent):
    slug = "value-too-long"
    title = "Value too long"


class VersionNotFound(NotFound):
    slug = "version-not-found"
    title = "Version not found"

    def __init__(self, number: int) -> None:
        super().__init__(f"This resume has no version {number}.")
