import { useRef } from "react";
import { Button, TextArea, TextInput } from "../components/ui";
import { addEntry, entries, type Json, removeEntry, reorderEntries, type ResumeDoc, setBasics, setField } from "./history";
import { BASICS_FIELDS, type SectionSpec, SECTIONS } from "./sections";
import { SortableList } from "./SortableList";

type Change = (next: ResumeDoc, key: string | null) => void;
type BulletNotes = Map<string, string[]>;

const asText = (value: Json | undefined): string => (typeof value === "string" ? value : "");
const asLines = (value: Json | undefined): string => (Array.isArray(value) ? value.filter((v) => typeof v === "string").join("\n") : "");

export function ContentForm({ doc, onChange, bulletNotes }: { doc: ResumeDoc; onChange: Change; bulletNotes: BulletNotes }) {
  const basics = (doc.basics ?? {}) as { [key: string]: Json };
  return (
    <div className="flex flex-col gap-6">
      <fieldset className="flex flex-col gap-3 rounded-lg border border-slate-300 bg-white p-4">
        <legend className="px-1 text-lg font-semibold">Basics</legend>
        <div className="grid gap-3 md:grid-cols-2">
          {BASICS_FIELDS.map((field) => {
            const key = `basics.${field.path.join(".")}`;
            const holder = field.path.length === 2 ? ((basics[field.path[0] as string] ?? {}) as { [key: string]: Json }) : basics;
            const value = asText(holder[field.path[field.path.length - 1] as string]);
            const change = (v: string) => onChange(setBasics(doc, field.path, v), key);
            return field.kind === "textarea" ? (
              <TextArea key={key} label={field.label} className="md:col-span-2" value={value} onChange={(e) => change(e.target.value)} />
            ) : (
              <TextInput key={key} label={field.label} type={field.type ?? "text"} value={value} onChange={(e) => change(e.target.value)} />
            );
          })}
        </div>
      </fieldset>
      {SECTIONS.map((section) => (
        <SectionEditor key={section.key} section={section} doc={doc} onChange={onChange} bulletNotes={bulletNotes} />
      ))}
    </div>
  );
}

function SectionEditor({ section, doc, onChange, bulletNotes }: { section: SectionSpec; doc: ResumeDoc; onChange: Change; bulletNotes: BulletNotes }) {
  const list = entries(doc, section.key);
  // Stable ids for dnd-kit across renders: kept beside the list and moved with it.
  const ids = useRef<string[]>([]);
  const counter = useRef(0);
  while (ids.current.length < list.length) ids.current.push(`${section.key}-${counter.current++}`);
  ids.current.length = list.length;
  const headingId = `section-${section.key}`;
  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-3 rounded-lg border border-slate-300 bg-white p-4">
      <h3 id={headingId} className="text-lg font-semibold">
        {section.label}
      </h3>
      {list.length > 0 && (
        <SortableList
          items={list}
          ids={[...ids.current]}
          listLabel={`${section.label} entries`}
          label={(entry) => section.title(entry)}
          onMove={(from, to) => {
            const moved = [...ids.current];
            const [id] = moved.splice(from, 1);
            moved.splice(to, 0, id as string);
            ids.current = moved;
            onChange(reorderEntries(doc, section.key, from, to), null);
          }}
          render={(entry, index, handle) => (
            <div className="rounded-md border border-slate-300">
              <div className="flex items-center justify-between gap-2 px-3 py-2">
                <span className="font-semibold">{section.title(entry)}</span>
                {handle}
              </div>
              <details
                className="border-t border-slate-200"
                ref={(el) => {
                  // Open once when it appears empty or alone; after that the person decides.
                  if (el && !el.dataset.ready) {
                    el.dataset.ready = "1";
                    el.open = list.length === 1 || Object.keys(entry).length === 0;
                  }
                }}
              >
              <summary className="cursor-pointer px-3 py-1 text-sm text-slate-800">Edit details</summary>
              <div className="grid gap-3 p-3 md:grid-cols-2">
                {section.fields.map((field) => {
                  const key = `${section.key}.${index}.${field.key}`;
                  const set = (value: Json) => onChange(setField(doc, section.key, index, field.key, value), key);
                  if (field.kind === "lines") {
                    const notes = (Array.isArray(entry[field.key]) ? (entry[field.key] as Json[]) : [])
                      .flatMap((line) => (typeof line === "string" ? (bulletNotes.get(line.trim()) ?? []).map((note) => `“${line}”: ${note}`) : []));
                    return (
                      <div key={key} className="md:col-span-2">
                        <TextArea
                          label={field.label}
                          value={asLines(entry[field.key])}
                          onChange={(e) => set(e.target.value.split("\n").filter((line, i, all) => line !== "" || i === all.length - 1))}
                        />
                        {notes.length > 0 && (
                          <ul className="mt-1 list-disc pl-5 text-sm text-amber-900" aria-label="Bullet feedback">
                            {notes.map((note) => (
                              <li key={note}>{note}</li>
                            ))}
                          </ul>
                        )}
                      </div>
                    );
                  }
                  if (field.kind === "textarea") {
                    return <TextArea key={key} label={field.label} className="md:col-span-2" value={asText(entry[field.key])} onChange={(e) => set(e.target.value)} />;
                  }
                  return (
                    <TextInput
                      key={key}
                      label={field.label}
                      value={asText(entry[field.key])}
                      pattern={field.kind === "month" ? "\\d{4}(-\\d{2}(-\\d{2})?)?" : undefined}
                      onChange={(e) => set(e.target.value)}
                    />
                  );
                })}
                <div className="md:col-span-2">
                  <Button variant="danger" onClick={() => onChange(removeEntry(doc, section.key, index), null)}>
                    Remove {section.title(entry)}
                  </Button>
                </div>
              </div>
              </details>
            </div>
          )}
        />
      )}
      <Button variant="secondary" className="self-start" onClick={() => onChange(addEntry(doc, section.key), null)}>
        Add to {section.label.toLowerCase()}
      </Button>
    </section>
  );
}
