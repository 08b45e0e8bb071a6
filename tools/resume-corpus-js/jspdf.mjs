// Two resume layouts drawn with jsPDF the way browser builders draw them: every string placed at coordinates
// by the program (no layout engine), wrapped with splitTextToSize, dates right-aligned with align:"right",
// bullets drawn as a separate glyph before a hanging-indented block, TrueType fonts embedded as Identity-H.
//   classic: one column, centred header, ruled headings, a page break wherever the cursor runs out
//   columns: a filled header band, then the sidebar drawn top to bottom before the main column
import fs from "node:fs";
import { jsPDF } from "jspdf";
import { fontPath } from "./fonts.mjs";

const PAGE_H = 842;

function newDoc(family) {
  const doc = new jsPDF({ unit: "pt", format: "a4", compress: true });
  for (const style of ["normal", "bold", "italic"]) {
    const file = `${family.replace(/ /g, "")}-${style}.ttf`;
    doc.addFileToVFS(file, fs.readFileSync(fontPath(family, style)).toString("base64"));
    doc.addFont(file, family, style);
  }
  doc.setFont(family, "normal");
  return doc;
}

// A cursor over one column: writes wrapped lines and starts a new page when the column is full.
class Column {
  constructor(doc, family, x, width, top, bottom = PAGE_H - 48) {
    Object.assign(this, { doc, family, x, width, y: top, top, bottom });
  }
  room(height) {
    if (this.y + height > this.bottom) {
      this.doc.addPage();
      this.y = 48;
    }
  }
  text(value, { size = 9.5, style = "normal", indent = 0, lead = 1.3, gap = 0, color = 30 } = {}) {
    const { doc } = this;
    doc.setFont(this.family, style).setFontSize(size).setTextColor(color);
    const lines = doc.splitTextToSize(value, this.width - indent);
    this.y += gap;
    for (const line of lines) {
      this.room(size * lead);
      this.y += size * lead;
      doc.text(line, this.x + indent, this.y);
    }
  }
  split(left, right, { size = 9.5, style = "bold", gap = 6 } = {}) {
    // a bold title on the left, a date flush right on the same baseline (the title wraps short of the date)
    const { doc } = this;
    doc.setFont(this.family, "normal").setFontSize(size - 0.5);
    const dateWidth = doc.getTextWidth(right) + 12;
    doc.setFont(this.family, style).setFontSize(size).setTextColor(20);
    const lines = doc.splitTextToSize(left, this.width - dateWidth);
    this.y += gap;
    this.room(size * 1.3 * lines.length);
    lines.forEach((line, i) => {
      this.y += size * 1.3;
      doc.text(line, this.x, this.y);
      if (i === 0) {
        doc.setFont(this.family, "normal").setFontSize(size - 0.5).setTextColor(80);
        doc.text(right, this.x + this.width, this.y, { align: "right" });
        doc.setFont(this.family, style).setFontSize(size).setTextColor(20);
      }
    });
  }
  bullet(marker, value, level) {
    const indent = level ? 26 : 12;
    const { doc } = this;
    doc.setFont(this.family, "normal").setFontSize(9.5).setTextColor(30);
    const lines = doc.splitTextToSize(value, this.width - indent);
    this.room(9.5 * 1.3);
    doc.text(level ? "◦" : marker, this.x + indent - 9, this.y + 9.5 * 1.3 + 1);
    for (const line of lines) {
      this.room(9.5 * 1.3);
      this.y += 9.5 * 1.3;
      doc.text(line, this.x + indent, this.y);
    }
  }
  rule(gap = 3) {
    this.doc.setDrawColor(150).setLineWidth(0.6).line(this.x, this.y + gap, this.x + this.width, this.y + gap);
    this.y += gap + 2;
  }
}

function skills(v, col) {
  if (v.skillsFlat) {
    col.text(v.skills.flatMap((g) => g.keywords).join(", "), { gap: 2 });
    return;
  }
  for (const g of v.skills) {
    col.text(`${g.name}: ${g.keywords.join(", ")}`, { gap: 2 });
  }
}

function work(v, col, title) {
  for (const g of v.groups) {
    if (g.roles.length > 1) {
      col.text(`${g.employer} — ${g.location}`, { style: "bold", size: 10.5, gap: 8 });
    }
    for (const r of g.roles) {
      col.split(g.roles.length > 1 ? r.position : title(r, g), r.dates);
      if (g.roles.length === 1 && v.variant % 2) {
        col.text(`${g.employer}, ${r.location}`, { style: "italic" });
      }
      r.bullets.forEach(([text, level]) => col.bullet(v.bullet, text, level));
    }
  }
}

function extras(v, col, heading) {
  if (v.certificates.length) {
    heading("certificates");
    v.certificates.forEach((c) => col.split(`${c.name}, ${c.issuer}`, c.date, { style: "normal", gap: 2 }));
  }
  if (v.projects.length) {
    heading("projects");
    for (const p of v.projects) {
      col.split(p.name, p.url, { gap: 4 });
      col.text(p.description);
    }
  }
}

function classic(v) {
  const family = v.variant % 3 === 0 ? "DejaVu Serif" : "Liberation Sans";
  const doc = newDoc(family);
  const col = new Column(doc, family, 50, 495, 40);
  doc.setFont(family, "bold").setFontSize(22).text(v.name, 297.5, 66, { align: "center" });
  doc.setFont(family, "normal").setFontSize(12).setTextColor(90).text(v.label, 297.5, 84, { align: "center" });
  doc.setFontSize(8.5).setTextColor(40);
  const contact = doc.splitTextToSize(v.contact.map(([, value]) => value).join("  |  "), 495);
  contact.forEach((line, i) => doc.text(line, 297.5, 100 + i * 11, { align: "center" }));
  col.y = 100 + contact.length * 11;
  const heading = (kind) => {
    col.room(40);
    col.text(v.headings[kind].toUpperCase(), { size: 11, style: "bold", gap: 12, color: 0 });
    col.rule();
  };
  heading("summary");
  col.text(v.summary);
  heading("work");
  work(v, col, (r, g) => (v.variant % 2 ? r.position : `${r.position}, ${g.employer} (${r.location})`));
  heading("education");
  for (const e of v.education) {
    col.split(e.line, e.dates, { style: "normal" });
    if (e.score) col.text(`Grade: ${e.score}`);
  }
  heading("skills");
  skills(v, col);
  heading("languages");
  col.text(v.languages.map((l) => `${l.language}: ${l.fluency}`).join("   ·   "));
  extras(v, col, heading);
  return Buffer.from(doc.output("arraybuffer"));
}

function columns(v) {
  const family = "Liberation Sans";
  const doc = newDoc(family);
  doc.setFillColor(32, 58, 90).rect(0, 0, 595, 92, "F");
  doc.setFont(family, "bold").setFontSize(22).setTextColor(255).text(v.name, 40, 48);
  doc.setFont(family, "normal").setFontSize(12).text(v.label, 40, 70);
  const side = new Column(doc, family, 40, 150, 110);
  const sideHeading = (text) => {
    side.text(text.toUpperCase(), { size: 9.5, style: "bold", gap: 12, color: 32 });
  };
  sideHeading("Contact");
  v.contact.forEach(([, value]) => side.text(value, { size: 8.5, gap: 2 }));
  sideHeading(v.headings.skills);
  if (v.skillsFlat) {
    v.skills.flatMap((g) => g.keywords).forEach((k) => side.text(k, { size: 9 }));
  } else {
    for (const g of v.skills) {
      side.text(g.name, { style: "bold", size: 9, gap: 4 });
      g.keywords.forEach((k) => side.text(k, { size: 9 }));
    }
  }
  sideHeading(v.headings.languages);
  v.languages.forEach((l) => side.text(`${l.language} (${l.fluency})`, { size: 9 }));
  doc.setPage(1); // the main column starts again at the top of the first page
  const main = new Column(doc, family, 215, 340, 110);
  main.room = function room(height) {
    if (this.y + height > this.bottom) {
      const next = doc.getCurrentPageInfo().pageNumber + 1;
      if (next > doc.getNumberOfPages()) doc.addPage();
      else doc.setPage(next);
      this.y = 48;
    }
  };
  const heading = (kind) => {
    main.room(40);
    main.text(v.headings[kind], { size: 12.5, style: "bold", gap: 12, color: 32 });
  };
  heading("summary");
  main.text(v.summary);
  heading("work");
  work(v, main, (r, g) => (v.variant % 2 ? r.position : `${r.position} · ${g.employer} · ${r.location}`));
  heading("education");
  for (const e of v.education) {
    main.split(e.line, e.dates, { style: "bold" });
    if (e.score) main.text(`Grade: ${e.score}`);
  }
  extras(v, main, heading);
  return Buffer.from(doc.output("arraybuffer"));
}

export const JSPDF = {
  "jspdf-classic": classic,
  "jspdf-columns": columns,
};
