"""Errors raised by the ATS engine.

Each carries an HTTP-like ``status`` and a human ``detail`` so the service can turn it into a
problem+json response without knowing the engine's internals.
"""

from __future__ import annotations


class AtsError(Exception):
    """Base class: every error the engine raises on bad input."""

    status: int = 422
    code: str = "ats-error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class UnsupportedFileTypeError(AtsError):
    """The bytes are not a PDF, DOCX or plain text file."""

    status = 415
    code = "unsupported-file-type"


class MacroEnabledDocumentError(AtsError):
    """A Word file that carries macros (vbaProject.bin or a docm content type)."""

    status = 415
    code = "macro-enabled-document"


class EncryptedDocumentError(AtsError):
    """A password-protected PDF or an encrypted (OLE-wrapped) Office file."""

    status = 422
    code = "encrypted-document"


class MalformedDocumentError(AtsError):
    """The file claims a type but its structure is broken."""

    status = 422
    code = "malformed-document"


class UnsafeArchiveError(AtsError):
    """A DOCX zip that is too large, has too many entries or compresses suspiciously well."""

    status = 422
    code = "unsafe-archive"


class DocumentTooLargeError(AtsError):
    """Too many bytes or pages for the configured limits."""

    status = 422
    code = "document-too-large"


class ParseTimeoutError(AtsError):
    """The sandboxed parser ran out of time or memory."""

    status = 422
    code = "parse-timeout"
