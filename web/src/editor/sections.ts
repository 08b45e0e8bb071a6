// The JSON Resume sections the editor offers, and the fields of their entries.

export type FieldKind = "text" | "textarea" | "lines" | "month";

export interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind;
}

export interface SectionSpec {
  key: string;
  label: string;
  title: (entry: Record<string, unknown>) => string;
  fields: FieldSpec[];
}

const text = (key: string, label: string): FieldSpec => ({ key, label, kind: "text" });
const dates = [
  { key: "startDate", label: "Start (YYYY-MM)", kind: "month" as const },
  { key: "endDate", label: "End (YYYY-MM, empty = present)", kind: "month" as const },
];
const str = (value: unknown): string => (typeof value === "string" ? value : "");

export const SECTIONS: SectionSpec[] = [
  {
    key: "work",
    label: "Work experience",
    title: (e) => [str(e.position), str(e.name)].filter(Boolean).join(" at ") || "New position",
    fields: [
      text("position", "Position"),
      text("name", "Company"),
      text("location", "Location"),
      text("url", "Website"),
      ...dates,
      { key: "summary", label: "Summary", kind: "textarea" },
      { key: "highlights", label: "Highlights (one per line)", kind: "lines" },
    ],
  },
  {
    key: "education",
    label: "Education",
    title: (e) => [str(e.studyType), str(e.area)].filter(Boolean).join(", ") || str(e.institution) || "New education",
    fields: [
      text("institution", "Institution"),
      text("studyType", "Degree"),
      text("area", "Field of study"),
      text("score", "Grade"),
      ...dates,
      { key: "courses", label: "Courses (one per line)", kind: "lines" },
    ],
  },
  {
    key: "projects",
    label: "Projects",
    title: (e) => str(e.name) || "New project",
    fields: [
      text("name", "Name"),
      text("url", "Link"),
      ...dates,
      { key: "description", label: "Description", kind: "textarea" },
      { key: "highlights", label: "Highlights (one per line)", kind: "lines" },
      { key: "keywords", label: "Keywords (one per line)", kind: "lines" },
    ],
  },
  {
    key: "skills",
    label: "Skills",
    title: (e) => str(e.name) || "New skill group",
    fields: [text("name", "Group"), text("level", "Level"), { key: "keywords", label: "Skills (one per line)", kind: "lines" }],
  },
  {
    key: "volunteer",
    label: "Volunteering",
    title: (e) => [str(e.position), str(e.organization)].filter(Boolean).join(" at ") || "New role",
    fields: [
      text("position", "Role"),
      text("organization", "Organisation"),
      ...dates,
      { key: "summary", label: "Summary", kind: "textarea" },
      { key: "highlights", label: "Highlights (one per line)", kind: "lines" },
    ],
  },
  {
    key: "certificates",
    label: "Certificates",
    title: (e) => str(e.name) || "New certificate",
    fields: [text("name", "Name"), text("issuer", "Issuer"), { key: "date", label: "Date (YYYY-MM)", kind: "month" }, text("url", "Link")],
  },
  {
    key: "awards",
    label: "Awards",
    title: (e) => str(e.title) || "New award",
    fields: [text("title", "Title"), text("awarder", "Awarded by"), { key: "date", label: "Date (YYYY-MM)", kind: "month" }, { key: "summary", label: "Summary", kind: "textarea" }],
  },
  {
    key: "publications",
    label: "Publications",
    title: (e) => str(e.name) || "New publication",
    fields: [text("name", "Title"), text("publisher", "Publisher"), { key: "releaseDate", label: "Date (YYYY-MM)", kind: "month" }, text("url", "Link"), { key: "summary", label: "Summary", kind: "textarea" }],
  },
  {
    key: "languages",
    label: "Languages",
    title: (e) => str(e.language) || "New language",
    fields: [text("language", "Language"), text("fluency", "Fluency")],
  },
  {
    key: "interests",
    label: "Interests",
    title: (e) => str(e.name) || "New interest",
    fields: [text("name", "Interest"), { key: "keywords", label: "Keywords (one per line)", kind: "lines" }],
  },
  {
    key: "references",
    label: "References",
    title: (e) => str(e.name) || "New reference",
    fields: [text("name", "Name"), { key: "reference", label: "Reference", kind: "textarea" }],
  },
];

export const BASICS_FIELDS: { path: string[]; label: string; kind: "text" | "textarea"; type?: string }[] = [
  { path: ["name"], label: "Full name", kind: "text" },
  { path: ["label"], label: "Headline", kind: "text" },
  { path: ["email"], label: "E-mail", kind: "text", type: "email" },
  { path: ["phone"], label: "Phone", kind: "text", type: "tel" },
  { path: ["url"], label: "Website", kind: "text", type: "url" },
  { path: ["location", "city"], label: "City", kind: "text" },
  { path: ["location", "countryCode"], label: "Country code", kind: "text" },
  { path: ["summary"], label: "Summary", kind: "textarea" },
];
