import { Link, useParams } from "@tanstack/react-router";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, must, problemText } from "../api/client";
import { streamEvents } from "../api/events";
import { Alert } from "../components/ui";
import { SECTIONS } from "../editor/sections";

type Job = { status: string; progress: number; result?: Record<string, unknown> | null; error?: Record<string, unknown> | null };

const FINISHED = new Set(["succeeded", "failed", "cancelled", "dead", "gone"]);

export function ImportProgress() {
  const { jobId } = useParams({ from: "/app/import/$jobId" });
  const [job, setJob] = useState<Job | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    streamEvents(
      `/v1/jobs/${jobId}/events`,
      ({ event, data }) => {
        if (event === "job") setJob(data as unknown as Job);
      },
      abort.signal,
    )
      .then(async () => {
        // The stream ended: read the final state once (it carries the result or the error).
        setJob(must(await api.GET("/v1/jobs/{job_id}", { params: { path: { job_id: jobId } } })) as Job);
      })
      .catch((error) => {
        if (!abort.signal.aborted) setFailure(problemText(error, "Lost the connection to the import."));
      });
    return () => abort.abort();
  }, [jobId]);

  const resumeId = job?.status === "succeeded" ? (job.result?.resume_id as string | undefined) : undefined;
  const finished = job !== null && FINISHED.has(job.status);
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-4">
      <h1 className="text-2xl font-semibold">Importing your resume</h1>
      {failure && <Alert>{failure}</Alert>}
      {!finished && (
        <div>
          <p id="progress-label">Reading the file: {job ? `${job.status}, ${job.progress}%` : "queued"}</p>
          <progress aria-labelledby="progress-label" className="mt-2 w-full" max={100} value={job?.progress ?? 0} />
        </div>
      )}
      {finished && job.status !== "succeeded" && (
        <Alert>{problemText(job.error, "The file could not be imported.")}</Alert>
      )}
      {resumeId && <Review resumeId={resumeId} />}
    </div>
  );
}

const str = (value: unknown) => (typeof value === "string" ? value : "");

/** What the parser found, with what it could not find or was unsure about called out for checking. */
function Review({ resumeId }: { resumeId: string }) {
  const resume = useQuery({
    queryKey: ["resume", resumeId],
    queryFn: async () => must(await api.GET("/v1/resumes/{resume_id}", { params: { path: { resume_id: resumeId } } })) as {
      title: string;
      content: Record<string, unknown>;
    },
  });
  if (!resume.data) return <p>Loading what we found…</p>;
  const content = resume.data.content;
  const basics = (content.basics ?? {}) as Record<string, unknown>;
  const warnings: string[] = [];
  for (const [key, label] of [["name", "name"], ["email", "e-mail address"], ["phone", "phone number"]] as const) {
    if (!str(basics[key])) warnings.push(`No ${label} was found.`);
  }
  const work = Array.isArray(content.work) ? (content.work as Record<string, unknown>[]) : [];
  work.forEach((entry, index) => {
    if (!str(entry.startDate)) warnings.push(`Work entry ${index + 1} (${str(entry.name) || "no company"}) has no start date.`);
    if (!str(entry.position)) warnings.push(`Work entry ${index + 1} has no position.`);
  });
  if (!work.length) warnings.push("No work experience was recognised.");
  return (
    <section aria-labelledby="review" className="flex flex-col gap-4">
      <h2 id="review" className="text-xl font-semibold">
        Review what we found
      </h2>
      {warnings.length > 0 ? (
        <div role="status" className="rounded-md border-l-4 border-amber-600 bg-amber-50 p-3">
          <p className="font-semibold">Check these before you go on:</p>
          <ul className="ml-5 list-disc">
            {warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      ) : (
        <Alert tone="success">Everything we look for was found.</Alert>
      )}
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 rounded-lg border border-slate-300 bg-white p-4">
        <dt className="font-semibold">Name</dt>
        <dd>{str(basics.name) || <mark>missing</mark>}</dd>
        <dt className="font-semibold">E-mail</dt>
        <dd>{str(basics.email) || <mark>missing</mark>}</dd>
        <dt className="font-semibold">Phone</dt>
        <dd>{str(basics.phone) || <mark>missing</mark>}</dd>
        {SECTIONS.map((section) => {
          const items = Array.isArray(content[section.key]) ? (content[section.key] as Record<string, unknown>[]) : [];
          if (!items.length) return null;
          return (
            <div key={section.key} className="contents">
              <dt className="font-semibold">{section.label}</dt>
              <dd>{items.map((item) => section.title(item)).join("; ")}</dd>
            </div>
          );
        })}
      </dl>
      <Link
        to="/app/resumes/$resumeId"
        params={{ resumeId }}
        className="self-start rounded-md bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800"
      >
        Open in the editor
      </Link>
    </section>
  );
}
