"""Span F1 of job-requirement tagging on a public gold set of job-description sentences.

    .venv/bin/python bench/skill_extraction_bench.py [--data DIR] [--show 5]

Data: the test set of Green, Maynard and Lin, "Development of a Benchmark Corpus to Support Entity
Recognition in Job Descriptions" (LREC 2022), licence CC BY 4.0 — 336 sentences from UK job adverts
tagged Skill, Qualification, Experience, Occupation and Domain in BIO form. It is read from DIR
(default: the shared data folder beside the checkout, or $SHORTLIST_SKILL_DATA); nothing is copied into
the project. The tagger (shortlist.ats.engine.matching.spans) was not tuned on it.

Two scores per tag: exact (the predicted span has the gold span's first and last token and tag) and
partial (a predicted span overlaps a gold span of the same tag by at least one token; one-to-one).
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from pathlib import Path

from shortlist.ats.engine.matching.spans import tag_spans

TAGS = ("Skill", "Qualification", "Experience", "Occupation", "Domain")
Span = tuple[int, int, str]  # first token, last token (inclusive), tag


def default_data() -> Path:
    env = os.environ.get("SHORTLIST_SKILL_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "shared" / "data" / "skill-extraction"
        if candidate.is_dir():
            return candidate
    return Path("../shared/data/skill-extraction")


def read_conll(path: Path) -> list[tuple[list[str], list[Span]]]:
    sentences: list[tuple[list[str], list[Span]]] = []
    tokens: list[str] = []
    tags: list[str] = []

    def close() -> None:
        if tokens:
            sentences.append((list(tokens), bio_spans(tags)))
        tokens.clear()
        tags.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        parts = raw.split()
        if not parts:
            close()
            continue
        tokens.append(parts[0])
        tags.append(parts[-1] if len(parts) > 1 else "O")
    close()
    return sentences


def bio_spans(tags: list[str]) -> list[Span]:
    spans: list[Span] = []
    i = 0
    while i < len(tags):
        if tags[i].startswith("B-") or (
            tags[i].startswith("I-") and (i == 0 or tags[i - 1][2:] != tags[i][2:])
        ):
            tag = tags[i][2:]
            j = i + 1
            while j < len(tags) and tags[j] == f"I-{tag}":
                j += 1
            spans.append((i, j - 1, tag))
            i = j
        else:
            i += 1
    return spans


def predict(tokens: list[str]) -> list[Span]:
    """Tag the sentence as text, then map character spans back to the tokens they cover."""
    text = " ".join(tokens)
    starts, pos = [], 0
    for token in tokens:
        starts.append(pos)
        pos += len(token) + 1
    out: list[Span] = []
    for span in tag_spans(text):
        covered = [i for i, s in enumerate(starts) if s < span.end and s + len(tokens[i]) > span.start]
        if covered:
            out.append((covered[0], covered[-1], span.tag))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument(
        "--show", type=int, default=0, help="print this many sentences with gold and predicted spans"
    )
    args = parser.parse_args()
    path = args.data / "testset.txt"
    if not path.is_file():
        raise SystemExit(f"{path} not found: pass --data DIR or set SHORTLIST_SKILL_DATA")
    sentences = read_conll(path)
    exact: Counter[tuple[str, str]] = Counter()
    partial: Counter[tuple[str, str]] = Counter()
    started = time.perf_counter()
    for n, (tokens, gold) in enumerate(sentences):
        pred = predict(tokens)
        for tag in TAGS:
            g = [s for s in gold if s[2] == tag]
            p = [s for s in pred if s[2] == tag]
            exact[(tag, "tp")] += len(set(g) & set(p))
            exact[(tag, "gold")] += len(g)
            exact[(tag, "pred")] += len(p)
            free = list(g)
            for s in p:
                hit = next((x for x in free if x[0] <= s[1] and s[0] <= x[1]), None)
                if hit is not None:
                    free.remove(hit)
                    partial[(tag, "tp")] += 1
            partial[(tag, "gold")] += len(g)
            partial[(tag, "pred")] += len(p)
        if n < args.show:
            print(" ".join(tokens))
            print("  gold:", [(" ".join(tokens[a : b + 1]), t) for a, b, t in gold])
            print("  ours:", [(" ".join(tokens[a : b + 1]), t) for a, b, t in pred])
    elapsed = time.perf_counter() - started
    print(f"{len(sentences)} sentences from {path} (Green, Maynard and Lin, LREC 2022; CC BY 4.0)")
    print(
        f"{'tag':<14} {'gold':>5} {'pred':>5}   {'exact P':>7} {'R':>6} {'F1':>6}   {'partial P':>9} {'R':>6} {'F1':>6}"
    )

    def prf(c: Counter[tuple[str, str]], tags: tuple[str, ...]) -> tuple[float, float, float]:
        tp = sum(c[(t, "tp")] for t in tags)
        pred = sum(c[(t, "pred")] for t in tags)
        gold = sum(c[(t, "gold")] for t in tags)
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    for label, tags in [*((t, (t,)) for t in TAGS), ("all (micro)", TAGS)]:
        ep, er, ef = prf(exact, tags)
        pp, pr, pf = prf(partial, tags)
        n_gold = sum(exact[(t, "gold")] for t in tags)
        n_pred = sum(exact[(t, "pred")] for t in tags)
        print(
            f"{label:<14} {n_gold:>5} {n_pred:>5}   {ep:>7.3f} {er:>6.3f} {ef:>6.3f}   {pp:>9.3f} {pr:>6.3f} {pf:>6.3f}"
        )
    print(f"({elapsed * 1000 / len(sentences):.2f} ms a sentence)")


if __name__ == "__main__":
    main()
