import { Link, useNavigate, useParams, useSearch } from "@tanstack/react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, must, problemText } from "../api/client";
import { Alert, Button } from "../components/ui";

/** Apply to a job with one of my resumes (the careers page links here with the job's id and title). */
export function ApplyWithResume() {
  const { postingId } = useParams({ from: "/app/apply/$postingId" });
  const { title } = useSearch({ from: "/app/apply/$postingId" });
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [resumeId, setResumeId] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const resumes = useQuery({
    queryKey: ["resumes"],
    queryFn: async () => must(await api.GET("/v1/resumes", { params: { query: { limit: 100 } } })),
  });
  const apply = useMutation({
    mutationFn: async () =>
      must(
        await api.POST("/v1/applications", {
          body: { posting_id: postingId, resume_id: resumeId ?? "" },
          headers: { "Idempotency-Key": crypto.randomUUID() },
        }),
      ),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ["my-applications"] });
      await navigate({ to: "/app/applications", search: { applied: title ?? "the job" } });
    },
    onError: (error) => setFailure(problemText(error)),
  });
  const items = resumes.data?.items ?? [];
  return (
    <form
      className="mx-auto flex max-w-2xl flex-col gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        setFailure(null);
        apply.mutate();
      }}
    >
      <h1 className="text-2xl font-semibold">Apply{title ? `: ${title}` : ""}</h1>
      <p>The employer receives a copy of the resume as it is now; later edits stay yours.</p>
      {failure && <Alert>{failure}</Alert>}
      {items.length === 0 && resumes.isSuccess && (
        <p>
          You have no resume yet.{" "}
          <Link to="/app" className="text-blue-800 underline">
            Create one
          </Link>{" "}
          first.
        </p>
      )}
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-2 font-semibold">Which resume?</legend>
        {items.map((resume) => (
          <label key={resume.id} className="flex items-center gap-2 rounded-md border border-slate-300 bg-white p-3">
            <input type="radio" name="resume" value={resume.id} checked={resumeId === resume.id} onChange={() => setResumeId(resume.id)} required />
            {resume.title}
          </label>
        ))}
      </fieldset>
      <Button type="submit" disabled={!resumeId || apply.isPending} className="self-start">
        Send application
      </Button>
    </form>
  );
}

const FINAL = new Set(["hired", "rejected"]);

/** My applications, their stage as the employer names it, and withdrawing. */
export function MyApplications() {
  const { applied } = useSearch({ from: "/app/applications" });
  const queries = useQueryClient();
  const [failure, setFailure] = useState<string | null>(null);
  const mine = useQuery({
    queryKey: ["my-applications"],
    queryFn: async () => must(await api.GET("/v1/applications", { params: { query: { limit: 100 } } })).items,
  });
  const withdraw = useMutation({
    mutationFn: async (id: string) =>
      must(await api.POST("/v1/applications/{application_id}/withdraw", { params: { path: { application_id: id } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["my-applications"] }),
    onError: (error) => setFailure(problemText(error)),
  });
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">My applications</h1>
      {applied && <Alert tone="success">Your application to {applied} was sent.</Alert>}
      {failure && <Alert>{failure}</Alert>}
      {mine.data?.length === 0 && <p>You have not applied to a job yet.</p>}
      <ul className="flex flex-col gap-2">
        {(mine.data ?? []).map((application) => (
          <li key={application.id} className="flex flex-wrap items-center gap-3 rounded-md border border-slate-300 bg-white p-3" data-testid="my-application">
            <span className="font-semibold">{application.job_title}</span>
            <span>at {application.organization}</span>
            <span className="rounded bg-slate-200 px-2 text-sm">{application.withdrawn_at ? "Withdrawn" : application.stage_name}</span>
            <span className="text-sm text-slate-800">applied {new Date(application.created_at).toLocaleDateString()}</span>
            {!application.withdrawn_at && !FINAL.has(application.stage) && (
              <Button
                variant="secondary"
                aria-label={`Withdraw from ${application.job_title}`}
                onClick={() => {
                  setFailure(null);
                  if (window.confirm(`Withdraw your application to ${application.job_title}?`)) withdraw.mutate(application.id);
                }}
              >
                Withdraw
              </Button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
