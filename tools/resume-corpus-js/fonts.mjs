// System TrueType fonts (Debian's fonts-liberation and fonts-dejavu): nothing is fetched at run time.
// RESUME_FONT_DIR points elsewhere when the fonts live in another folder.
import fs from "node:fs";
import path from "node:path";

const ROOT = process.env.RESUME_FONT_DIR || "/usr/share/fonts/truetype";

export const FACES = {
  "Liberation Sans": { normal: "liberation/LiberationSans-Regular.ttf", bold: "liberation/LiberationSans-Bold.ttf", italic: "liberation/LiberationSans-Italic.ttf" },
  "Liberation Serif": { normal: "liberation/LiberationSerif-Regular.ttf", bold: "liberation/LiberationSerif-Bold.ttf", italic: "liberation/LiberationSerif-Italic.ttf" },
  "DejaVu Sans": { normal: "dejavu/DejaVuSans.ttf", bold: "dejavu/DejaVuSans-Bold.ttf", italic: "dejavu/DejaVuSans-Oblique.ttf" },
  "DejaVu Serif": { normal: "dejavu/DejaVuSerif.ttf", bold: "dejavu/DejaVuSerif-Bold.ttf", italic: "dejavu/DejaVuSerif-Italic.ttf" },
};

export function fontPath(family, style) {
  const file = path.join(ROOT, FACES[family][style]);
  if (!fs.existsSync(file)) {
    throw new Error(`font ${file} is missing: install fonts-liberation and fonts-dejavu, or set RESUME_FONT_DIR`);
  }
  return file;
}
