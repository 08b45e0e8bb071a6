from __future__ import annotations

from shortlist.auth.exceptions import InvalidGrant
from shortlist.kit.problems import Forbidden


class CrossOriginRefused(Forbidden):
    slug = "cross-origin-refused"
    title = "Cross-origin request refused"


class NoBrowserSession(InvalidGrant):
    def __init__(self) -> None:
        super().__init__("No browser session: sign in.")
