"""Job matching that ranks like a recruiter.

    requirements = extract_requirements(job_text_or_job_document)      # once per job
    profile = build_profile(parsed_resume_json, lines=None)            # once per resume; keep it
    result = score(profile, requirements)                               # MatchResult with explanation
    ranked = rank(requirements, [profile, ...], top=50)                 # fast: [Ranked(index, score)]
    best = top_matches(requirements, [profile, ...], top=20)            # [(index, MatchResult)]

See docs/ats.md ("Job matching") for the parts, weights and the evaluation.
"""

from shortlist.ats.matching.candidate import CandidateProfile, build_profile
from shortlist.ats.matching.requirements import JobRequirements, Requirement, extract_requirements
from shortlist.ats.matching.scoring import Ranked, match_resume, rank, score, top_matches

__all__ = [
    "CandidateProfile",
    "JobRequirements",
    "Ranked",
    "Requirement",
    "build_profile",
    "extract_requirements",
    "match_resume",
    "rank",
    "score",
    "top_matches",
]
