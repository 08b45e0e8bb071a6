import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { api, must, problemText } from "../api/client";
import { Alert, Button } from "../components/ui";

export function Trash() {
  const queries = useQueryClient();
  const trash = useQuery({
    queryKey: ["resumes", "trash"],
    queryFn: async () => must(await api.GET("/v1/resumes", { params: { query: { deleted: true, limit: 100 } } })),
  });
  const restore = useMutation({
    mutationFn: async (id: string) => must(await api.POST("/v1/resumes/{resume_id}/restore", { params: { path: { resume_id: id } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["resumes"] }),
  });
  return (
    <div className="flex flex-col gap-4">
      <Link to="/app" className="text-sm font-semibold text-blue-800 underline">
        ← My resumes
      </Link>
      <h1 className="text-2xl font-semibold">Trash</h1>
      {(trash.isError || restore.isError) && <Alert>{problemText(trash.error ?? restore.error)}</Alert>}
      {trash.data?.items.length === 0 && <p>The trash is empty.</p>}
      <ul className="flex flex-col gap-2" aria-label="Deleted resumes">
        {trash.data?.items.map((resume) => (
          <li key={resume.id} className="flex items-center justify-between rounded-md border border-slate-300 bg-white px-3 py-2">
            <span>
              <span className="font-semibold">{resume.title}</span>
              <span className="block text-xs text-slate-700">Deleted {new Date(resume.deleted_at ?? resume.updated_at).toLocaleString()}</span>
            </span>
            <Button variant="secondary" onClick={() => restore.mutate(resume.id)}>
              Restore {resume.title}
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}
