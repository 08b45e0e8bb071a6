from __future__ import annotations

import io
import zipfile

import docx
import pytest

from shortlist.ats.engine import (
    DocumentTooLargeError,
    EncryptedDocumentError,
    Limits,
    MacroEnabledDocumentError,
    MalformedDocumentError,
    UnsafeArchiveError,
    UnsupportedFileTypeError,
    parse_bytes,
    sniff,
)

from .builders import make_pdf


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Jane Doe")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _rezip(data: bytes, extra: dict[str, bytes], replace: dict[str, bytes] | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = (replace or {}).get(info.filename, src.read(info.filename))
            dst.writestr(info.filename, body)
        for name, body in extra.items():
            dst.writestr(name, body)
    return out.getvalue()


def test_identified_by_content_not_name() -> None:
    assert sniff(b"%PDF-1.4\n...") == "pdf"
    assert sniff(b"junk before\n%PDF-1.7\n") == "pdf"
    assert sniff(_docx_bytes()) == "docx"
    assert sniff("Jane Doe\nExperience\nMärz 2021".encode()) == "txt"


@pytest.mark.parametrize("data", [b"\x00\x01\x02\x03binary", b"\x89PNG\r\n\x1a\n\x00\x00", b"GIF89a\x01\x00"])
def test_unknown_content_is_415(data: bytes) -> None:
    with pytest.raises(UnsupportedFileTypeError) as err:
        sniff(data)
    assert err.value.status == 415
    assert "PDF, DOCX" in err.value.detail


@pytest.mark.parametrize("data", [b"", b"   \n\t  "])
def test_empty_file_is_malformed(data: bytes) -> None:
    with pytest.raises(MalformedDocumentError) as err:
        sniff(data)
    assert err.value.status == 422


def test_macro_docx_is_refused() -> None:
    data = _rezip(_docx_bytes(), {"word/vbaProject.bin": b"\x00" * 64})
    with pytest.raises(MacroEnabledDocumentError) as err:
        sniff(data)
    assert err.value.status == 415


def test_docm_content_type_is_refused() -> None:
    base = _docx_bytes()
    types = zipfile.ZipFile(io.BytesIO(base)).read("[Content_Types].xml").decode()
    types = types.replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    with pytest.raises(MacroEnabledDocumentError):
        sniff(_rezip(base, {}, {"[Content_Types].xml": types.encode()}))


def test_zip_bomb_ratio_is_refused() -> None:
    data = _rezip(_docx_bytes(), {"word/media/bomb.bin": b"\x00" * 5_000_000})
    with pytest.raises(UnsafeArchiveError) as err:
        sniff(data)
    assert err.value.status == 422


def test_too_many_entries_is_refused() -> None:
    data = _rezip(_docx_bytes(), {f"customXml/extra{i}.xml": b"<a/>" for i in range(30)})
    with pytest.raises(UnsafeArchiveError):
        sniff(data, Limits(zip_max_entries=20))


def test_plain_zip_is_not_docx() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(UnsupportedFileTypeError):
        sniff(out.getvalue())


def test_broken_zip_is_malformed() -> None:
    with pytest.raises(MalformedDocumentError):
        sniff(b"PK\x03\x04" + b"\x00" * 100)


def test_encrypted_office_container_is_refused() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(EncryptedDocumentError):
        sniff(ole)


def test_encrypted_pdf_is_refused() -> None:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        b"<< /Filter /Standard /V 2 /R 3 /Length 128 /O <"
        + b"11" * 32
        + b"> /U <"
        + b"22" * 32
        + b"> /P -4 >>",
    ]
    pdf = make_pdf(objects, b"/Encrypt 4 0 R /ID [<" + b"ab" * 16 + b"><" + b"ab" * 16 + b">] ")
    with pytest.raises(EncryptedDocumentError) as err:
        parse_bytes(pdf)
    assert err.value.status == 422


def test_damaged_pdf_is_malformed() -> None:
    with pytest.raises(MalformedDocumentError):
        parse_bytes(b"%PDF-1.7\n1 0 obj << broken")


def test_size_and_page_limits() -> None:
    with pytest.raises(DocumentTooLargeError):
        sniff(b"%PDF-1.7" + b" " * 2000, Limits(max_bytes=1000))
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(3))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count 3 >>"]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * 3
    with pytest.raises(DocumentTooLargeError):
        parse_bytes(make_pdf(objects), Limits(max_pages=2))
