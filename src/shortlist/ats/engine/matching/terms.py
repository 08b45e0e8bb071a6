"""BM25-style weighting of a job's words that are not skills ("payments", "compliance", "kitchen").

The job side gives each word a weight from how often the posting uses it (``1 + ln tf``) and how specific
it is (stop words and generic posting vocabulary weigh little). The resume side saturates its count the
BM25 way, so a word repeated ten times earns little more than once, and a long resume does not win by
length. The part's score is the weighted share of the job's words the resume covers: it is normalised by
what the job asks, never by the posting's length.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from shortlist.ats.engine.evidence import _OTHER_STOPWORDS, STOPWORDS
from shortlist.ats.engine.lang import FUNCTION_WORDS

K1 = 1.2
B = 0.5
AVERAGE_RESUME_WORDS = 450.0  # typical 1–2 page resume; only the ratio matters
MAX_TERMS = 40

_WORD = re.compile(r"[a-zà-ÿ][a-zà-ÿ0-9+#]{2,}")
# Words every posting uses: they say nothing about fit.
GENERIC = frozenset(
    str.split(
        """
    ability able ambitious apply attitude based benefit benefits candidate career collaborate collaborative
    colleague colleagues communication competitive culture daily deliver delivering detail develop developing
    driven dynamic eager employee employees environment equal excellent exciting fast flexible friendly
    grow growing growth high highly ideal ideally impact including interest interested join key learn
    learning looking love make motivated offer offering opportunities opportunity own ownership passion
    passionate people person play position positive proactive problem problems progress provide quality
    salary self solving solve space start strong success successful support supportive take talented
    thrive together understanding values want way ways who working world years year excellent closely end
    global help hire hiring range relevant requirement required preferred responsibilities skill skills
    """
    )
)
GENERIC_WEIGHT = 0.25


def stem(word: str) -> str:
    """A light English stemmer: enough that "deploying", "deployed", "deploys" and "deploy" meet."""
    if len(word) > 5 and word.endswith("ings"):
        word = word[:-4]
    elif len(word) > 5 and word.endswith(("ing", "ies")):
        word = word[:-3] + ("y" if word.endswith("ies") else "")
    elif len(word) > 4 and word.endswith(("ed", "sses", "xes", "ches", "shes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


_GENERIC_STEMS = frozenset(stem(w) for w in GENERIC)


def _words(text: str) -> list[str]:
    out = []
    for word in _WORD.findall(text.lower()):
        if word in STOPWORDS or word in _OTHER_STOPWORDS or word in FUNCTION_WORDS:
            continue
        out.append(word)
    return out


def job_terms(text: str, exclude: set[str] | frozenset[str] = frozenset()) -> dict[str, float]:
    """Stemmed word -> weight for the job's words that are not skills or seniority words."""
    counts = Counter(stem(w) for w in _words(text) if w not in exclude)
    weights = {
        term: (1.0 + math.log(tf)) * (GENERIC_WEIGHT if term in _GENERIC_STEMS else 1.0)
        for term, tf in counts.items()
    }
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TERMS]
    return dict(top)


def resume_terms(text: str) -> tuple[Counter[str], int]:
    """Stemmed word counts of a resume and its length in words."""
    words = _words(text)
    return Counter(stem(w) for w in words), len(words)


def term_coverage(terms: dict[str, float], counts: Counter[str], length: int) -> tuple[float, list[str]]:
    """Weighted, saturated share of the job's terms found in the resume, and the covered terms."""
    total = sum(terms.values())
    if total <= 0:
        return 1.0, []
    norm = K1 * (1.0 - B + B * max(length, 1) / AVERAGE_RESUME_WORDS)
    earned = 0.0
    covered = []
    for term, weight in terms.items():
        tf = counts.get(term, 0)
        if tf:
            earned += weight * min(1.0, tf * (K1 + 1.0) / (tf + norm))
            covered.append(term)
    return earned / total, covered
