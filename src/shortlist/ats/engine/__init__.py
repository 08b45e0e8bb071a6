"""The ATS engine: parse resumes (PDF, DOCX, TXT) into JSON Resume, report ATS compatibility, review
bullets, match against a job, and score against role profiles.

A library: it knows nothing of HTTP, the database or the platform (tests/ats/test_engine_imports.py keeps
it so). The ATS domain (``shortlist.ats``) serves it: endpoints, service, repository, tasks, and the
limited child processes untrusted files are parsed in (``shortlist.ats.sandbox``, ``.forkserver``,
``.oneshot``; ``shortlist.ats.analysis.analyze`` parses there, then reports, matches and scores).

Public API (see docs/ats.md):
    parse_bytes(data) / parse_text(text) -> ParseResult   (in this process: trusted input)
    build_report(parsed) -> Report
    match(resume, job) -> MatchResult;  parse_job(job) -> JobPosting
    (the matching engine, for ranking many resumes against a job: shortlist.ats.engine.matching)
    score_profile(resume, profile_id) -> ProfileResult;  profile_ids()
    review_bullet(text) / review_bullets(resume) -> bullet feedback

Names are imported on first use, so the sandboxed parser child (and anything that needs one piece)
does not pay for loading the whole engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shortlist.ats.engine.bullets import review_bullet, review_bullets
    from shortlist.ats.engine.errors import (
        AtsError,
        DocumentTooLargeError,
        EncryptedDocumentError,
        MacroEnabledDocumentError,
        MalformedDocumentError,
        ParseTimeoutError,
        UnsafeArchiveError,
        UnsupportedFileTypeError,
    )
    from shortlist.ats.engine.files import Limits, sniff
    from shortlist.ats.engine.matching import match, parse_job
    from shortlist.ats.engine.parser import parse_bytes, parse_text
    from shortlist.ats.engine.profiles import UnknownProfileError, profile_ids, score_profile
    from shortlist.ats.engine.report import build_report

_WHERE = {
    "review_bullet": "bullets", "review_bullets": "bullets",
    "AtsError": "errors", "DocumentTooLargeError": "errors", "EncryptedDocumentError": "errors",
    "MacroEnabledDocumentError": "errors", "MalformedDocumentError": "errors",
    "ParseTimeoutError": "errors", "UnsafeArchiveError": "errors",
    "UnsupportedFileTypeError": "errors",
    "Limits": "files", "sniff": "files", "match": "matching", "parse_job": "matching", "parse_bytes": "parser",
    "parse_text": "parser", "UnknownProfileError": "profiles", "profile_ids": "profiles",
    "score_profile": "profiles", "build_report": "report",
}  # fmt: skip

__all__ = [
    "AtsError",
    "DocumentTooLargeError",
    "EncryptedDocumentError",
    "Limits",
    "MacroEnabledDocumentError",
    "MalformedDocumentError",
    "ParseTimeoutError",
    "UnknownProfileError",
    "UnsafeArchiveError",
    "UnsupportedFileTypeError",
    "build_report",
    "match",
    "parse_bytes",
    "parse_job",
    "parse_text",
    "profile_ids",
    "review_bullet",
    "review_bullets",
    "score_profile",
    "sniff",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'shortlist.ats.engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"shortlist.ats.engine.{module}"), name)
    globals()[name] = value
    return value
