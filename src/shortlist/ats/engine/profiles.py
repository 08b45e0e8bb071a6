"""Role profiles (data in profiles.json): what hiring managers look for, scored with evidence."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from shortlist.ats.engine.bullets import review_bullet
from shortlist.ats.engine.evidence import build_index
from shortlist.ats.engine.results import AreaResult, Evidence, ProfileResult, SkillHit, TextLine


class UnknownProfileError(KeyError):
    """No built-in profile of that id."""


@lru_cache(maxsize=1)
def load_profiles() -> dict[str, dict[str, Any]]:
    blob = resources.files("shortlist.ats.engine").joinpath("profiles.json").read_text(encoding="utf-8")
    data: dict[str, dict[str, Any]] = json.loads(blob)
    return data


def profile_ids() -> list[str]:
    return sorted(load_profiles())


def score_profile(
    resume: dict[str, Any], profile_id: str, lines: list[TextLine] | None = None
) -> ProfileResult:
    profiles = load_profiles()
    if profile_id not in profiles:
        raise UnknownProfileError(f"Unknown profile {profile_id!r}; known: {', '.join(sorted(profiles))}")
    profile = profiles[profile_id]
    index = build_index(resume, lines)
    areas: list[AreaResult] = []
    total_weight = 0.0
    earned = 0.0
    for area in profile["areas"]:
        need = max(int(area.get("need", 1)), 1)
        weight = float(area.get("weight", 1))
        found: list[SkillHit] = []
        missing: list[str] = []
        for skill in area.get("skills", []):
            if index.has(skill):
                found.append(
                    SkillHit(skill=skill, category=index.categories.get(skill), evidence=index.where(skill))
                )
            else:
                missing.append(skill)
        if "pattern" in area:
            rx = re.compile(area["pattern"], re.IGNORECASE)
            hits: list[Evidence] = []
            for section, text in index.bullets:
                if rx.search(text) and (not area.get("requires_impact") or review_bullet(text).has_impact):
                    hits.append(Evidence(text=text[:160], section=section))
            if hits:
                found.append(SkillHit(skill=area["name"], evidence=hits[:5]))
            else:
                missing.append(area["name"])
            count = len(hits)
        else:
            count = len(found)
        coverage = min(1.0, count / need)
        total_weight += weight
        earned += weight * coverage
        areas.append(
            AreaResult(
                id=area["id"],
                name=area["name"],
                weight=weight,
                evidenced=coverage >= 1.0,
                coverage=round(coverage, 3),
                found=found,
                missing=missing,
                advice=area.get("advice", ""),
            )
        )
    score = round(100 * earned / total_weight) if total_weight else 0
    return ProfileResult(
        profile=profile_id,
        name=profile["name"],
        score=score,
        areas=areas,
        evidenced=[a.name for a in areas if a.evidenced],
        lacking=[a.name for a in areas if not a.evidenced],
    )
