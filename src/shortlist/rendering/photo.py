"""The optional photo: decoded from the resume's own ``basics.image`` (a ``data:`` URL), never fetched.

The image is checked and re-encoded with Pillow (a bounded size, no metadata, a format Typst reads), then
wrapped in a small SVG, because Typst takes images as bytes and the template receives only JSON text.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from xml.sax.saxutils import quoteattr

from PIL import Image, UnidentifiedImageError

from shortlist.rendering.exceptions import UnsupportedOption

MAX_PHOTO_BYTES = 2 * 1024 * 1024  # the decoded upload
MAX_PHOTO_PIXELS = 6000 * 6000  # refused before decoding: a small file can claim a huge canvas
PRINT_SIDE_PX = 360  # 2.4 cm at ~380 dpi: sharp in print, small in the PDF

_DATA_URL = re.compile(r"^data:image/(png|jpeg|jpg|webp);base64,([A-Za-z0-9+/=\s]+)$", re.IGNORECASE)


class InvalidPhoto(UnsupportedOption):
    """The design asks for the photo and the resume's image cannot be printed (answered as a 422)."""


def _decode(value: str) -> bytes:
    if value.lower().startswith(("http://", "https://")):
        raise InvalidPhoto(
            "basics.image is a web address; photos are never fetched while rendering. "
            "Give the image as a data: URL (PNG, JPEG or WebP, base64)."
        )
    match = _DATA_URL.match(value.strip())
    if match is None:
        raise InvalidPhoto("basics.image must be a data: URL of a PNG, JPEG or WebP image, base64-encoded.")
    if len(match.group(2)) > MAX_PHOTO_BYTES * 4 // 3 + 8:
        raise InvalidPhoto(f"The photo is larger than {MAX_PHOTO_BYTES:,} bytes.")
    try:
        return base64.b64decode("".join(match.group(2).split()), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidPhoto("basics.image is not valid base64.") from None


def photo_svg(value: str) -> str:
    """An SVG document holding the photo as a square PNG/JPEG, ready for Typst's ``image``."""
    raw = _decode(value)
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            width, height = probe.size
            if width * height > MAX_PHOTO_PIXELS:
                raise InvalidPhoto(f"The photo is {width}×{height} pixels; the most is 36 megapixels.")
            probe.load()
            image = probe.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise InvalidPhoto("basics.image could not be read as an image.") from None
    # Centre crop to a square, then scale down: every template prints the photo square.
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side))
    if side > PRINT_SIDE_PX:
        image = image.resize((PRINT_SIDE_PX, PRINT_SIDE_PX), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88, optimize=True)
    href = "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")
    n = image.width
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{n}" height="{n}" viewBox="0 0 {n} {n}">'
        f"<image width={quoteattr(str(n))} height={quoteattr(str(n))} xlink:href={quoteattr(href)}/></svg>"
    )


def photo_data_url(svg: str) -> str:
    """The photo's JPEG as a data: URL again (for HTML and DOCX), taken from the SVG built above."""
    match = re.search(r'href="(data:image/jpeg;base64,[^"]+)"', svg)
    return match.group(1) if match else ""
