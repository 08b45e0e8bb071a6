// The live preview is the API's own rendering: PNG images of the resume's pages. A new version first
// replaces the pages the reader can see, at the resolution they are shown at (device pixels), then the
// others; each image is swapped in place at the same displayed size, so the scroll position never jumps.
import { useEffect, useRef, useState } from "react";
import { pageCount, pageImage, previewPpi, replacePageUrls } from "../components/rendered";

interface Pages {
  urls: (string | undefined)[];
  key: string; // the version whose pages in view are shown
  complete: string; // the version every page shows
}

export function Preview({ resumeId, renderKey, highlight }: { resumeId: string; renderKey: string; highlight?: { page: number; at: number } }) {
  const [pages, setPages] = useState<Pages>({ urls: [], key: "", complete: "" });
  const [failure, setFailure] = useState<string | null>(null);
  const current = useRef<(string | undefined)[]>([]);
  const knownPages = useRef(1);
  const visible = useRef(new Set<number>([1])); // 1-based pages at least partly in view
  const images = useRef<(HTMLElement | null)[]>([]);
  const scroller = useRef<HTMLDivElement>(null);

  // Which pages are in view: the next version renders those first.
  const observer = useRef<IntersectionObserver | null>(null);
  useEffect(() => {
    observer.current = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const page = Number((entry.target as HTMLElement).dataset.page);
          if (entry.isIntersecting) visible.current.add(page);
          else visible.current.delete(page);
        }
      },
      { root: scroller.current },
    );
    images.current.forEach((el) => el && observer.current?.observe(el));
    return () => observer.current?.disconnect();
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    const route = `/v1/resumes/${resumeId}/render`;
    const replace = (updates: Map<number, string>, count: number) => (current.current = replacePageUrls(current.current, updates, count));
    (async () => {
      try {
        const width = scroller.current ? Math.min(700, scroller.current.clientWidth - 32) : 600;
        const ppi = previewPpi(width, window.devicePixelRatio || 1);
        const inView = [...visible.current].filter((p) => p <= knownPages.current).sort((a, b) => a - b);
        const first = inView.length ? inView : [1];
        const answers = await Promise.all(first.map((p) => pageImage(route, p, ppi, abort.signal, p > 1)));
        const count = pageCount(answers.find((r) => r !== null));
        const seen = new Map<number, string>();
        const blobs = await Promise.all(answers.map((r) => r?.blob()));
        if (abort.signal.aborted) return;
        first.forEach((p, i) => {
          const blob = blobs[i];
          if (blob && p <= count) seen.set(p, URL.createObjectURL(blob));
        });
        knownPages.current = count;
        const rest = Array.from({ length: count }, (_, i) => i + 1).filter((p) => !seen.has(p));
        setPages({ urls: replace(seen, count), key: renderKey, complete: rest.length ? "" : renderKey });
        setFailure(null);
        // The pages out of view come from the same render on the server (a cache hit): fetch them after.
        if (!rest.length) return;
        const others = await Promise.all(rest.map((p) => pageImage(route, p, ppi, abort.signal, true)));
        const otherBlobs = await Promise.all(others.map((r) => r?.blob()));
        if (abort.signal.aborted) return;
        const later = new Map<number, string>();
        rest.forEach((p, i) => {
          const blob = otherBlobs[i];
          if (blob) later.set(p, URL.createObjectURL(blob));
        });
        setPages({ urls: replace(later, count), key: renderKey, complete: renderKey });
      } catch (error) {
        if (!abort.signal.aborted) setFailure(error instanceof Error ? error.message : "Preview failed.");
      }
    })();
    return () => abort.abort();
  }, [resumeId, renderKey]);

  useEffect(() => () => current.current.forEach((url) => url && URL.revokeObjectURL(url)), []);

  // An ATS finding asks to be shown: bring its page into view.
  useEffect(() => {
    const image = highlight ? images.current[highlight.page - 1] : null;
    // Scroll the preview pane only: the page around it stays where the reader left it.
    if (image) scroller.current?.scrollTo({ top: image.offsetTop - 16, behavior: "smooth" });
  }, [highlight]);

  const track = (index: number) => (el: HTMLElement | null) => {
    const before = images.current[index];
    if (before === el) return;
    if (before) observer.current?.unobserve(before);
    images.current[index] = el;
    if (el) observer.current?.observe(el);
  };

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
        data-rendered-all={pages.complete}
        tabIndex={0}
        aria-label={`Preview, ${pages.urls.length} page${pages.urls.length === 1 ? "" : "s"}`}
      >
        {pages.urls.map((url, index) =>
          url ? (
            <img
              key={index}
              ref={track(index)}
              data-page={index + 1}
              src={url}
              alt={`Page ${index + 1} of the resume`}
              data-highlighted={highlight?.page === index + 1 ? "true" : undefined}
              className={`mx-auto mb-4 w-full max-w-[700px] bg-white shadow ${highlight?.page === index + 1 ? "outline-4 outline-offset-4 outline-amber-500" : ""}`}
            />
          ) : (
            // A page the resume just grew to, still on its way: hold its place at a page's proportions.
            <div key={index} ref={track(index)} data-page={index + 1} className="mx-auto mb-4 aspect-[210/297] w-full max-w-[700px] bg-white shadow" />
          ),
        )}
      </div>
    </section>
  );
}
