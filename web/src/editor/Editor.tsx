import * as Dialog from "@radix-ui/react-dialog";
import * as Tabs from "@radix-ui/react-tabs";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { api, authorizedFetch, must, problemText } from "../api/client";
import { Alert, Button } from "../components/ui";
import { AtsPanel } from "./AtsPanel";
import { etag, initialSave, saveReducer } from "./autosave";
import { ContentForm } from "./ContentForm";
import { type Design, DesignPanel } from "./DesignPanel";
import { ExportPanel } from "./ExportPanel";
import { HistoryPanel } from "./HistoryPanel";
import { createHistory, type History, record, redo, type ResumeDoc, reset, undo } from "./history";
import { Preview } from "./Preview";

// Short: the preview must follow the last keystroke closely (its budget is 300 ms p95, of which the PNG
// render takes most); one save is in flight at a time, so typing never queues more than one more.
export const SAVE_DELAY_MS = 50;

interface Loaded {
  id: string;
  title: string;
  version: number;
  content: ResumeDoc;
}

export function EditorPage() {
  const { resumeId } = useParams({ from: "/app/resumes/$resumeId" });
  const resume = useQuery({
    queryKey: ["resume", resumeId],
    queryFn: async () => must(await api.GET("/v1/resumes/{resume_id}", { params: { path: { resume_id: resumeId } } })) as Loaded,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const design = useQuery({
    queryKey: ["design", resumeId],
    queryFn: async () => must(await api.GET("/v1/resumes/{resume_id}/design", { params: { path: { resume_id: resumeId } } })) as Design,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  if (resume.isError) return <Alert>{problemText(resume.error)}</Alert>;
  if (!resume.data || !design.data) return <p>Loading the editor…</p>;
  return <Editor key={resumeId} initial={resume.data} initialDesign={design.data} />;
}

function Editor({ initial, initialDesign }: { initial: Loaded; initialDesign: Design }) {
  const queries = useQueryClient();
  const [history, setHistory] = useState<History>(() => createHistory(initial.content));
  const [title, setTitle] = useState(initial.title);
  const [save, dispatch] = useReducer(saveReducer, initial.version, initialSave);
  const [design, setDesign] = useState<Design>(initialDesign);
  const [designVersion, setDesignVersion] = useState(0);
  const [tab, setTab] = useState("content");
  const [highlight, setHighlight] = useState<{ page: number; at: number } | undefined>(undefined);
  // The preview follows saved versions with nothing typed since: a version already overtaken by more
  // typing is not rendered, so the server's render time goes to the one the reader will see.
  // (Derived during render, React's pattern for state following other state: no extra commit.)
  const [previewVersion, setPreviewVersion] = useState(initial.version);
  if (save.status === "saved" && previewVersion !== save.version) setPreviewVersion(save.version);
  const latest = useRef({ doc: history.present, title, version: save.version });
  latest.current = { doc: history.present, title, version: save.version };

  const change = useCallback((next: ResumeDoc, key: string | null) => {
    setHistory((h) => record(h, next, key));
    dispatch({ type: "edit" });
  }, []);
  const step = useCallback((direction: "undo" | "redo") => {
    setHistory((h) => (direction === "undo" ? undo(h) : redo(h)));
    dispatch({ type: "edit" });
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (key === "z" || key === "y") {
        event.preventDefault();
        step(key === "y" || event.shiftKey ? "redo" : "undo");
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [step]);

  // Autosave: once typing pauses, PUT the document with If-Match; a 412 means another tab saved first.
  useEffect(() => {
    if (save.status !== "dirty" && save.status !== "error") return;
    const timer = setTimeout(
      async () => {
        const { doc, title: currentTitle, version } = latest.current;
        dispatch({ type: "start" });
        try {
          const result = await api.PUT("/v1/resumes/{resume_id}", {
            params: { path: { resume_id: initial.id } },
            headers: { "If-Match": etag(version) },
            body: { title: currentTitle.trim() || "Untitled resume", content: doc as never },
          });
          if (result.response.status === 412) {
            dispatch({ type: "conflict", message: "This resume was changed in another tab or on another device." });
            return;
          }
          const saved = must(result);
          dispatch({ type: "success", version: saved.version });
          void queries.invalidateQueries({ queryKey: ["resumes"] });
        } catch (error) {
          dispatch({ type: "failure", message: problemText(error, "Could not save; will retry.") });
        }
      },
      save.status === "error" ? 3000 : SAVE_DELAY_MS,
    );
    return () => clearTimeout(timer);
  }, [save.status, save.pending, history.present, title, initial.id, queries]);

  async function resolveConflict(keepMine: boolean) {
    const fresh = must(await api.GET("/v1/resumes/{resume_id}", { params: { path: { resume_id: initial.id } } })) as Loaded;
    if (!keepMine) {
      setHistory(reset(fresh.content));
      setTitle(fresh.title);
    }
    dispatch({ type: "resolved", version: fresh.version, dirty: keepMine });
  }

  const navigate = useNavigate();
  async function moveToTrash() {
    const { error } = await api.DELETE("/v1/resumes/{resume_id}", {
      params: { path: { resume_id: initial.id } },
      headers: { "If-Match": etag(latest.current.version) },
    });
    if (error) {
      dispatch({ type: "failure", message: problemText(error) });
      return;
    }
    await queries.invalidateQueries({ queryKey: ["resumes"] });
    await navigate({ to: "/app" });
  }

  const patchDesign = useCallback(
    async (patch: Partial<Design>) => {
      setDesign((d) => ({ ...d, ...patch }));
      const response = await authorizedFetch(`/v1/resumes/${initial.id}/design`, {
        method: "PATCH",
        headers: { "Content-Type": "application/merge-patch+json" },
        body: JSON.stringify(patch),
      });
      if (response.ok) {
        setDesign((await response.json()) as Design);
        setDesignVersion((v) => v + 1);
      }
    },
    [initial.id],
  );

  const ats = useQuery({
    queryKey: ["ats", initial.id, save.version],
    queryFn: async () => must(await api.GET("/v1/resumes/{resume_id}/ats-report", { params: { path: { resume_id: initial.id } } })),
    enabled: tab === "ats" && save.status === "saved",
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
  const bulletNotes = useMemo(() => {
    const notes = new Map<string, string[]>();
    for (const bullet of ats.data?.bullets.bullets ?? []) {
      if (bullet.findings.length) notes.set(bullet.text.trim(), bullet.findings.map((f) => `${f.message} ${f.suggestion}`.trim()));
    }
    return notes;
  }, [ats.data]);

  const statusText = {
    saved: "All changes saved",
    dirty: "Unsaved changes",
    saving: "Saving…",
    conflict: "Not saved: conflict",
    error: save.message ?? "Not saved",
  }[save.status];

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <Link to="/app" className="text-sm font-semibold text-blue-800 underline">
          ← My resumes
        </Link>
        <label htmlFor="resume-title" className="sr-only">
          Resume title
        </label>
        <input
          id="resume-title"
          value={title}
          onChange={(e) => {
            setTitle(e.target.value);
            dispatch({ type: "edit" });
          }}
          className="min-w-0 flex-1 rounded-md border border-slate-400 bg-white px-3 py-2 text-xl font-semibold"
        />
        <Button variant="secondary" onClick={() => step("undo")} disabled={history.past.length === 0} aria-keyshortcuts="Control+Z">
          Undo
        </Button>
        <Button variant="secondary" onClick={() => step("redo")} disabled={history.future.length === 0} aria-keyshortcuts="Control+Shift+Z">
          Redo
        </Button>
        <Button variant="ghost" onClick={() => void moveToTrash()}>
          Move to trash
        </Button>
        <p role="status" aria-live="polite" className="text-sm text-slate-800" data-testid="save-status" data-status={save.status}>
          {statusText}
        </p>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Tabs.Root value={tab} onValueChange={setTab} className="flex min-w-0 flex-col gap-3">
          <Tabs.List aria-label="Editor panels" className="flex gap-1 border-b border-slate-300">
            {[
              ["content", "Content"],
              ["design", "Design"],
              ["ats", "ATS check"],
              ["export", "Export & share"],
              ["history", "History"],
            ].map(([value, label]) => (
              <Tabs.Trigger
                key={value}
                value={value as string}
                className="rounded-t-md px-3 py-2 text-sm font-semibold text-slate-800 data-[state=active]:bg-blue-700 data-[state=active]:text-white"
              >
                {label}
              </Tabs.Trigger>
            ))}
          </Tabs.List>
          <div className="max-h-[calc(100vh-12rem)] overflow-y-auto pr-1">
            <Tabs.Content value="content">
              <ContentForm doc={history.present} onChange={change} bulletNotes={bulletNotes} />
            </Tabs.Content>
            <Tabs.Content value="design">
              <DesignPanel design={design} onPatch={(patch) => void patchDesign(patch)} />
            </Tabs.Content>
            <Tabs.Content value="ats">
              <AtsPanel
                resumeId={initial.id}
                report={ats.data}
                loading={ats.isFetching}
                failure={ats.error}
                onShowPage={(page) => setHighlight({ page, at: Date.now() })}
              />
            </Tabs.Content>
            <Tabs.Content value="export">
              <ExportPanel resumeId={initial.id} />
            </Tabs.Content>
            <Tabs.Content value="history">
              <HistoryPanel
                resumeId={initial.id}
                currentVersion={save.version}
                onRestored={(restored) => {
                  setHistory((h) => record(h, restored.content, null));
                  setTitle(restored.title);
                  dispatch({ type: "resolved", version: restored.version, dirty: false });
                }}
              />
            </Tabs.Content>
          </div>
        </Tabs.Root>
        <div className="h-[calc(100vh-10rem)] min-w-0">
          <Preview resumeId={initial.id} renderKey={`v${previewVersion}-d${designVersion}`} highlight={highlight} />
        </div>
      </div>
      <Dialog.Root open={save.status === "conflict"}>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 bg-slate-900/60" />
          <Dialog.Content className="fixed left-1/2 top-1/2 w-[min(32rem,90vw)] -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl">
            <Dialog.Title className="text-xl font-semibold">This resume changed elsewhere</Dialog.Title>
            <Dialog.Description className="mt-2 text-slate-800">
              {save.message} Your latest edits are not saved yet. Load the other version (your unsaved edits are discarded; older
              versions stay in the history) or keep yours and overwrite it.
            </Dialog.Description>
            <div className="mt-4 flex gap-3">
              <Button onClick={() => void resolveConflict(false)}>Load the latest version</Button>
              <Button variant="secondary" onClick={() => void resolveConflict(true)}>
                Keep mine
              </Button>
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </div>
  );
}
