"""Han characters take the forms of the resume's language: the PDF names the face that drew them."""

from __future__ import annotations

import io
from typing import Any

import pdfplumber
import pytest

from shortlist.rendering import Design, OutputFormat, render

# 直 and 骨 are drawn differently in Japanese, Chinese and Korean; 한 is Hangul, only in the Korean face.
RESUME: dict[str, Any] = {
    "basics": {"name": "山田 直子", "summary": "骨格 直線 設計"},
    "work": [{"name": "株式会社テスト", "position": "エンジニア", "startDate": "2020-04"}],
}


def faces_of_han(pdf: bytes) -> set[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        names = {
            char["fontname"].split("+", 1)[-1]
            for page in document.pages
            for char in page.chars
            if char["text"] in "直骨"
        }
    assert names, "no Han character in the PDF text"
    return {name.split("-", 1)[0] for name in names}


@pytest.mark.parametrize(
    ("language", "face"),
    [
        ("ja", "NotoSansJP"),
        ("zh", "NotoSansSC"),
        ("ko", "NotoSansKR"),
        ("en", "NotoSansCJKtc"),  # no CJK language: the default face
    ],
)
def test_han_is_drawn_by_the_face_of_the_language(language: str, face: str) -> None:
    for font in ("lato", "noto-sans-cjk"):  # a Latin family with CJK fallback, and the CJK family itself
        pdf = render(RESUME, Design(template="classic", language=language, font=font), OutputFormat.PDF)
        assert faces_of_han(pdf.content) == {face}, (language, font)


def test_korean_headings_and_dates() -> None:
    text = render(RESUME, Design(language="ko"), OutputFormat.TEXT).content.decode()
    assert "경력" in text and "2020년 4월" in text and "현재" in text
