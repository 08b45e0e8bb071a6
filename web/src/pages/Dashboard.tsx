import { Link, useNavigate } from "@tanstack/react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { api, authorizedFetch, must, problemText, type Schemas } from "../api/client";
import { LIST_URL, take } from "../api/prefetch";
import { Thumbnail } from "../components/PageImage";
import { Alert, Button } from "../components/ui";
import { SAMPLE_RESUME } from "../sample";

export function Dashboard() {
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [failure, setFailure] = useState<string | null>(null);
  const jsonInput = useRef<HTMLInputElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const list = useQuery({
    queryKey: ["resumes"],
    queryFn: async () => {
      const early = take(LIST_URL);
      const response = early ? await early : null;
      if (response?.ok) return (await response.json()) as Schemas["Page_ResumeSummary_"];
      return must(await api.GET("/v1/resumes", { params: { query: { limit: 100 } } }));
    },
  });

  const create = useMutation({
    mutationFn: async ({ title, content }: { title: string; content: Record<string, unknown> }) =>
      must(await api.POST("/v1/resumes", { body: { title, content } })),
    onSuccess: async (resume) => {
      await queries.invalidateQueries({ queryKey: ["resumes"] });
      await navigate({ to: "/app/resumes/$resumeId", params: { resumeId: resume.id } });
    },
    onError: (error) => setFailure(problemText(error)),
  });

  async function importJson(file: File) {
    setFailure(null);
    try {
      const content = JSON.parse(await file.text());
      const resume = must(await api.POST("/v1/resumes/import", { body: content }));
      await queries.invalidateQueries({ queryKey: ["resumes"] });
      await navigate({ to: "/app/resumes/$resumeId", params: { resumeId: resume.id } });
    } catch (error) {
      setFailure(error instanceof SyntaxError ? "That file is not valid JSON." : problemText(error));
    }
  }

  async function uploadFile(file: File) {
    setFailure(null);
    const form = new FormData();
    form.append("file", file);
    try {
      const response = await authorizedFetch("/v1/resumes/import-file", { method: "POST", body: form });
      const body = await response.json();
      if (response.status !== 202) throw body;
      await navigate({ to: "/app/import/$jobId", params: { jobId: body.id } });
    } catch (error) {
      setFailure(problemText(error, "The upload failed; check your connection and try again."));
    }
  }

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <h1 className="text-2xl font-semibold">My resumes</h1>
        <div className="flex flex-wrap gap-2">
          <Button onClick={() => create.mutate({ title: "Untitled resume", content: { basics: {} } })}>New blank resume</Button>
          <Button variant="secondary" onClick={() => create.mutate({ title: "Sample resume", content: SAMPLE_RESUME })}>
            Start from a sample
          </Button>
          <Button variant="secondary" onClick={() => fileInput.current?.click()}>
            Import PDF or Word
          </Button>
          <Button variant="secondary" onClick={() => jsonInput.current?.click()}>
            Import JSON Resume
          </Button>
          <input
            ref={fileInput}
            type="file"
            aria-label="Resume file to import (PDF, DOCX or text)"
            accept=".pdf,.docx,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain"
            className="sr-only"
            tabIndex={-1}
            onChange={(e) => e.target.files?.[0] && void uploadFile(e.target.files[0])}
          />
          <input
            ref={jsonInput}
            type="file"
            aria-label="JSON Resume file to import"
            accept=".json,application/json"
            className="sr-only"
            tabIndex={-1}
            onChange={(e) => e.target.files?.[0] && void importJson(e.target.files[0])}
          />
        </div>
      </div>
      {failure && <Alert>{failure}</Alert>}
      {list.isError && <Alert>{problemText(list.error)}</Alert>}
      {list.data && list.data.items.length === 0 && (
        <p className="text-slate-700">No resumes yet. Start blank, from the sample, or import the one you have.</p>
      )}
      <ul className="grid grid-cols-2 gap-4 md:grid-cols-4" aria-label="Resumes">
        {list.data?.items.map((resume) => (
          <li key={resume.id} className="rounded-lg border border-slate-300 bg-white p-3">
            <Link to="/app/resumes/$resumeId" params={{ resumeId: resume.id }} className="flex flex-col gap-2">
              <Thumbnail resumeId={resume.id} version={resume.version} title={resume.title} />
              <span className="font-semibold">{resume.title}</span>
              <span className="text-xs text-slate-700">Edited {new Date(resume.updated_at).toLocaleString()}</span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
