import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { api, must } from "../api/client";
import type { Schemas } from "../api/client";
import { move } from "./history";
import { SortableList } from "./SortableList";

export type Design = Schemas["Design-Output"];
type SectionKey = Schemas["SectionKey"];

const SECTION_KEYS: SectionKey[] = ["summary", "work", "projects", "education", "skills", "certificates", "awards", "publications", "volunteer", "languages", "interests", "references"];
const FONTS = ["inter", "ibm-plex-sans", "ibm-plex-serif", "source-sans-3", "source-serif-4", "lato", "roboto", "open-sans", "merriweather", "eb-garamond", "fira-sans", "noto-sans", "noto-serif"];
const LANGUAGES = { en: "English", de: "Deutsch", fr: "Français", es: "Español", pt: "Português", ja: "日本語", zh: "中文", ko: "한국어" };
const DATE_FORMATS = { month_year: "Mar 2024", long: "March 2024", numeric: "03/2024", iso: "2024-03", year: "2024" };

function Select({ label, value, options, onChange }: { label: string; value: string; options: Record<string, string>; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-semibold">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} className="rounded-md border border-slate-500 bg-white px-2 py-2">
        {Object.entries(options).map(([key, text]) => (
          <option key={key} value={key}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

function Range({ label, value, min, max, step, unit, onChange }: { label: string; value: number; min: number; max: number; step: number; unit: string; onChange: (v: number) => void }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-semibold">
        {label}: {value}
        {unit}
      </label>
      <input id={id} type="range" min={min} max={max} step={step} value={value} onChange={(e) => onChange(Number(e.target.value))} />
    </div>
  );
}

export function DesignPanel({ design, onPatch }: { design: Design; onPatch: (patch: Partial<Design>) => void }) {
  const templates = useQuery({ queryKey: ["templates"], queryFn: async () => must(await api.GET("/v1/templates")) });
  const order = design.section_order?.length ? [...design.section_order, ...SECTION_KEYS.filter((k) => !design.section_order?.includes(k))] : SECTION_KEYS;
  const hidden = new Set(design.hidden_sections ?? []);
  return (
    <div className="flex flex-col gap-6">
      <fieldset>
        <legend className="mb-2 text-lg font-semibold">Template</legend>
        <div className="grid grid-cols-3 gap-3">
          {templates.data?.map((template) => (
            <label key={template.slug} className={`cursor-pointer rounded-md border-2 p-1 has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-blue-700 ${template.slug === design.template ? "border-blue-700" : "border-transparent"}`}>
              <input
                type="radio"
                name="template"
                className="sr-only"
                checked={template.slug === design.template}
                onChange={() => onPatch({ template: template.slug })}
              />
              <img src={template.thumbnail_url} alt="" loading="lazy" className="w-full border border-slate-300 bg-white" />
              <span className="block text-center text-sm">{template.name}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="grid grid-cols-2 gap-4">
        <legend className="mb-2 text-lg font-semibold">Look</legend>
        <div className="flex flex-col gap-1">
          <label htmlFor="design-colour" className="text-sm font-semibold">
            Accent colour
          </label>
          <input
            id="design-colour"
            type="color"
            value={design.color && /^#[0-9a-f]{6}$/i.test(design.color) ? design.color : "#1d4ed8"}
            onChange={(e) => onPatch({ color: e.target.value })}
            className="h-10 w-full"
          />
        </div>
        <Select label="Font" value={design.font ?? "inter"} options={Object.fromEntries(FONTS.map((f) => [f, f.replace(/-/g, " ")]))} onChange={(font) => onPatch({ font: font as Design["font"] })} />
        <Range label="Text size" value={design.base_size ?? 10.5} min={8} max={13} step={0.5} unit=" pt" onChange={(base_size) => onPatch({ base_size })} />
        <Range label="Line spacing" value={design.line_spacing ?? 1} min={0.8} max={2} step={0.1} unit="×" onChange={(line_spacing) => onPatch({ line_spacing })} />
        <Range label="Margins" value={design.margins_mm ?? 18} min={8} max={35} step={1} unit=" mm" onChange={(margins_mm) => onPatch({ margins_mm })} />
        <Select label="Page size" value={design.page_size ?? "a4"} options={{ a4: "A4", letter: "US Letter" }} onChange={(v) => onPatch({ page_size: v as Design["page_size"] })} />
        <Select label="Language" value={design.language ?? "en"} options={LANGUAGES} onChange={(v) => onPatch({ language: v as Design["language"] })} />
        <Select label="Date format" value={design.date_format ?? "month_year"} options={DATE_FORMATS} onChange={(v) => onPatch({ date_format: v as Design["date_format"] })} />
        <label className="col-span-2 flex items-center gap-2 text-sm font-semibold">
          <input type="checkbox" checked={design.show_icons ?? false} onChange={(e) => onPatch({ show_icons: e.target.checked })} />
          Show icons beside contact details
        </label>
      </fieldset>
      <fieldset>
        <legend className="mb-2 text-lg font-semibold">Sections: order and visibility</legend>
        <SortableList
          items={order}
          ids={order}
          listLabel="Section order"
          label={(key) => key}
          onMove={(from, to) => onPatch({ section_order: move(order, from, to) })}
          render={(key, _index, handle) => (
            <div className="flex items-center justify-between rounded-md border border-slate-300 bg-white px-3 py-1">
              <label className="flex items-center gap-2 capitalize">
                <input
                  type="checkbox"
                  checked={!hidden.has(key)}
                  onChange={(e) => {
                    const next = new Set(hidden);
                    if (e.target.checked) next.delete(key);
                    else next.add(key);
                    onPatch({ hidden_sections: SECTION_KEYS.filter((k) => next.has(k)) });
                  }}
                />
                {key}
              </label>
              {handle}
            </div>
          )}
        />
      </fieldset>
    </div>
  );
}
