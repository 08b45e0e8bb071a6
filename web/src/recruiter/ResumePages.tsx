// The application's resume as the real document: the API's PNG pages (the job's blind redactions already
// applied), at the resolution they are displayed at. Page 1 comes first and says how many there are; the
// others are fetched as they come near the view. The text stays one click away for screen readers and copying.
import { useEffect, useRef, useState } from "react";
import { ApiError, authorizedFetch, problemText } from "../api/client";
import { pageCount, pageImage, previewPpi, replacePageUrls, saveFile } from "../components/rendered";
import { Alert, Button } from "../components/ui";

const NOT_READY_RETRY_MS = 4000;

type State = { kind: "loading" } | { kind: "shown" } | { kind: "not-ready" } | { kind: "failed"; message: string };

/** The width a page is shown at inside the scroller (its padding off, at most 700 CSS pixels). */
const pageWidth = (scroller: HTMLElement) => Math.min(700, Math.max(1, scroller.clientWidth - 24));

export function ResumePages(props: {
  route: string; // …/applications/{id}/resume
  label: string; // whose resume, for the images' text and the file name
  parsing: boolean; // the upload is still being read: a 409 is retried
  renderKey: string; // changes when what the reader may see changes (blind screening, shortlist)
  onNotReady: () => void; // re-read the application (it may have been parsed, or failed)
}) {
  const { route, label, parsing, renderKey, onNotReady } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const slots = useRef<(HTMLElement | null)[]>([]);
  const observer = useRef<IntersectionObserver | null>(null);
  const current = useRef<(string | undefined)[]>([]);
  const [urls, setUrls] = useState<(string | undefined)[]>([]);
  const [ppi, setPpi] = useState<number | null>(null);
  const [state, setState] = useState<State>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);
  const [download, setDownload] = useState<string | null>(null);

  // The displayed width decides the resolution; a resize that crosses a step of it asks for new pages.
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    // Not while hidden (nothing to show yet): a width of 0 would ask for the smallest raster.
    const measure = () => element.clientWidth > 0 && setPpi(previewPpi(pageWidth(element), window.devicePixelRatio || 1));
    measure();
    const resized = new ResizeObserver(measure);
    resized.observe(element);
    return () => resized.disconnect();
  }, []);

  useEffect(() => {
    if (ppi === null) return;
    const abort = new AbortController();
    const requested = new Set<number>();
    const fetchPage = async (page: number) => {
      if (requested.has(page)) return;
      requested.add(page);
      try {
        // A later page the document no longer has (it got shorter) is simply not shown.
        const response = await pageImage(route, page, ppi, abort.signal, page > 1);
        if (!response) return;
        const blob = await response.blob();
        if (abort.signal.aborted) return;
        current.current = replacePageUrls(current.current, new Map([[page, URL.createObjectURL(blob)]]), pageCount(response));
        setUrls(current.current);
        setState({ kind: "shown" });
      } catch (error) {
        if (abort.signal.aborted) return;
        requested.delete(page);
        if (error instanceof ApiError && error.status === 409) setState({ kind: "not-ready" });
        else setState({ kind: "failed", message: problemText(error, "The resume could not be shown.") });
      }
    };
    // Later pages load when they come within a screen of the view.
    observer.current = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) if (entry.isIntersecting) void fetchPage(Number((entry.target as HTMLElement).dataset.page));
      },
      { root: scroller.current, rootMargin: "100% 0px" },
    );
    slots.current.forEach((slot) => slot && observer.current?.observe(slot));
    void fetchPage(1);
    return () => {
      abort.abort();
      observer.current?.disconnect();
      observer.current = null;
    };
  }, [route, ppi, renderKey, attempt]);

  // Still being read: ask again a little later (and re-read the application, which says when parsing ended).
  useEffect(() => {
    if (state.kind !== "not-ready" || !parsing) return;
    const timer = setTimeout(() => {
      onNotReady();
      setAttempt((n) => n + 1);
    }, NOT_READY_RETRY_MS);
    return () => clearTimeout(timer);
  }, [state, parsing, onNotReady]);

  useEffect(() => () => current.current.forEach((url) => url && URL.revokeObjectURL(url)), []);

  const track = (index: number) => (element: HTMLElement | null) => {
    const before = slots.current[index];
    if (before === element) return;
    if (before) observer.current?.unobserve(before);
    slots.current[index] = element;
    if (element) observer.current?.observe(element);
  };

  async function downloadPdf() {
    setDownload(null);
    const response = await authorizedFetch(`${route}?format=pdf`);
    if (!response.ok) return setDownload(problemText(await response.json().catch(() => null), "The PDF could not be made."));
    await saveFile(response, `${label}.pdf`);
  }

  const count = urls.length;
  return (
    <div className="mt-2 flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" onClick={() => void downloadPdf()} disabled={state.kind === "not-ready"}>
          Download PDF
        </Button>
        <span className="text-sm text-slate-800" role="status">
          {state.kind === "loading" && "Rendering the resume…"}
          {state.kind === "shown" && `${count} page${count === 1 ? "" : "s"}`}
          {state.kind === "not-ready" &&
            (parsing
              ? "The uploaded file is still being read; its pages show here as soon as it is ready."
              : "The uploaded file could not be read, so there is no document to show.")}
        </span>
      </div>
      {state.kind === "failed" && <Alert>{state.message}</Alert>}
      {download && <Alert>{download}</Alert>}
      <div
        ref={scroller}
        className={`max-h-[80vh] overflow-y-auto rounded-md bg-slate-200 p-3 ${state.kind === "not-ready" || state.kind === "failed" ? "hidden" : ""}`}
        tabIndex={0}
        aria-label={`${label}'s resume, ${count} page${count === 1 ? "" : "s"}`}
        data-testid="resume-pages"
      >
        {urls.map((url, index) =>
          url ? (
            <img
              key={index}
              ref={track(index)}
              data-page={index + 1}
              src={url}
              alt={`Page ${index + 1} of ${count} of ${label}'s resume (the text is below)`}
              // A page's proportions until the image is decoded (then its own), so later pages start where they end up.
              className="mx-auto mb-3 w-full max-w-[700px] bg-white shadow [aspect-ratio:auto_210/297]"
            />
          ) : (
            // A later page, loaded when it nears the view: its place is held at a page's proportions.
            <div key={index} ref={track(index)} data-page={index + 1} className="mx-auto mb-3 aspect-[210/297] w-full max-w-[700px] bg-white shadow" />
          ),
        )}
      </div>
    </div>
  );
}
