"""Skills taxonomy: open data plus hand-written technology aliases, matched in linear time."""

from shortlist.ats.engine.skills.taxonomy import Skill, SkillMatch, Taxonomy, get_taxonomy

__all__ = ["Skill", "SkillMatch", "Taxonomy", "get_taxonomy"]
