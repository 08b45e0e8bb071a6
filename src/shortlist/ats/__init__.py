"""Shortlist ATS engine: parse resumes (PDF, DOCX, TXT) into JSON Resume, report ATS compatibility,
review bullets, match against a job, and score against role profiles.

Public API (see docs/ats.md):
    parse_bytes(data) / parse_file_sandboxed(data) / parse_text(text) -> ParseResult
    build_report(parsed) -> Report
    analyze(data, job=None, profile=None) -> Analysis  (parse + report [+ match] [+ profile])
    match(resume, job) -> MatchResult;  parse_job(job) -> JobPosting
    (the matching engine, for ranking many resumes against a job: shortlist.ats.matching)
    score_profile(resume, profile_id) -> ProfileResult;  profile_ids()
    review_bullet(text) / review_bullets(resume) -> bullet feedback

Names are imported on first use, so the sandboxed parser child (and anything that needs one piece)
does not pay for loading the whole engine.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shortlist.ats.api import Analysis, analyze
    from shortlist.ats.bullets import review_bullet, review_bullets
    from shortlist.ats.exceptions import (
        AtsError,
        DocumentTooLargeError,
        EncryptedDocumentError,
        MacroEnabledDocumentError,
        MalformedDocumentError,
        ParseTimeoutError,
        UnsafeArchiveError,
        UnsupportedFileTypeError,
    )
    from shortlist.ats.files import Limits, sniff
    from shortlist.ats.match import match, parse_job
    from shortlist.ats.parser import parse_bytes, parse_text
    from shortlist.ats.profiles import UnknownProfileError, profile_ids, score_profile
    from shortlist.ats.report import build_report
    from shortlist.ats.sandbox import parse_file_sandboxed

_WHERE = {
    "Analysis": "api", "analyze": "api", "review_bullet": "bullets", "review_bullets": "bullets",
    "AtsError": "exceptions", "DocumentTooLargeError": "exceptions", "EncryptedDocumentError": "exceptions",
    "MacroEnabledDocumentError": "exceptions", "MalformedDocumentError": "exceptions",
    "ParseTimeoutError": "exceptions", "UnsafeArchiveError": "exceptions",
    "UnsupportedFileTypeError": "exceptions",
    "Limits": "files", "sniff": "files", "match": "match", "parse_job": "match", "parse_bytes": "parser",
    "parse_text": "parser", "UnknownProfileError": "profiles", "profile_ids": "profiles",
    "score_profile": "profiles", "build_report": "report", "parse_file_sandboxed": "sandbox",
}  # fmt: skip

__all__ = [
    "Analysis",
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
    "analyze",
    "build_report",
    "match",
    "parse_bytes",
    "parse_file_sandboxed",
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
        raise AttributeError(f"module 'shortlist.ats' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"shortlist.ats.{module}"), name)
    globals()[name] = value
    return value


class _Package(types.ModuleType):
    """Importing a submodule binds it on the package under its own name, and `shortlist.ats.match` (the
    module) would then hide `match` (the function) from `from shortlist.ats import match`. Keep the function."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _WHERE.get(name) == name and hasattr(value, name):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
