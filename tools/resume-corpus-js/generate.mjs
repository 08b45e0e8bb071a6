// Reads a batch of {family, view, out} jobs (JSON) and writes each document with its family's library.
//   node generate.mjs jobs.json
// A view holds every string to print, already worded (see shortlist.ats.evaluation.js_families.view).
import fs from "node:fs";
import { REACT_PDF } from "./reactpdf.mjs";
import { JSPDF } from "./jspdf.mjs";
import { DOCX } from "./docxjs.mjs";

const WRITERS = { ...REACT_PDF, ...JSPDF, ...DOCX };

const jobs = JSON.parse(fs.readFileSync(process.argv[2], "utf-8"));
for (const job of jobs) {
  const write = WRITERS[job.family];
  if (!write) {
    throw new Error(`unknown family ${job.family}; known: ${Object.keys(WRITERS).join(", ")}`);
  }
  const data = await write(job.view);
  fs.writeFileSync(job.out, data);
}
