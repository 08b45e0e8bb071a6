// The rules the recruiter screens check before asking the API: pipeline stage edits, tags and score
// overrides. The API has the last word; these only spare a round trip and say what is wrong in place.

export type Stage = { id: string; name: string };

/** Every pipeline keeps these (the API refuses a list without them). */
export const FIXED_STAGES: ReadonlySet<string> = new Set(["applied", "hired", "rejected"]);

const STAGE_ID = /^[a-z][a-z0-9_]{0,39}$/;

/** A new stage's id from its name, unlike every id already taken ("Tech interview" → "tech_interview"). */
export function stageIdFor(name: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  let base = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 36);
  if (!/^[a-z]/.test(base)) base = `stage_${base}`.replace(/_+$/, "").slice(0, 36);
  let id = base;
  for (let n = 2; used.has(id); n += 1) id = `${base}_${n}`;
  return id;
}

export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= items.length || to >= items.length) return [...items];
  const next = [...items];
  const [moved] = next.splice(from, 1) as [T];
  next.splice(to, 0, moved);
  return next;
}

/** What is wrong with the edited stages, in words; null when the list can be sent. */
export function stagesProblem(stages: readonly Stage[]): string | null {
  if (stages.length < 2) return "A pipeline needs at least two stages.";
  if (stages.length > 20) return "A pipeline has at most 20 stages.";
  const blank = stages.findIndex((stage) => stage.name.trim() === "");
  if (blank >= 0) return `Stage ${blank + 1} needs a name.`;
  const long = stages.find((stage) => stage.name.trim().length > 60);
  if (long) return `"${long.name.trim().slice(0, 20)}…" is longer than 60 characters.`;
  const seen = new Set<string>();
  for (const stage of stages) {
    const key = stage.name.trim().toLowerCase();
    if (seen.has(key)) return `Two stages are called "${stage.name.trim()}".`;
    seen.add(key);
  }
  const bad = stages.find((stage) => !STAGE_ID.test(stage.id));
  if (bad) return `"${bad.name}" has an id the pipeline cannot use.`;
  const missing = [...FIXED_STAGES].filter((id) => !stages.some((stage) => stage.id === id));
  if (missing.length > 0) return `Every pipeline keeps ${missing.join(", ")}.`;
  return null;
}

export function sameStages(a: readonly Stage[], b: readonly Stage[]): boolean {
  return a.length === b.length && a.every((stage, i) => stage.id === b[i]?.id && stage.name.trim() === b[i]?.name.trim());
}

// The API's tag rule: a word character first, then up to 39 of word characters, space, . + # -.
const TAG = /^[\p{L}\p{N}_][\p{L}\p{N}_ .+#-]{0,39}$/u;
export const MAX_TAGS = 20;

/** Tags typed as "remote, senior": the ones to keep (trimmed, without repeats, sorted as the API
 * returns them) and the ones refused with why. */
export function addTags(current: readonly string[], typed: string): { tags: string[]; refused: string | null } {
  const words = typed
    .split(",")
    .map((word) => word.trim().replace(/\s+/g, " "))
    .filter(Boolean);
  const invalid = words.filter((word) => !TAG.test(word));
  if (invalid.length > 0) {
    return {
      tags: [...current],
      refused: `Not a tag: ${invalid.join(", ")}. Tags are up to 40 letters, digits, spaces and . + # - _, starting with a letter or digit.`,
    };
  }
  const tags = [...new Set([...current, ...words])].sort();
  if (tags.length > MAX_TAGS) return { tags: [...current], refused: `An application has at most ${MAX_TAGS} tags.` };
  return { tags, refused: null };
}

/** A comma-separated tag filter as the API's repeated `tag` parameter (undefined: no filter). */
export function tagFilter(typed: string): string[] | undefined {
  const tags = [...new Set(typed.split(",").map((word) => word.trim()).filter(Boolean))];
  return tags.length > 0 ? tags : undefined;
}

/** The override typed in the application view: a whole number 0–100, or why not. */
export function parseOverride(typed: string): { value: number } | { problem: string } {
  const text = typed.trim();
  if (!/^\d{1,3}$/.test(text)) return { problem: "Enter a whole number from 0 to 100." };
  const value = Number(text);
  if (value > 100) return { problem: "Enter a whole number from 0 to 100." };
  return { value };
}

export type ScoreView = { shown: number | null; computed: number | null; overridden: boolean; label: string };

/** The score a list shows (the override wins), and the words that say which it is. */
export function scoreView(application: { score: number | null; override_score: number | null }): ScoreView {
  const { score, override_score: override } = application;
  if (override !== null) {
    const computed = score === null ? "not scored yet" : `scored ${score}`;
    return { shown: override, computed: score, overridden: true, label: `Score ${override}, set by a recruiter (${computed})` };
  }
  return { shown: score, computed: score, overridden: false, label: score === null ? "Not scored yet" : `Score ${score}` };
}

/** Tags on a small card: the first `max` shown, the rest counted (all of them when they fit). */
export function compactTags(tags: readonly string[], max: number): { shown: string[]; more: string[] } {
  if (tags.length <= max) return { shown: [...tags], more: [] };
  const shown = tags.slice(0, Math.max(0, max - 1)); // the "+n" takes the last place
  return { shown, more: tags.slice(shown.length) };
}
