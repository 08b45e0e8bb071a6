import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, authorizedFetch, must, problemText } from "../api/client";
import { fileName, saveFile } from "../components/rendered";
import { Alert, Button, TextInput } from "../components/ui";

const FORMATS = [
  ["pdf", "PDF"],
  ["docx", "Word (DOCX)"],
  ["html", "Web page (HTML)"],
  ["txt", "Plain text"],
  ["md", "Markdown"],
  ["json", "JSON Resume"],
] as const;

export function ExportPanel({ resumeId }: { resumeId: string }) {
  const [failure, setFailure] = useState<string | null>(null);
  async function download(format: string) {
    setFailure(null);
    const response = await authorizedFetch(`/v1/resumes/${resumeId}/render?format=${format}&download=true`);
    if (!response.ok) {
      setFailure(problemText(await response.json().catch(() => null), "The export failed."));
      return;
    }
    await saveFile(response, fileName(response, `resume.${format}`));
  }
  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby="export-heading" className="flex flex-col gap-2">
        <h3 id="export-heading" className="text-lg font-semibold">
          Export
        </h3>
        {failure && <Alert>{failure}</Alert>}
        <div className="flex flex-wrap gap-2">
          {FORMATS.map(([format, label]) => (
            <Button key={format} variant="secondary" onClick={() => void download(format)}>
              {label}
            </Button>
          ))}
        </div>
      </section>
      <Shares resumeId={resumeId} />
    </div>
  );
}

function Shares({ resumeId }: { resumeId: string }) {
  const queries = useQueryClient();
  const key = ["shares", resumeId];
  const [created, setCreated] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const shares = useQuery({
    queryKey: key,
    queryFn: async () => must(await api.GET("/v1/resumes/{resume_id}/shares", { params: { path: { resume_id: resumeId } } })),
  });
  const { register, handleSubmit } = useForm<{ expires: string; pdf: boolean }>({ defaultValues: { expires: "", pdf: true } });
  const create = useMutation({
    mutationFn: async ({ expires, pdf }: { expires: string; pdf: boolean }) =>
      must(
        await api.POST("/v1/resumes/{resume_id}/shares", {
          params: { path: { resume_id: resumeId } },
          body: { formats: pdf ? ["html", "pdf"] : ["html"], expires_at: expires ? new Date(`${expires}T23:59:59`).toISOString() : null },
        }),
      ),
    onSuccess: async (share) => {
      setCreated(new URL(share.urls.html ?? "", window.location.origin).toString());
      setCopied(false);
      await queries.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: async (shareId: string) => {
      const { error } = await api.DELETE("/v1/resumes/{resume_id}/shares/{share_id}", {
        params: { path: { resume_id: resumeId, share_id: shareId } },
      });
      if (error) throw error;
    },
    onSuccess: () => queries.invalidateQueries({ queryKey: key }),
  });
  return (
    <section aria-labelledby="share-heading" className="flex flex-col gap-3">
      <h3 id="share-heading" className="text-lg font-semibold">
        Share links
      </h3>
      <form className="flex flex-wrap items-end gap-3" onSubmit={handleSubmit((values) => create.mutate(values))}>
        <TextInput label="Expires on (optional)" type="date" {...register("expires")} />
        <label className="flex items-center gap-2 text-sm font-semibold">
          <input type="checkbox" {...register("pdf")} /> Allow PDF download
        </label>
        <Button type="submit" disabled={create.isPending}>
          Create link
        </Button>
      </form>
      {create.isError && <Alert>{problemText(create.error)}</Alert>}
      {created && (
        <div className="flex flex-wrap items-center gap-2 rounded-md border border-green-700 bg-green-50 p-3" role="status">
          <span className="text-sm">New link (shown once):</span>
          <a href={created} className="break-all font-mono text-sm text-blue-800 underline" data-testid="share-url">
            {created}
          </a>
          <Button
            variant="secondary"
            onClick={async () => {
              await navigator.clipboard?.writeText(created).catch(() => undefined);
              setCopied(true);
            }}
          >
            {copied ? "Copied" : "Copy"}
          </Button>
        </div>
      )}
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Existing share links</caption>
        <thead>
          <tr>
            <th scope="col">Link</th>
            <th scope="col">Status</th>
            <th scope="col">Views</th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shares.data?.map((share) => (
            <tr key={share.id} className="border-t border-slate-300">
              <td className="font-mono">{share.display_prefix}…</td>
              <td>{share.status}</td>
              <td>{share.view_count}</td>
              <td>{share.expires_at ? new Date(share.expires_at).toLocaleDateString() : "never"}</td>
              <td>
                {share.status === "active" && (
                  <Button variant="ghost" onClick={() => revoke.mutate(share.id)}>
                    Revoke {share.display_prefix}
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
