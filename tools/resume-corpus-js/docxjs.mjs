// Two Word resumes written with the npm docx library (its own styles part, numbering definitions and tables).
//   tabs:  one column; dates on a right tab stop; contact items on centre/right tab stops; bullets and numbers
//          from abstract numbering definitions; headings with a bottom border
//   table: borderless layout tables: a header row (name | contact), each role a row (dates | details),
//          skills as a two-column table, languages one cell each, headings in all caps set by run property
import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Tab,
  Table,
  TableBorders,
  TableCell,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
} from "docx";

const WIDTH = 9026; // A4 less the default 1440-twip margins

function numbering(v) {
  const level = (lvl, format, text) => ({
    level: lvl,
    format,
    text,
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left: 360 + lvl * 360, hanging: 260 } } },
  });
  return {
    config: [
      { reference: "bullets", levels: [level(0, LevelFormat.BULLET, v.bullet), level(1, LevelFormat.BULLET, "◦")] },
      { reference: "numbers", levels: [level(0, LevelFormat.DECIMAL, "%1."), level(1, LevelFormat.LOWER_LETTER, "%2)")] },
    ],
  };
}

const run = (text, options = {}) => new TextRun({ text, ...options });
const tabbed = (left, right, stops, options = {}) =>
  new Paragraph({ tabStops: stops, children: [...left, new TextRun({ children: [new Tab(), right], ...options })] });
const RIGHT = [{ type: TabStopType.RIGHT, position: WIDTH }];
const link = (url) => new ExternalHyperlink({ link: `https://${url}`, children: [run(url, { style: "Hyperlink" })] });

function bullets(v, role, list) {
  return role.bullets.map(([text, level]) => new Paragraph({ numbering: { reference: list, level }, children: [run(text)] }));
}

function document(v, children, font) {
  return new Document({
    creator: v.name,
    title: `${v.name} — ${v.label}`,
    numbering: numbering(v),
    styles: { default: { document: { run: { font, size: 20 } } } },
    sections: [{ children }],
  });
}

function tabs(v) {
  const list = v.variant % 3 === 0 ? "numbers" : "bullets";
  const heading = (kind) =>
    new Paragraph({
      heading: HeadingLevel.HEADING_1,
      spacing: { before: 240, after: 80 },
      border: { bottom: { color: "7F7F7F", space: 1, style: BorderStyle.SINGLE, size: 6 } },
      children: [run(v.headings[kind])],
    });
  const first = v.contact.filter(([k]) => k !== "link");
  const links = v.contact.filter(([k]) => k === "link");
  const out = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [run(v.name)] }),
    new Paragraph({ children: [run(v.label, { italics: true, size: 26 })] }),
    new Paragraph({
      tabStops: [
        { type: TabStopType.CENTER, position: WIDTH / 2 },
        { type: TabStopType.RIGHT, position: WIDTH },
      ],
      children: first.flatMap(([, value], i) => (i ? [new TextRun({ children: [new Tab(), value] })] : [run(value)])),
    }),
    new Paragraph({ children: links.flatMap(([, value], i) => (i ? [run("  |  "), link(value)] : [link(value)])) }),
    heading("summary"),
    new Paragraph({ children: [run(v.summary)] }),
    heading("work"),
  ];
  for (const g of v.groups) {
    if (g.roles.length > 1) {
      out.push(tabbed([run(g.employer, { bold: true, size: 22 })], g.location, RIGHT));
    }
    for (const r of g.roles) {
      const title = g.roles.length > 1 ? [run(r.position, { bold: true })] : [run(r.position, { bold: true }), run(` — ${g.employer}`)];
      out.push(tabbed(title, r.dates, RIGHT, { color: "555555" }));
      if (g.roles.length === 1) out.push(new Paragraph({ children: [run(r.location, { italics: true })] }));
      out.push(...bullets(v, r, list));
    }
  }
  out.push(heading("education"));
  for (const e of v.education) {
    out.push(tabbed([run(e.line, { bold: true })], e.dates, RIGHT));
    if (e.score) out.push(new Paragraph({ children: [run(`Grade: ${e.score}`)] }));
  }
  out.push(heading("skills"));
  const keyStop = [{ type: TabStopType.LEFT, position: 2200 }];
  if (v.skillsFlat) out.push(new Paragraph({ children: [run(v.skills.flatMap((g) => g.keywords).join(", "))] }));
  else v.skills.forEach((g) => out.push(tabbed([run(`${g.name}:`, { bold: true })], g.keywords.join(", "), keyStop)));
  out.push(heading("languages"));
  v.languages.forEach((l) => out.push(tabbed([run(l.language)], l.fluency, keyStop)));
  if (v.certificates.length) {
    out.push(heading("certificates"));
    v.certificates.forEach((c) =>
      out.push(new Paragraph({ numbering: { reference: "bullets", level: 0 }, tabStops: RIGHT, children: [run(`${c.name} — ${c.issuer}`), new TextRun({ children: [new Tab(), c.date] })] })),
    );
  }
  if (v.projects.length) {
    out.push(heading("projects"));
    for (const p of v.projects) {
      out.push(new Paragraph({ spacing: { before: 80 }, children: [run(p.name, { bold: true }), run(" · "), link(p.url)] }));
      out.push(new Paragraph({ children: [run(p.description)] }));
    }
  }
  return document(v, out, v.variant % 2 ? "Calibri" : "Arial");
}

const cell = (children, width, options = {}) =>
  new TableCell({ width: { size: width, type: WidthType.DXA }, children, ...options });
const grid = (rows, widths) =>
  new Table({ width: { size: WIDTH, type: WidthType.DXA }, columnWidths: widths, borders: TableBorders.NONE, rows });

function table(v) {
  const list = v.variant % 3 === 0 ? "numbers" : "bullets";
  const heading = (kind) =>
    new Paragraph({
      heading: HeadingLevel.HEADING_2,
      spacing: { before: 280, after: 100 },
      children: [run(v.headings[kind], { allCaps: true, color: "1F4E79" })],
    });
  const side = 2300;
  const out = [
    grid(
      [
        new TableRow({
          children: [
            cell([new Paragraph({ children: [run(v.name, { bold: true, size: 40 })] }), new Paragraph({ children: [run(v.label, { size: 24 })] })], WIDTH - 3600),
            cell(v.contact.map(([, value]) => new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(value, { size: 17 })] })), 3600),
          ],
        }),
      ],
      [WIDTH - 3600, 3600],
    ),
    heading("summary"),
    new Paragraph({ children: [run(v.summary)] }),
    heading("work"),
  ];
  const roles = v.groups.flatMap((g) =>
    g.roles.map(
      (r) =>
        new TableRow({
          cantSplit: true,
          children: [
            cell([new Paragraph({ children: [run(r.dates, { size: 17, color: "555555" })] })], side),
            cell(
              [
                new Paragraph({ children: [run(r.position, { bold: true })] }),
                new Paragraph({ children: [run(`${g.employer} · ${r.location}`, { italics: true })] }),
                ...bullets(v, r, list),
                new Paragraph({ children: [] }),
              ],
              WIDTH - side,
            ),
          ],
        }),
    ),
  );
  out.push(grid(roles, [side, WIDTH - side]), heading("education"));
  const schools = v.education.map(
    (e) =>
      new TableRow({
        children: [
          cell([new Paragraph({ children: [run(e.dates, { size: 17 })] })], side),
          cell([new Paragraph({ children: [run(e.line, { bold: true })] }), ...(e.score ? [new Paragraph({ children: [run(`Grade: ${e.score}`)] })] : [])], WIDTH - side),
        ],
      }),
  );
  out.push(grid(schools, [side, WIDTH - side]), heading("skills"));
  if (v.skillsFlat) out.push(new Paragraph({ children: [run(v.skills.flatMap((g) => g.keywords).join(", "))] }));
  else {
    const rows = v.skills.map((g) => new TableRow({ children: [cell([new Paragraph({ children: [run(g.name, { bold: true })] })], side), cell([new Paragraph({ children: [run(g.keywords.join(", "))] })], WIDTH - side)] }));
    out.push(grid(rows, [side, WIDTH - side]));
  }
  out.push(heading("languages"));
  const share = Math.floor(WIDTH / v.languages.length);
  out.push(
    grid(
      [new TableRow({ children: v.languages.map((l) => cell([new Paragraph({ children: [run(l.language, { bold: true })] }), new Paragraph({ children: [run(l.fluency)] })], share)) })],
      v.languages.map(() => share),
    ),
  );
  if (v.certificates.length) {
    out.push(heading("certificates"));
    const rows = v.certificates.map((c) => new TableRow({ children: [cell([new Paragraph({ children: [run(c.date)] })], side), cell([new Paragraph({ children: [run(`${c.name}, ${c.issuer}`)] })], WIDTH - side)] }));
    out.push(grid(rows, [side, WIDTH - side]));
  }
  if (v.projects.length) {
    out.push(heading("projects"));
    for (const p of v.projects) {
      out.push(new Paragraph({ children: [run(p.name, { bold: true }), run(" — "), link(p.url)] }));
      out.push(new Paragraph({ children: [run(p.description)] }));
    }
  }
  return document(v, out, "Calibri");
}

export const DOCX = {
  "docxjs-tabs": (v) => Packer.toBuffer(tabs(v)),
  "docxjs-table": (v) => Packer.toBuffer(table(v)),
};
