"""Hostile uploads made on the spot: decompression bombs, entity bombs, huge page trees, encrypted and
garbage files. Shared by the upload tests and bench/bad_uploads.py; each is built in memory in about a
second, and none is written to the repository."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from tests.ats.builders import make_pdf

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'wordprocessingml.document.main+xml"/></Types>'
)
_PACKAGE_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="word/document.xml"/></Relationships>'
)
_W = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MIB = 1024 * 1024


def _docx(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _document_xml(text: str) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="' + _W + b'"><w:body>'
        b"<w:p><w:r><w:t>" + text.encode() + b"</w:t></w:r></w:p></w:body></w:document>"
    )


def _zeros_deflated(size: int, *, with_crc: bool = True) -> tuple[bytes, int]:
    """A raw deflate stream of ``size`` zero bytes and their CRC-32 (0 without ``with_crc``), without deflating
    them all: after a full flush every 1 MiB block of zeros compresses to the same bytes, so one is repeated."""
    assert size % MIB == 0
    block = bytes(MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert repeated == again, "zlib's output for a repeated block after a full flush changed"
    tail = compressor.flush(zlib.Z_FINISH)
    blocks = size // MIB
    stream = first + repeated * (blocks - 1) + tail
    crc = 0
    for _ in range(blocks if with_crc else 0):
        crc = zlib.crc32(block, crc)
    return stream, crc


def _stored_zip_entry(name: str, raw_deflate: bytes, crc: int, size: int) -> tuple[bytes, bytes]:
    """(local header + data, central directory record) of one deflated entry, written by hand so that a
    multi-gigabyte entry need not pass through zlib."""
    encoded = name.encode()
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(raw_deflate), size, len(encoded), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(raw_deflate), size, len(encoded), 0, 0, 0, 0, 0, 0,
    )  # fmt: skip
    return local + encoded + raw_deflate, central + encoded


def docx_zip_bomb(gigabytes: float = 2.0) -> bytes:
    """A well-formed DOCX whose `word/document.xml` inflates to ``gigabytes`` GiB of zeros (declared
    honestly in the zip directory, as a real bomb made by `zip` would be)."""
    size = int(gigabytes * 1024) * MIB
    bomb, crc = _zeros_deflated(size)
    entries: list[tuple[str, bytes, int, int]] = []
    for name, data in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _PACKAGE_RELS)):
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        entries.append((name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)))
    entries.append(("word/document.xml", bomb, crc, size))
    out, directory = bytearray(), bytearray()
    for name, raw, entry_crc, entry_size in entries:
        local, central = _stored_zip_entry(name, raw, entry_crc, entry_size)
        central = central[:42] + struct.pack("<I", len(out)) + central[46:]  # this entry's offset
        out += local
        directory += central
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), len(out), 0)
    return bytes(out + directory + end)


def docx_many_entries(count: int = 100_000, *, declared: int | None = None) -> bytes:
    """A DOCX with ``count`` tiny extra parts: the directory alone is megabytes. Written by hand (zipfile
    takes many seconds for 100,000 entries). ``declared`` makes the end record lie about the count (zipfile
    reads the whole directory regardless)."""
    parts = (
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _PACKAGE_RELS),
        ("word/document.xml", _document_xml("Ada Lovelace")),
    )
    out, directory = bytearray(), bytearray()
    entries = 0
    for name, data in parts:
        compressed = zlib.compressobj(9, zlib.DEFLATED, -15)
        raw = compressed.compress(data) + compressed.flush()
        local, central = _stored_zip_entry(name, raw, zlib.crc32(data), len(data))
        directory += central[:42] + struct.pack("<I", len(out)) + central[46:]
        out += local
        entries += 1
    for index in range(count):
        local, central = _stored_zip_entry(f"x/{index:x}", b"", 0, 0)
        # An empty entry is stored (method 0), not deflated.
        local = local[:8] + b"\x00\x00" + local[10:]
        central = central[:10] + b"\x00\x00" + central[12:]
        directory += central[:42] + struct.pack("<I", len(out)) + central[46:]
        out += local
        entries += 1
    tail = b""
    entries = entries if declared is None else declared
    if entries > 0xFFFF:  # the count needs the zip64 end records; the classic one then says 0xFFFF
        zip64_at = len(out) + len(directory)
        tail = struct.pack(
            "<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, entries, entries, len(directory), len(out)
        ) + struct.pack("<IIQI", 0x07064B50, 0, zip64_at, 1)
    shown = min(entries, 0xFFFF)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, shown, shown, len(directory), len(out), 0)
    return bytes(out + directory + tail + end)


def docx_billion_laughs(levels: int = 10) -> bytes:
    """The XML entity bomb inside `word/document.xml`: ten levels of ten references, 10^9 `lol`s if an
    XML parser expanded them."""
    entities = [b'<!ENTITY lol0 "lol">']
    for level in range(1, levels):
        refs = b"".join(b"&lol%d;" % (level - 1) for _ in range(10))
        entities.append(b'<!ENTITY lol%d "%s">' % (level, refs))
    doctype = b"<!DOCTYPE w:document [" + b"".join(entities) + b"]>"
    body = (
        b'<w:document xmlns:w="' + _W + b'"><w:body><w:p><w:r><w:t>Ada Lovelace &lol%d;</w:t></w:r></w:p>'
        b"</w:body></w:document>" % (levels - 1)
    )
    return _docx({"word/document.xml": b'<?xml version="1.0" encoding="UTF-8"?>' + doctype + body})


def pdf_many_pages(pages: int = 10_000) -> bytes:
    """A valid PDF with ``pages`` pages, each with a line of text, sharing one font and one content stream
    per page."""
    first_page = 4
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * index) for index in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for index in range(pages):
        content = b"BT /F1 11 Tf 72 720 Td (Page %d of the resume) Tj ET" % (index + 1)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (first_page + 2 * index + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    return make_pdf(objects)


def pdf_deflate_bomb(gigabytes: float = 1.0) -> bytes:
    """A one-page PDF whose content stream is a FlateDecode bomb: ``gigabytes`` GiB of zero bytes once
    inflated (zlib-wrapped, as PDF wants)."""
    size = int(gigabytes * 1024) * MIB
    raw, _ = _zeros_deflated(size, with_crc=False)
    adler = ((size % 65521) << 16) | 1  # adler-32 of n zeros: a = 1, b = n mod 65521
    stream = b"\x78\xda" + raw + struct.pack(">I", adler)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    return make_pdf(objects)


def pdf_encrypted() -> bytes:
    """A PDF under the standard security handler with a user password we do not know: the `/U` entry
    matches no password, so a reader cannot open it."""
    rng = random.Random(13)
    owner, user = bytes(rng.getrandbits(8) for _ in range(32)), bytes(rng.getrandbits(8) for _ in range(32))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length 16 >>\nstream\n" + bytes(rng.getrandbits(8) for _ in range(16)) + b"\nendstream",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >>"
        % (owner.hex().encode(), user.hex().encode()),
    ]
    file_id = bytes(rng.getrandbits(8) for _ in range(16)).hex().encode()
    return make_pdf(objects, trailer_extra=b"/Encrypt 5 0 R /ID [<%s> <%s>] " % (file_id, file_id))


def pdf_random_bytes(size: int = 256 * 1024) -> bytes:
    """A PDF header followed by noise."""
    rng = random.Random(1013)
    return b"%PDF-1.7\n" + bytes(rng.getrandbits(8) for _ in range(size))


def empty_file() -> bytes:
    return b""


@dataclass(frozen=True)
class Hostile:
    name: str
    filename: str
    build: Callable[[], bytes]


# What the bench sends, at full size.
FULL_SIZE: tuple[Hostile, ...] = (
    Hostile("docx-zip-bomb-2GiB", "bomb.docx", lambda: docx_zip_bomb(2.0)),
    Hostile("docx-100000-entries", "entries.docx", lambda: docx_many_entries(100_000)),
    Hostile("docx-50000-entries-3-declared", "liar.docx", lambda: docx_many_entries(50_000, declared=3)),
    Hostile("docx-billion-laughs", "laughs.docx", docx_billion_laughs),
    Hostile("pdf-10000-pages", "pages.pdf", lambda: pdf_many_pages(10_000)),
    Hostile("pdf-deflate-bomb-1GiB", "bomb.pdf", lambda: pdf_deflate_bomb(1.0)),
    Hostile("pdf-encrypted", "locked.pdf", pdf_encrypted),
    Hostile("pdf-random-bytes", "noise.pdf", pdf_random_bytes),
    Hostile("empty-file", "empty.pdf", empty_file),
)
