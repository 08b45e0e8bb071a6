"""Identify uploads by content and refuse unsafe ones before any parser touches them."""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass

from shortlist.ats.engine.errors import (
    DocumentTooLargeError,
    EncryptedDocumentError,
    MacroEnabledDocumentError,
    MalformedDocumentError,
    UnsafeArchiveError,
    UnsupportedFileTypeError,
)
from shortlist.ats.engine.results import FileType

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc or an encrypted OOXML container
_MAIN_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MACRO_TYPES = (
    "application/vnd.ms-word.document.macroenabled",
    "application/vnd.ms-word.template.macroenabled",
)


@dataclass(frozen=True)
class Limits:
    """Bounds applied to untrusted input; the defaults suit resumes."""

    max_bytes: int = 10 * 1024 * 1024
    max_pages: int = 20
    zip_max_entries: int = 500
    zip_max_total: int = 50 * 1024 * 1024
    zip_max_ratio: float = 100.0
    zip_max_entry: int = 20 * 1024 * 1024


DEFAULT_LIMITS = Limits()


def sniff(data: bytes, limits: Limits = DEFAULT_LIMITS) -> FileType:
    """Return the file type from its bytes alone; raise for anything we will not parse."""
    if len(data) > limits.max_bytes:
        raise DocumentTooLargeError(f"File is {len(data)} bytes; the limit is {limits.max_bytes}.")
    if not data.strip(b" \t\r\n\x00"):
        raise MalformedDocumentError("The file is empty.")
    head = data[:1024]
    # PDF readers accept the header anywhere in the first kilobyte.
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        inspect_docx(data, limits)
        return "docx"
    if data.startswith(_OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            raise EncryptedDocumentError(
                "The Word document is password-protected; save it without a password."
            )
        raise UnsupportedFileTypeError("Legacy .doc files are not supported; save the resume as DOCX or PDF.")
    if _looks_like_text(data):
        return "txt"
    raise UnsupportedFileTypeError("Unrecognised file type; upload a PDF, DOCX or plain text file.")


def _looks_like_text(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return False
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the sample's end is still text.
        if exc.start < len(sample) - 4:
            return False
        text = sample[: exc.start].decode("utf-8")
    if not text.strip():
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    return controls / max(len(text), 1) < 0.01


def _declared_entries(data: bytes) -> int | None:
    """The entry count the archive's end record declares (zip64 included), read without parsing the
    directory: zipfile takes seconds to list 50,000 entries. None when there is no readable end record."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    (count,) = struct.unpack_from("<H", data, end + 10)
    locator = end - 20
    if count == 0xFFFF and locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        (zip64_end,) = struct.unpack_from("<Q", data, locator + 8)
        if zip64_end + 56 <= len(data) and data[zip64_end : zip64_end + 4] == b"PK\x06\x06":
            (count,) = struct.unpack_from("<Q", data, zip64_end + 32)
    return int(count)


def inspect_docx(data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Check the zip's directory (never its contents' sizes as declared by the attacker alone)."""
    declared = _declared_entries(data)
    if declared is not None and declared > limits.zip_max_entries:
        raise UnsafeArchiveError(f"The archive has {declared} entries; at most {limits.zip_max_entries}.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise MalformedDocumentError("The file looks like a zip archive but cannot be opened.") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.zip_max_entries:
            raise UnsafeArchiveError(
                f"The archive has {len(infos)} entries; at most {limits.zip_max_entries}."
            )
        total = 0
        names = set()
        for info in infos:
            if info.flag_bits & 0x1:
                raise EncryptedDocumentError("The archive contains encrypted entries.")
            total += info.file_size
            names.add(info.filename)
            if info.file_size > limits.zip_max_entry:
                raise UnsafeArchiveError(f"Entry {info.filename!r} expands to {info.file_size} bytes.")
            if info.compress_size and info.file_size / info.compress_size > limits.zip_max_ratio:
                raise UnsafeArchiveError(f"Entry {info.filename!r} has a suspicious compression ratio.")
        if total > limits.zip_max_total:
            raise UnsafeArchiveError(
                f"The archive expands to {total} bytes; the limit is {limits.zip_max_total}."
            )
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise UnsupportedFileTypeError("The zip archive is not a Word (DOCX) document.")
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise MacroEnabledDocumentError("Macro-enabled Word documents are refused; save as a plain DOCX.")
        try:
            content_types = archive.read("[Content_Types].xml")[:200_000].decode("utf-8", "replace").lower()
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
            raise MalformedDocumentError("The DOCX content types cannot be read.") from exc
        if any(t in content_types for t in _MACRO_TYPES):
            raise MacroEnabledDocumentError(
                "Macro-enabled Word documents (.docm) are refused; save as a plain DOCX."
            )
        if _MAIN_DOCX not in content_types:
            raise UnsupportedFileTypeError("The archive is an Office file but not a Word document.")
        try:
            bad = archive.testzip()
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
            raise MalformedDocumentError("The DOCX archive is corrupt.") from exc
        if bad is not None:
            raise MalformedDocumentError(f"The DOCX archive is corrupt at {bad!r}.")
