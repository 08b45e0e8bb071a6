"""Response helpers: file names that cannot break a header, and the robots meta tag."""

from __future__ import annotations

from shortlist.design.http import NOINDEX_META, content_disposition, with_noindex


def test_disposition_has_an_ascii_name_and_the_exact_utf8_name() -> None:
    value = content_disposition('Zoë "CV"\r\nX-Evil: 1 🚀', "pdf", download=True)
    assert value.startswith("attachment; filename=\"Zoe-CV-X-Evil-1.pdf\"; filename*=UTF-8''")
    assert "\r" not in value and "\n" not in value and value.count('"') == 2
    assert value.endswith("Zo%C3%AB%20%22CV%22%0D%0AX-Evil%3A%201%20%F0%9F%9A%80.pdf")
    assert content_disposition("", "png", download=False, page=2).startswith(
        'inline; filename="resume-page-2.png"'
    )
    assert 'filename="resume.txt"' in content_disposition("日本語", "txt", download=False)


def test_noindex_goes_inside_head() -> None:
    page = b"<!doctype html>\n<html>\n<head>\n<title>x</title></head><body></body></html>"
    marked = with_noindex(page)
    assert marked.index(NOINDEX_META.encode()) > marked.index(b"<head>")
    assert marked.index(NOINDEX_META.encode()) < marked.index(b"</head>")
    assert with_noindex(b"<p>no head</p>").startswith(NOINDEX_META.encode())
