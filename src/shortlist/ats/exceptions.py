"""Problem types for the ATS endpoints; the engine's errors (which know nothing of HTTP) are mapped here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from shortlist.ats.engine.errors import AtsError
from shortlist.kit.problems import AppError, NotFound, UnprocessableContent, UnsupportedMediaType


class UnsupportedFile(UnsupportedMediaType):
    slug = "unsupported-file-type"
    title = "Unsupported file type"


class MacroEnabledDocument(UnsupportedMediaType):
    slug = "macro-enabled-document"
    title = "Macro-enabled document"


class UnreadableDocument(UnprocessableContent):
    slug = "unreadable-document"
    title = "The document could not be read"


class EncryptedDocument(UnreadableDocument):
    slug = "encrypted-document"
    title = "Encrypted document"


class MalformedDocument(UnreadableDocument):
    slug = "malformed-document"
    title = "Malformed document"


class UnsafeArchive(UnreadableDocument):
    slug = "unsafe-archive"
    title = "Unsafe archive"


class DocumentTooLarge(UnreadableDocument):
    slug = "document-too-large"
    title = "Document too large"


class ParseTimeout(UnreadableDocument):
    slug = "parse-timeout"
    title = "Parsing stopped"


class NoTextFound(UnprocessableContent):
    slug = "no-text-found"
    title = "No text found"


class ProfileNotFound(NotFound):
    slug = "profile-not-found"
    title = "Profile not found"


class UnknownProfile(UnprocessableContent):
    slug = "unknown-profile"
    title = "Unknown profile"


_BY_CODE: dict[str, type[AppError]] = {
    cls.slug: cls
    for cls in (
        UnsupportedFile,
        MacroEnabledDocument,
        EncryptedDocument,
        MalformedDocument,
        UnsafeArchive,
        DocumentTooLarge,
        ParseTimeout,
    )
}


def problem_for(exc: AtsError) -> AppError:
    """The problem document for an engine error; an unknown code keeps the engine's status class."""
    cls = _BY_CODE.get(exc.code)
    if cls is None:
        cls = UnsupportedFile if exc.status == 415 else UnreadableDocument
    return cls(exc.detail)


@contextmanager
def ats_problems() -> Iterator[None]:
    try:
        yield
    except AtsError as exc:
        raise problem_for(exc) from exc


class UnreadableJob(UnprocessableContent):
    slug = "unreadable-job"
    title = "Unreadable job posting"
