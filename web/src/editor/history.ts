// Undo/redo over whole resume documents. Typing in one field within a short window is one step, so undo
// takes back a word or a sentence, not a character.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type ResumeDoc = { [key: string]: Json };

export interface History {
  past: ResumeDoc[];
  present: ResumeDoc;
  future: ResumeDoc[];
  lastKey: string | null;
  lastAt: number;
}

export const COALESCE_MS = 1000;
const LIMIT = 200;

export function createHistory(present: ResumeDoc): History {
  return { past: [], present, future: [], lastKey: null, lastAt: 0 };
}

/** Record a new document. Edits to the same field (`key`) close together replace the last step. */
export function record(history: History, next: ResumeDoc, key: string | null = null, now = Date.now()): History {
  if (next === history.present) return history;
  const coalesce = key !== null && key === history.lastKey && now - history.lastAt < COALESCE_MS;
  const past = coalesce ? history.past : [...history.past, history.present].slice(-LIMIT);
  return { past, present: next, future: [], lastKey: key, lastAt: now };
}

export function undo(history: History): History {
  const previous = history.past[history.past.length - 1];
  if (previous === undefined) return history;
  return {
    past: history.past.slice(0, -1),
    present: previous,
    future: [history.present, ...history.future],
    lastKey: null,
    lastAt: 0,
  };
}

export function redo(history: History): History {
  const [next, ...rest] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future: rest, lastKey: null, lastAt: 0 };
}

/** Replace the document without an undo step (e.g. after loading the server's copy). */
export function reset(present: ResumeDoc): History {
  return createHistory(present);
}

export function move<T>(items: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= items.length || to >= items.length) return [...items];
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item as T);
  return copy;
}

export function entries(doc: ResumeDoc, section: string): { [key: string]: Json }[] {
  const value = doc[section];
  return Array.isArray(value) ? (value.filter((v) => v && typeof v === "object" && !Array.isArray(v)) as { [key: string]: Json }[]) : [];
}

export function withEntries(doc: ResumeDoc, section: string, list: { [key: string]: Json }[]): ResumeDoc {
  const next = { ...doc };
  if (list.length === 0) delete next[section];
  else next[section] = list;
  return next;
}

export function reorderEntries(doc: ResumeDoc, section: string, from: number, to: number): ResumeDoc {
  return withEntries(doc, section, move(entries(doc, section), from, to));
}

export function addEntry(doc: ResumeDoc, section: string, entry: { [key: string]: Json } = {}): ResumeDoc {
  return withEntries(doc, section, [...entries(doc, section), entry]);
}

export function removeEntry(doc: ResumeDoc, section: string, index: number): ResumeDoc {
  return withEntries(
    doc,
    section,
    entries(doc, section).filter((_, i) => i !== index),
  );
}

/** Set one field of one entry; an empty value removes the field (the API stores absent, not ""). */
export function setField(doc: ResumeDoc, section: string, index: number, field: string, value: Json): ResumeDoc {
  const list = entries(doc, section).map((entry, i) => {
    if (i !== index) return entry;
    const next = { ...entry };
    if (value === "" || (Array.isArray(value) && value.length === 0)) delete next[field];
    else next[field] = value;
    return next;
  });
  return withEntries(doc, section, list);
}

export function setBasics(doc: ResumeDoc, path: string[], value: string): ResumeDoc {
  const basics = { ...((doc.basics as { [key: string]: Json } | undefined) ?? {}) };
  if (path.length === 2) {
    const [outer, inner] = path as [string, string];
    const nested = { ...((basics[outer] as { [key: string]: Json } | undefined) ?? {}) };
    if (value === "") delete nested[inner];
    else nested[inner] = value;
    if (Object.keys(nested).length === 0) delete basics[outer];
    else basics[outer] = nested;
  } else {
    const [field] = path as [string];
    if (value === "") delete basics[field];
    else basics[field] = value;
  }
  return { ...doc, basics };
}
