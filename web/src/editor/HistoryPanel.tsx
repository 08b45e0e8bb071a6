import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, must, problemText } from "../api/client";
import { Alert, Button } from "../components/ui";
import type { ResumeDoc } from "./history";
import { SECTIONS } from "./sections";

/** Saved versions: look at one, and bring it back as a new version (nothing is ever overwritten). */
export function HistoryPanel({
  resumeId,
  currentVersion,
  onRestored,
}: {
  resumeId: string;
  currentVersion: number;
  onRestored: (resume: { version: number; title: string; content: ResumeDoc }) => void;
}) {
  const [selected, setSelected] = useState<number | null>(null);
  const versions = useQuery({
    queryKey: ["versions", resumeId, currentVersion],
    queryFn: async () =>
      must(await api.GET("/v1/resumes/{resume_id}/versions", { params: { path: { resume_id: resumeId }, query: { limit: 100 } } })),
  });
  const version = useQuery({
    queryKey: ["version", resumeId, selected],
    enabled: selected !== null,
    queryFn: async () =>
      must(await api.GET("/v1/resumes/{resume_id}/versions/{number}", { params: { path: { resume_id: resumeId, number: selected as number } } })),
  });
  const restore = useMutation({
    mutationFn: async (number: number) =>
      must(await api.POST("/v1/resumes/{resume_id}/versions/{number}/restore", { params: { path: { resume_id: resumeId, number } } })),
    onSuccess: (resume) => {
      setSelected(null);
      onRestored({ version: resume.version, title: resume.title, content: resume.content as ResumeDoc });
    },
  });
  const content = (version.data?.content ?? {}) as Record<string, unknown>;
  const basics = (content.basics ?? {}) as Record<string, unknown>;
  return (
    <div className="flex flex-col gap-4">
      {versions.isError && <Alert>{problemText(versions.error)}</Alert>}
      {restore.isError && <Alert>{problemText(restore.error)}</Alert>}
      <ol className="flex flex-col gap-1" aria-label="Saved versions">
        {versions.data?.items.map((v) => (
          <li key={v.version} className="flex items-center justify-between gap-2 rounded-md border border-slate-300 bg-white px-3 py-2">
            <span>
              <span className="font-semibold">Version {v.version}</span>
              {v.version === currentVersion && " (current)"}
              <span className="block text-xs text-slate-700">{new Date(v.created_at).toLocaleString()}</span>
            </span>
            <Button variant="secondary" onClick={() => setSelected(v.version)} aria-pressed={selected === v.version}>
              Show version {v.version}
            </Button>
          </li>
        ))}
      </ol>
      {selected !== null && version.data && (
        <section aria-labelledby="version-heading" className="rounded-lg border border-slate-300 bg-white p-4">
          <h3 id="version-heading" className="text-lg font-semibold">
            Version {selected}: {version.data.title}
          </h3>
          <p>
            {String(basics.name ?? "")} {basics.label ? `· ${String(basics.label)}` : ""}
          </p>
          <ul className="mt-2 list-disc pl-5 text-sm">
            {SECTIONS.filter((s) => Array.isArray(content[s.key]) && (content[s.key] as unknown[]).length).map((s) => (
              <li key={s.key}>
                {s.label}: {(content[s.key] as Record<string, unknown>[]).map((e) => s.title(e)).join("; ")}
              </li>
            ))}
          </ul>
          {selected !== currentVersion && (
            <Button className="mt-3" onClick={() => restore.mutate(selected)} disabled={restore.isPending}>
              Restore version {selected}
            </Button>
          )}
        </section>
      )}
    </div>
  );
}
