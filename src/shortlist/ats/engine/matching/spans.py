"""Tag what a job-description sentence asks, as character spans: Skill, Qualification, Experience,
Occupation and Domain (the tag set of the public job-description benchmark measured in
bench/skill_extraction_bench.py).

Rules, not a learned model: skills are the taxonomy's mentions plus the phrase after a cue ("ability to
…", "experience in …", "knowledge of …"); experience is a duration ("at least 2 years", "18 months");
qualifications are degrees, certificates and licences; occupations are role nouns with their modifiers;
domains come from a list of industries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from shortlist.ats.engine.skills import get_taxonomy

Tag = Literal["Skill", "Qualification", "Experience", "Occupation", "Domain"]


@dataclass(frozen=True)
class TaggedSpan:
    tag: Tag
    start: int
    end: int
    text: str


_NUMBER = r"(?:\d{1,2}(?:\.\d)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen)"
_EXPERIENCE = re.compile(
    rf"\b(?:(?:at least|minimum(?: of)?|min\.?|over|more than|up to)\s+)?{_NUMBER}\s*\+?\s*"
    rf"(?:(?:-|–|to|or)\s*{_NUMBER}\s*)?(?:years?|yrs?|months?)(?:\s+or\s+more)?"
    rf"(?:['’]?\s*(?:of\s+)?(?:relevant\s+|professional\s+|proven\s+)?experience)?",
    re.I,
)
_QUALIFICATION = re.compile(
    r"\b(?i:(?:full|clean|valid|current|relevant|recognised|recognized|professional|vocational|"
    r"accountancy|academic|university|degree|bachelor'?s?|master'?s?|honours|driving)\s+){0,3}"
    r"(?:(?i:degree|qualification|qualified|certificate|certification|certified|licen[cs]e|diploma|"
    r"apprenticeship|chartered|bachelor'?s?|master'?s?|ph\.?d|doctorate)|"
    r"NVQ(?:\s+level\s+\d)?|HND|HNC|ONC|BTEC|GCSEs?|A[- ]levels?|MBA|BSc|MSc|BA|MA|ACA|ACCA|CIMA|CPA|"
    r"CIPD|PRINCE2|RGN|RMN|CSCS)\b"
    r"(?:\s+(?:in|of)\s+[A-Z][\w&]*(?:\s+[A-Z][\w&]*)*)?",
)
_ROLE_NOUNS = (
    "developer|developers|engineer|engineers|analyst|analysts|consultant|consultants|manager|managers|"
    "nurse|nurses|chef|chefs|teacher|teachers|architect|architects|administrator|administrators|"
    "assistant|assistants|executive|executives|designer|designers|accountant|accountants|officer|"
    "officers|controller|controllers|handler|handlers|programmer|programmers|specialist|specialists|"
    "coordinator|coordinators|co-ordinator|technician|technicians|director|directors|supervisor|"
    "supervisors|advisor|advisors|adviser|advisers|representative|representatives|recruiter|"
    "recruiters|tester|testers|scientist|scientists|clerk|clerks|nanny|nannies|carer|carers|"
    "worker|workers|operative|operatives|driver|drivers|buyer|buyers|planner|planners|surveyor|surveyors|"
    "solicitor|solicitors|lawyer|lawyers|pharmacist|pharmacists|therapist|therapists|practitioner|"
    "practitioners|lead|leads|head"
)
_OCCUPATION = re.compile(
    r"\b(?:(?:(?i:senior|junior|lead|principal|chief|head|trainee|graduate|assistant|deputy|general)|"
    r"[A-Z][\w+#.-]*)\s+){0,3}(?i:" + _ROLE_NOUNS + r")\b",
)
_DOMAINS = re.compile(
    r"\b(?:financial services|real estate|private equity|health ?care|healthcare|retail|banking|"
    r"insurance|hospitality|construction|manufacturing|logistics|telecommunications|telecoms|"
    r"pharmaceuticals?|biotechnology|public sector|private sector|FMCG|e-?commerce|automotive|energy|"
    r"oil and gas|utilities|media|education|legal|recruitment|engineering sector|aerospace|defen[cs]e|"
    r"IT solutions|software|hardware|fashion|beauty|travel|property|charity|NHS)\b",
    re.I,
)
_SKILL_CUE = re.compile(
    r"\b(?:ability to|able to|experience (?:in|of|with)|knowledge of|understanding of|skills in|"
    r"proficient (?:in|with)|proficiency in|familiarity with|familiar with|expertise in|"
    r"responsible for|capable of|competent in|good at)\s+",
    re.I,
)
_PHRASE_END = re.compile(
    r"[,.;:()!?]|\s(?:and|or|as well as|including|to ensure|in order to|within|who|which)\s"
)


def _cue_phrases(text: str) -> list[tuple[int, int]]:
    out = []
    for cue in _SKILL_CUE.finditer(text):
        start = cue.end()
        stop = _PHRASE_END.search(text, start)
        end = stop.start() if stop else len(text)
        end = min(end, start + 60)
        while end > start and not text[end - 1].isalnum():
            end -= 1
        if end - start >= 3:
            out.append((start, end))
    return out


def tag_spans(text: str) -> list[TaggedSpan]:
    """Non-overlapping tagged spans of one sentence, left to right."""
    found: list[tuple[int, int, Tag]] = []
    found += [(m.start(), m.end(), "Experience") for m in _EXPERIENCE.finditer(text)]
    found += [(m.start(), m.end(), "Qualification") for m in _QUALIFICATION.finditer(text)]
    found += [(m.start(), m.end(), "Occupation") for m in _OCCUPATION.finditer(text)]
    found += [(m.start(), m.end(), "Domain") for m in _DOMAINS.finditer(text)]
    found += [(s, e, "Skill") for s, e in _cue_phrases(text)]
    found += [(m.start, m.end, "Skill") for m in get_taxonomy().find(text)]
    # Earlier kinds above win on overlap (a duration is not a skill); then longer spans win.
    priority = {"Experience": 0, "Qualification": 1, "Occupation": 2, "Domain": 3, "Skill": 4}
    found.sort(key=lambda f: (priority[f[2]], -(f[1] - f[0]), f[0]))
    taken: list[tuple[int, int, Tag]] = []
    for start, end, tag in found:
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, tag))
    taken.sort()
    return [TaggedSpan(tag, s, e, text[s:e]) for s, e, tag in taken]
