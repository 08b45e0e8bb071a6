// The job editor's requirements: what the form shows (the effective requirements) and what it sends back
// (only the fields the recruiter changed from what was read, plus those already corrected before).

export interface Requirements {
  required_skills?: string[];
  preferred_skills?: string[];
  years?: number | null;
  seniority?: string | null;
  education?: string | null;
}

export interface RequirementsForm {
  required: string;
  preferred: string;
  years: string;
}

export const splitList = (text: string) =>
  text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);

export const joinList = (value: unknown) => (Array.isArray(value) ? value.join(", ") : "");

export function formOf(effective: Requirements): RequirementsForm {
  return {
    required: joinList(effective.required_skills),
    preferred: joinList(effective.preferred_skills),
    years: effective.years == null ? "" : String(effective.years),
  };
}

const sameList = (a: string[], b: unknown) => JSON.stringify(a) === JSON.stringify(Array.isArray(b) ? b : []);

/** What to send as `requirements`: a field becomes a correction when it differs from the reading or was
 * corrected before; untouched fields stay unset so that a new description is read for them again. */
export function corrections(form: RequirementsForm, extracted: Requirements, set: Requirements): Requirements {
  const next: Requirements = { ...set };
  const required = splitList(form.required);
  const preferred = splitList(form.preferred);
  if (!sameList(required, extracted.required_skills) || set.required_skills) next.required_skills = required;
  if (!sameList(preferred, extracted.preferred_skills) || set.preferred_skills) next.preferred_skills = preferred;
  const years = form.years.trim() === "" ? null : Number(form.years);
  if (years !== (extracted.years ?? null) || set.years != null) next.years = years;
  return next;
}
