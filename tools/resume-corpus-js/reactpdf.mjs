// Three resume layouts drawn with @react-pdf/renderer (pdfkit underneath): flexbox rows, subset TrueType fonts,
// react-pdf's own line breaking (and its default hyphenation, left on in one layout as builders leave it).
//   sidebar:  a dark sidebar (contact, skills, languages) beside the main column; dates right-aligned in rows
//   gutter:   a header row (name left, contact stacked right); each section a row with its heading in a gutter
//   timeline: dates in a narrow left column beside each entry; skills as wrapped chips; serif
import React from "react";
import { Document, Font, Page, Text, View, renderToBuffer } from "@react-pdf/renderer";
import { FACES, fontPath } from "./fonts.mjs";

const h = React.createElement;

for (const family of Object.keys(FACES)) {
  Font.register({
    family,
    fonts: [
      { src: fontPath(family, "normal") },
      { src: fontPath(family, "bold"), fontWeight: "bold" },
      { src: fontPath(family, "italic"), fontStyle: "italic" },
    ],
  });
}

const wholeWords = (word) => [word];

function bullets(role, marker, indent = 10) {
  return role.bullets.map(([text, level], i) =>
    h(
      View,
      { key: `b${i}`, style: { flexDirection: "row", marginLeft: level ? indent + 12 : indent, marginTop: 1.5 } },
      h(Text, { style: { width: 10 } }, level ? "◦" : marker),
      h(Text, { style: { flex: 1 } }, text),
    ),
  );
}

function row(left, right, style = {}) {
  return h(
    View,
    { style: { flexDirection: "row", justifyContent: "space-between", marginTop: 6, ...style } },
    left,
    right,
  );
}

function skillLines(v) {
  if (v.skillsFlat) {
    return [h(Text, { key: "flat" }, v.skills.flatMap((g) => g.keywords).join(", "))];
  }
  return v.skills.map((g, i) =>
    h(Text, { key: `s${i}`, style: { marginTop: 2 } }, h(Text, { style: { fontWeight: "bold" } }, `${g.name}: `), g.keywords.join(", ")),
  );
}

function work(v, titleOf) {
  const out = [];
  v.groups.forEach((g, gi) => {
    if (g.roles.length > 1) {
      out.push(h(Text, { key: `g${gi}`, style: { fontWeight: "bold", marginTop: 8 } }, `${g.employer} · ${g.location}`));
    }
    g.roles.forEach((r, ri) => {
      const title = g.roles.length > 1 ? r.position : titleOf(r, g);
      out.push(
        h(
          View,
          { key: `r${gi}-${ri}`, wrap: false },
          row(h(Text, { style: { fontWeight: "bold", flex: 1 } }, title), h(Text, { style: { fontSize: 8.5, color: "#555" } }, r.dates)),
        ),
      );
      out.push(...bullets(r, v.bullet).map((b, bi) => h(View, { key: `rb${gi}-${ri}-${bi}` }, b)));
    });
  });
  return out;
}

function extras(v, heading) {
  const out = [];
  if (v.certificates.length) {
    out.push(heading("certificates"));
    v.certificates.forEach((c, i) => out.push(h(Text, { key: `c${i}`, style: { marginTop: 2 } }, `${c.name} — ${c.issuer} (${c.date})`)));
  }
  if (v.projects.length) {
    out.push(heading("projects"));
    v.projects.forEach((p, i) => {
      out.push(row(h(Text, { style: { fontWeight: "bold" } }, p.name), h(Text, { style: { color: "#1a5fb4" } }, p.url), { key: `p${i}` }));
      out.push(h(Text, { key: `pd${i}` }, p.description));
    });
  }
  return out;
}

function sidebar(v) {
  Font.registerHyphenationCallback(undefined); // react-pdf's default hyphenation, as most builders ship it
  const side = (kind, text) => h(Text, { key: kind, style: { fontSize: 10, fontWeight: "bold", marginTop: 14, marginBottom: 3, textTransform: "uppercase" } }, text);
  const main = (kind) => h(Text, { key: `h-${kind}`, style: { fontSize: 13, fontWeight: "bold", color: "#243447", marginTop: 12, marginBottom: 2 } }, v.headings[kind]);
  const title = (r, g) => (v.variant % 2 ? `${g.employer} | ${r.position} | ${r.location}` : `${r.position}, ${g.employer} — ${r.location}`);
  return h(
    Document,
    { title: `${v.name} resume`, author: v.name },
    h(
      Page,
      { size: "A4", style: { flexDirection: "row", fontFamily: "Liberation Sans", fontSize: 9.5, lineHeight: 1.3 } },
      h(
        View,
        { style: { width: "32%", backgroundColor: "#243447", color: "#ffffff", padding: 18 } },
        h(Text, { style: { fontSize: 18, fontWeight: "bold" } }, v.name),
        h(Text, { style: { fontSize: 11, marginTop: 4 } }, v.label),
        side("contact", "Contact"),
        ...v.contact.map(([, value], i) => h(Text, { key: `ct${i}`, style: { marginTop: 2 } }, value)),
        side("skills", v.headings.skills),
        ...skillLines(v),
        side("languages", v.headings.languages),
        ...v.languages.map((l, i) => h(Text, { key: `l${i}` }, `${l.language} — ${l.fluency}`)),
      ),
      h(
        View,
        { style: { flex: 1, padding: 24 } },
        main("summary"),
        h(Text, { style: { textAlign: "justify" } }, v.summary),
        main("work"),
        ...work(v, title),
        main("education"),
        ...v.education.flatMap((e, i) => [
          row(h(Text, { style: { flex: 1 } }, e.line), h(Text, { style: { fontSize: 8.5 } }, e.dates), { key: `e${i}` }),
          ...(e.score ? [h(Text, { key: `es${i}` }, `Grade: ${e.score}`)] : []),
        ]),
        ...extras(v, main),
      ),
    ),
  );
}

function gutter(v) {
  Font.registerHyphenationCallback(wholeWords);
  const section = (kind, children) =>
    h(
      View,
      { key: kind, style: { flexDirection: "row", marginTop: 12 } },
      h(Text, { style: { width: 92, fontSize: 10.5, fontWeight: "bold", color: "#0b7a53", paddingRight: 10 } }, v.headings[kind]),
      h(View, { style: { flex: 1 } }, ...children),
    );
  const title = (r, g) => `${r.position} at ${g.employer}, ${r.location}`;
  const certificates = v.certificates.map((c, i) => row(h(Text, {}, `${c.name}, ${c.issuer}`), h(Text, {}, c.date), { key: `c${i}`, marginTop: 2 }));
  const projects = v.projects.flatMap((p, i) => [
    h(Text, { key: `p${i}`, style: { marginTop: 3 } }, h(Text, { style: { fontWeight: "bold" } }, p.name), ` — ${p.url}`),
    h(Text, { key: `pd${i}` }, p.description),
  ]);
  return h(
    Document,
    { title: v.name },
    h(
      Page,
      { size: "LETTER", style: { fontFamily: "DejaVu Sans", fontSize: 9, lineHeight: 1.35, padding: 36 } },
      h(
        View,
        { style: { flexDirection: "row", justifyContent: "space-between", borderBottomWidth: 1, borderBottomColor: "#0b7a53", paddingBottom: 8 } },
        h(View, {}, h(Text, { style: { fontSize: 20, fontWeight: "bold" } }, v.name), h(Text, { style: { fontSize: 11, color: "#444" } }, v.label)),
        h(View, { style: { alignItems: "flex-end" } }, ...v.contact.map(([, value], i) => h(Text, { key: `ct${i}`, style: { fontSize: 8.5 } }, value))),
      ),
      section("summary", [h(Text, { key: "s" }, v.summary)]),
      section("work", work(v, title)),
      section(
        "education",
        v.education.flatMap((e, i) => [
          row(h(Text, { style: { fontWeight: "bold", flex: 1 } }, e.line), h(Text, {}, e.dates), { key: `e${i}`, marginTop: i ? 6 : 0 }),
          ...(e.score ? [h(Text, { key: `es${i}` }, `Grade: ${e.score}`)] : []),
        ]),
      ),
      section("skills", skillLines(v)),
      section("languages", [h(Text, { key: "l" }, v.languages.map((l) => `${l.language} (${l.fluency})`).join(" · "))]),
      ...(certificates.length ? [section("certificates", certificates)] : []),
      ...(projects.length ? [section("projects", projects)] : []),
    ),
  );
}

function timeline(v) {
  Font.registerHyphenationCallback(wholeWords);
  const heading = (kind) =>
    h(Text, { key: `h-${kind}`, style: { fontSize: 12, fontWeight: "bold", marginTop: 14, marginBottom: 4, paddingBottom: 2, borderBottomWidth: 0.8, borderBottomColor: "#888" } }, v.headings[kind]);
  const entry = (key, when, children) =>
    h(View, { key, style: { flexDirection: "row", marginTop: 6 }, wrap: false },
      h(Text, { style: { width: 88, fontSize: 8.5, color: "#555", paddingRight: 8 } }, when),
      h(View, { style: { flex: 1 } }, ...children));
  const roles = v.groups.flatMap((g, gi) =>
    g.roles.map((r, ri) =>
      entry(`r${gi}-${ri}`, r.dates, [
        h(Text, { key: "t", style: { fontWeight: "bold" } }, r.position),
        h(Text, { key: "o", style: { fontStyle: "italic" } }, `${g.employer}, ${r.location}`),
        ...bullets(r, v.bullet, 0),
      ]),
    ),
  );
  const chips = (words) =>
    h(View, { style: { flexDirection: "row", flexWrap: "wrap", flex: 1 } },
      ...words.map((w, i) => h(Text, { key: `k${i}`, style: { borderWidth: 0.6, borderColor: "#999", borderRadius: 3, paddingHorizontal: 4, paddingVertical: 1, marginRight: 4, marginBottom: 3, fontSize: 8.5 } }, w)));
  const skills = v.skillsFlat
    ? [h(View, { key: "flat", style: { flexDirection: "row" } }, chips(v.skills.flatMap((g) => g.keywords)))]
    : v.skills.map((g, i) => h(View, { key: `s${i}`, style: { flexDirection: "row", marginTop: 2 } }, h(Text, { style: { width: 88, fontWeight: "bold" } }, g.name), chips(g.keywords)));
  return h(
    Document,
    { title: v.name },
    h(
      Page,
      { size: "A4", style: { fontFamily: "Liberation Serif", fontSize: 10, lineHeight: 1.3, paddingVertical: 40, paddingHorizontal: 46 } },
      h(Text, { style: { fontSize: 24, lineHeight: 1.2, textAlign: "center" } }, v.name),
      h(Text, { style: { fontSize: 12, textAlign: "center", color: "#444", marginTop: 6 } }, v.label),
      h(Text, { style: { fontSize: 9, textAlign: "center", marginTop: 6 } }, v.contact.map(([, value]) => value).join("   |   ")),
      heading("summary"),
      h(Text, {}, v.summary),
      heading("work"),
      ...roles,
      heading("education"),
      ...v.education.map((e, i) =>
        entry(`e${i}`, e.dates, [
          h(Text, { key: "d", style: { fontWeight: "bold" } }, `${e.degree} · ${e.area}`),
          h(Text, { key: "s" }, e.school),
          ...(e.score ? [h(Text, { key: "g" }, `Grade: ${e.score}`)] : []),
        ]),
      ),
      heading("skills"),
      ...skills,
      heading("languages"),
      ...v.languages.map((l, i) => h(View, { key: `l${i}`, style: { flexDirection: "row" } }, h(Text, { style: { width: 88 } }, l.language), h(Text, {}, l.fluency))),
      ...extras(v, heading),
    ),
  );
}

const render = (layout) => (v) => renderToBuffer(layout(v));

export const REACT_PDF = {
  "reactpdf-sidebar": render(sidebar),
  "reactpdf-gutter": render(gutter),
  "reactpdf-timeline": render(timeline),
};
