"""Load the packaged skills data and find skills in text with a token trie (leftmost-longest, linear time).

Text and names are cut into normalised tokens ("Node.js" -> "node.js", "C++" -> "c++"); the trie is walked
from each token at most ``max_depth`` steps, so matching costs O(tokens x max_depth) = O(text length).
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from shortlist.ats.engine.skills.aliases import TECH
from shortlist.ats.engine.text import strip_accents

_TOKEN = re.compile(r"\.?[^\W_](?:[\w+#./&-]*[\w+#])?", re.UNICODE)


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(lower-cased token, start, end) per token; inner punctuation kept (c++, node.js, ci/cd)."""
    folded = strip_accents(text)
    if len(folded) != len(text):
        folded = text  # decomposition changed offsets: keep the original characters
    out: list[tuple[str, int, int]] = []
    for m in _TOKEN.finditer(folded):
        token = m.group(0)
        start, end = m.start(), m.end()
        # A slash joins words ("ci/cd") but also lists them ("Go/Python"): split unless known.
        if "/" in token and token.lower() not in _SLASH_WORDS:
            pos = start
            for piece in token.split("/"):
                if piece:
                    out.append((piece.lower(), pos, pos + len(piece)))
                pos += len(piece) + 1
            continue
        out.append((token.lower(), start, end))
    return out


_BREAK = re.compile(r"[,;:()\[\]|•·\n]")
_PLAIN = re.compile(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)*")
_SLASH_WORDS = {"ci/cd", "a/b", "tcp/ip", "pl/sql", "async/await", "i/o", "ui/ux", "ux/ui", "gitlab ci/cd"}


@dataclass(frozen=True)
class Skill:
    id: int
    name: str
    category: str
    subcategory: str = ""


@dataclass(frozen=True)
class SkillMatch:
    skill: Skill
    start: int
    end: int
    text: str


@dataclass
class _Node:
    children: dict[str, _Node]
    terminal: tuple[int, str | None] | None = None  # (skill id, exact casing required or None)


class Taxonomy:
    """An immutable skills index. Build once (``get_taxonomy()``) and share."""

    def __init__(self) -> None:
        self.skills: list[Skill] = []
        self._by_name: dict[str, int] = {}
        self._root = _Node({})
        self.max_depth = 1
        self.alias_count = 0

    def add(
        self,
        name: str,
        category: str,
        subcategory: str = "",
        aliases: tuple[str, ...] = (),
        exact: bool = False,
        override: bool = False,
    ) -> None:
        key = name.lower()
        if key in self._by_name and not override:
            skill_id = self._by_name[key]
        else:
            skill_id = self._by_name.get(key, len(self.skills))
            skill = Skill(skill_id, name, category, subcategory)
            if skill_id == len(self.skills):
                self.skills.append(skill)
            else:
                self.skills[skill_id] = skill
            self._by_name[key] = skill_id
        for form in (name + ("!" if exact else ""), *aliases):
            self._insert(form, skill_id, override)

    def _insert(self, form: str, skill_id: int, override: bool) -> None:
        exact = form.endswith("!")
        surface = form.rstrip("!")
        if _PLAIN.fullmatch(surface):  # most names: words and spaces, tokenized as split() would
            tokens = surface.lower().split()
        else:
            tokens = [t for t, _, _ in tokenize(surface)]
        if not tokens:
            return
        node = self._root
        for token in tokens:
            node = node.children.setdefault(token, _Node({}))
        if node.terminal is None or override:
            node.terminal = (skill_id, surface if exact else None)
            self.alias_count += 1
        self.max_depth = max(self.max_depth, len(tokens))

    def lookup(self, name: str) -> Skill | None:
        """The skill a name or alias stands for ("postgres" -> PostgreSQL)."""
        hits = self.find(name)
        if len(hits) == 1 and hits[0].start == 0 and hits[0].end >= len(name.strip()) - 1:
            return hits[0].skill
        idx = self._by_name.get(name.strip().lower())
        return self.skills[idx] if idx is not None else None

    def find(self, text: str) -> list[SkillMatch]:
        """Leftmost-longest, non-overlapping skill mentions in ``text``."""
        tokens = tokenize(text)
        out: list[SkillMatch] = []
        i = 0
        n = len(tokens)
        while i < n:
            node = self._root
            best: tuple[int, int] | None = None  # (skill id, last token index)
            j = i
            while j < n and j - i < self.max_depth:
                if j > i and _BREAK.search(text, tokens[j - 1][2], tokens[j][1]):
                    break  # "Android, Jetpack Compose": a list's comma ends a mention
                child = node.children.get(tokens[j][0])
                if child is None:
                    break
                node = child
                if node.terminal is not None:
                    skill_id, exact = node.terminal
                    if exact is None or text[tokens[i][1] : tokens[j][2]] == exact:
                        best = (skill_id, j)
                j += 1
            if best is None:
                i += 1
                continue
            skill_id, last = best
            start, end = tokens[i][1], tokens[last][2]
            out.append(SkillMatch(self.skills[skill_id], start, end, text[start:end]))
            i = last + 1
        return out

    def __len__(self) -> int:
        return len(self.skills)


@lru_cache(maxsize=1)
def get_taxonomy() -> Taxonomy:
    """The packaged taxonomy (open data, then hand-written technology aliases on top)."""
    taxonomy = Taxonomy()
    blob = resources.files("shortlist.ats.engine.skills").joinpath("skills.json.gz").read_bytes()
    payload = json.loads(gzip.decompress(blob))
    for name, category, sub, aliases, exact in payload["skills"]:
        taxonomy.add(name, category, sub, tuple(aliases), exact=bool(exact))
    for name, category, aliases in TECH:
        exact = name.endswith("!")
        taxonomy.add(name.rstrip("!"), category, "", aliases, exact=exact, override=True)
    return taxonomy
