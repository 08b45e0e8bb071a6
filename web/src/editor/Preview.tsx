// The live preview is the API's own rendering: PNG images of the PDF's pages. New images replace the old
// ones only once every page has arrived, in place, so the reader's scroll position never jumps.
import { useEffect, useRef, useState } from "react";
import { authorizedFetch } from "../api/client";

interface Pages {
  urls: string[];
  key: string;
}

async function pageImage(resumeId: string, page: number, signal: AbortSignal, optional = false): Promise<Response | null> {
  const response = await authorizedFetch(`/v1/resumes/${resumeId}/render?format=png&page=${page}`, { signal });
  if (response.ok) return response;
  if (optional) return null; // a guessed page that the shorter resume no longer has
  throw new Error(`The preview could not be rendered (${response.status}).`);
}

export function Preview({ resumeId, renderKey, highlight }: { resumeId: string; renderKey: string; highlight?: { page: number; at: number } }) {
  const [pages, setPages] = useState<Pages>({ urls: [], key: "" });
  const [failure, setFailure] = useState<string | null>(null);
  const current = useRef<string[]>([]);
  const pageCount = useRef(1);

  useEffect(() => {
    const abort = new AbortController();
    (async () => {
      try {
        // Ask for as many pages as last time at once; only a resume that grew needs a second round.
        const guess = Math.max(1, pageCount.current);
        const answers = await Promise.all(Array.from({ length: guess }, (_, i) => pageImage(resumeId, i + 1, abort.signal, i > 0)));
        const count = Math.max(1, Number(answers[0]?.headers.get("X-Page-Count") ?? "1"));
        const extra = await Promise.all(
          Array.from({ length: Math.max(0, count - guess) }, (_, i) => pageImage(resumeId, guess + i + 1, abort.signal)),
        );
        const blobs = await Promise.all(
          [...answers, ...extra].slice(0, count).map((r) => (r as Response).blob()),
        );
        pageCount.current = count;
        if (abort.signal.aborted) return;
        const urls = blobs.map((blob) => URL.createObjectURL(blob));
        current.current.forEach((url) => URL.revokeObjectURL(url));
        current.current = urls;
        setPages({ urls, key: renderKey });
        setFailure(null);
      } catch (error) {
        if (!abort.signal.aborted) setFailure(error instanceof Error ? error.message : "Preview failed.");
      }
    })();
    return () => abort.abort();
  }, [resumeId, renderKey]);

  useEffect(() => () => current.current.forEach((url) => URL.revokeObjectURL(url)), []);

  // An ATS finding asks to be shown: bring its page into view.
  const images = useRef<(HTMLImageElement | null)[]>([]);
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const image = highlight ? images.current[highlight.page - 1] : null;
    // Scroll the preview pane only: the page around it stays where the reader left it.
    if (image) scroller.current?.scrollTo({ top: image.offsetTop - 16, behavior: "smooth" });
  }, [highlight]);

  return (
    <section aria-label="Preview" className="flex h-full flex-col">
      <h2 className="sr-only">Preview</h2>
      {failure && (
        <p role="alert" className="mb-2 text-sm text-red-800">
          {failure}
        </p>
      )}
      <div
        ref={scroller}
        className="relative flex-1 overflow-y-auto rounded-lg bg-slate-200 p-4"
        data-testid="preview"
        data-rendered={pages.key}
        tabIndex={0}
        aria-label={`Preview, ${pages.urls.length} page${pages.urls.length === 1 ? "" : "s"}`}
      >
        {pages.urls.map((url, index) => (
          <img
            key={index}
            ref={(el) => {
              images.current[index] = el;
            }}
            src={url}
            alt={`Page ${index + 1} of the resume`}
            data-highlighted={highlight?.page === index + 1 ? "true" : undefined}
            className={`mx-auto mb-4 w-full max-w-[700px] bg-white shadow ${highlight?.page === index + 1 ? "outline-4 outline-offset-4 outline-amber-500" : ""}`}
          />
        ))}
      </div>
    </section>
  );
}
