import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, ApiError, must, problemText, type Schemas } from "../api/client";
import { Alert, Button, TextArea, TextInput } from "../components/ui";
import { corrections, formOf, joinList, splitList, type Requirements, type RequirementsForm } from "./requirements";
import { applicationEtag, canWrite, OrgHeader, useOrganization, usePosting, type Posting } from "./common";

const STATUS: Record<string, string> = { draft: "Draft", open: "Open", closed: "Closed", archived: "Archived" };

export function Jobs() {
  const { orgId } = useParams({ from: "/app/orgs/$orgId" });
  const me = useOrganization(orgId);
  const jobs = useQuery({
    queryKey: ["postings", orgId],
    queryFn: async () =>
      must(await api.GET("/v1/organizations/{org_id}/jobs", { params: { path: { org_id: orgId }, query: { limit: 100 } } }))
        .items as Posting[],
  });
  return (
    <div>
      <OrgHeader orgId={orgId} title="Jobs">
        {canWrite(me?.role) && (
          <Link
            to="/app/orgs/$orgId/jobs/new"
            params={{ orgId }}
            className="rounded-md bg-blue-700 px-3 py-2 text-sm font-semibold text-white hover:bg-blue-800"
          >
            New job
          </Link>
        )}
      </OrgHeader>
      {jobs.error && <Alert>{problemText(jobs.error)}</Alert>}
      {jobs.data?.length === 0 && <p>No jobs yet.</p>}
      <ul className="flex flex-col gap-2">
        {(jobs.data ?? []).map((job) => (
          <li key={job.id} className="flex flex-wrap items-center gap-3 rounded-md border border-slate-300 bg-white p-3">
            <Link
              to="/app/orgs/$orgId/jobs/$jobId"
              params={{ orgId, jobId: job.id }}
              className="font-semibold text-blue-800 underline"
            >
              {job.title}
            </Link>
            <span className="rounded bg-slate-200 px-2 text-sm">{STATUS[job.status] ?? job.status}</span>
            <span className="text-sm text-slate-800">{job.location}</span>
            <Link to="/app/orgs/$orgId/jobs/$jobId/edit" params={{ orgId, jobId: job.id }} className="text-sm text-blue-800 underline">
              Edit {job.title}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function NewJob() {
  return <JobEditor />;
}

export function EditJob() {
  const { orgId, jobId } = useParams({ from: "/app/orgs/$orgId/jobs/$jobId/edit" });
  const posting = usePosting(orgId, jobId);
  if (posting.error) return <Alert>{problemText(posting.error)}</Alert>;
  if (!posting.data) return <p>Loading…</p>;
  return <JobEditor posting={posting.data} />;
}

/** Create or edit a job. The requirements read from the description are shown, and what the recruiter
 * changes there is sent as `requirements` (which wins, field by field, over what was read). */
function JobEditor({ posting }: { posting?: Posting }) {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [title, setTitle] = useState(posting?.title ?? "");
  const [description, setDescription] = useState(posting?.description ?? "");
  const [location, setLocation] = useState(posting?.location ?? "");
  const [workplace, setWorkplace] = useState<string>(posting?.workplace ?? "onsite");
  const [employment, setEmployment] = useState<string>(posting?.employment_type ?? "full_time");
  const [blind, setBlind] = useState<boolean>(Boolean(posting?.blind?.enabled));
  const [criteria, setCriteria] = useState(joinList(posting?.scorecard_criteria));
  const [form, setForm] = useState<RequirementsForm>(formOf((posting?.effective ?? {}) as Requirements));
  // A save (or a colleague's change) reads the requirements again: show the new effective ones.
  useEffect(() => setForm(formOf((posting?.effective ?? {}) as Requirements)), [posting?.version, posting?.effective]);

  const save = useMutation({
    mutationFn: async () => {
      const fields = {
        title,
        description,
        location: location || null,
        workplace: workplace as Schemas["Workplace"],
        employment_type: employment as Schemas["EmploymentType"],
        blind: { enabled: blind, hide_schools: false },
        scorecard_criteria: splitList(criteria),
      };
      if (!posting) {
        return must(await api.POST("/v1/organizations/{org_id}/jobs", { params: { path: { org_id: orgId } }, body: fields })) as Posting;
      }
      return must(
        await api.PATCH("/v1/organizations/{org_id}/jobs/{posting_id}", {
          params: { path: { org_id: orgId, posting_id: posting.id } },
          headers: { "If-Match": applicationEtag(posting) },
          body: {
            ...fields,
            requirements: corrections(form, posting.extracted as Requirements, posting.requirements as Requirements) as Schemas["Requirements"],
          },
        }),
      ) as Posting;
    },
    onSuccess: async (next) => {
      queries.setQueryData(["posting", orgId, next.id], next);
      await queries.invalidateQueries({ queryKey: ["postings", orgId] });
      setSaved("Saved. The requirements below were read again.");
      if (!posting) await navigate({ to: "/app/orgs/$orgId/jobs/$jobId/edit", params: { orgId, jobId: next.id } });
    },
    onError: async (error) => {
      setSaved(null);
      if (error instanceof ApiError && error.status === 412) {
        setFailure("Someone else changed this job; it was loaded again. Check the fields and save once more.");
        await queries.invalidateQueries({ queryKey: ["posting", orgId, posting?.id] });
      } else setFailure(problemText(error));
    },
  });

  const transition = useMutation({
    mutationFn: async (to: "open" | "close" | "archive") => {
      if (!posting) return;
      const path = { org_id: orgId, posting_id: posting.id };
      const url = `/v1/organizations/{org_id}/jobs/{posting_id}/${to}` as const;
      return must(await api.POST(url, { params: { path } })) as Posting;
    },
    onSuccess: (next) => {
      if (next) queries.setQueryData(["posting", orgId, next.id], next);
      setFailure(null);
    },
    onError: (error) => setFailure(problemText(error)),
  });

  return (
    <div>
      <OrgHeader orgId={orgId} title={posting ? `Edit: ${posting.title}` : "New job"}>
        {posting && (
          <div className="flex gap-2">
            <span className="self-center rounded bg-slate-200 px-2 text-sm" data-testid="job-status">
              {STATUS[posting.status] ?? posting.status}
            </span>
            {posting.status !== "open" && posting.status !== "archived" && (
              <Button onClick={() => transition.mutate("open")}>Open for applications</Button>
            )}
            {posting.status === "open" && (
              <Button variant="secondary" onClick={() => transition.mutate("close")}>
                Close
              </Button>
            )}
            <Link
              to="/app/orgs/$orgId/jobs/$jobId"
              params={{ orgId, jobId: posting.id }}
              className="rounded-md border border-slate-400 bg-white px-3 py-2 text-sm font-semibold"
            >
              Applications
            </Link>
          </div>
        )}
      </OrgHeader>
      <form
        className="grid max-w-5xl gap-4 md:grid-cols-2"
        onSubmit={(event) => {
          event.preventDefault();
          setFailure(null);
          save.mutate();
        }}
      >
        <div className="flex flex-col gap-3">
          {failure && <Alert>{failure}</Alert>}
          {saved && <Alert tone="success">{saved}</Alert>}
          <TextInput label="Job title" value={title} onChange={(e) => setTitle(e.target.value)} required />
          <TextArea label="Description (Markdown)" rows={12} value={description} onChange={(e) => setDescription(e.target.value)} />
          <TextInput label="Location" value={location} onChange={(e) => setLocation(e.target.value)} />
          <div className="flex flex-col gap-1">
            <label htmlFor="workplace" className="text-sm font-semibold text-slate-800">
              Workplace
            </label>
            <select id="workplace" className="rounded-md border border-slate-500 bg-white px-2 py-2" value={workplace} onChange={(e) => setWorkplace(e.target.value)}>
              <option value="onsite">On site</option>
              <option value="hybrid">Hybrid</option>
              <option value="remote">Remote</option>
            </select>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="employment" className="text-sm font-semibold text-slate-800">
              Employment
            </label>
            <select id="employment" className="rounded-md border border-slate-500 bg-white px-2 py-2" value={employment} onChange={(e) => setEmployment(e.target.value)}>
              <option value="full_time">Full time</option>
              <option value="part_time">Part time</option>
              <option value="contract">Contract</option>
              <option value="temporary">Temporary</option>
              <option value="internship">Internship</option>
            </select>
          </div>
          <TextInput label="Scorecard criteria (comma-separated)" value={criteria} onChange={(e) => setCriteria(e.target.value)} />
          <label className="flex items-center gap-2 text-sm font-semibold">
            <input type="checkbox" checked={blind} onChange={(e) => setBlind(e.target.checked)} />
            Blind screening (hide who candidates are until shortlisted)
          </label>
          <Button type="submit" disabled={save.isPending} className="self-start">
            {posting ? "Save job" : "Create job"}
          </Button>
        </div>
        {posting && (
          <fieldset className="flex flex-col gap-3 rounded-md border border-slate-300 bg-white p-3">
            <legend className="px-1 text-lg font-semibold">Requirements</legend>
            <p className="text-sm text-slate-800">
              Read from the description; correct them here. What you change wins over what was read.
            </p>
            <dl className="text-sm" data-testid="extracted">
              <dt className="font-semibold">Read from the text</dt>
              <dd>
                Required: {joinList((posting.extracted as Requirements).required_skills) || "none"}; preferred:{" "}
                {joinList((posting.extracted as Requirements).preferred_skills) || "none"}
                {(posting.extracted as Requirements).years != null && `; ${(posting.extracted as Requirements).years} years`}
              </dd>
            </dl>
            <TextInput label="Required skills" value={form.required} onChange={(e) => setForm({ ...form, required: e.target.value })} />
            <TextInput label="Preferred skills" value={form.preferred} onChange={(e) => setForm({ ...form, preferred: e.target.value })} />
            <TextInput
              label="Years of experience"
              type="number"
              min={0}
              max={50}
              step="0.5"
              value={form.years}
              onChange={(e) => setForm({ ...form, years: e.target.value })}
            />
            {posting.unrecognised_skills.length > 0 && (
              <Alert tone="info">Not known to the scorer (shown, not scored): {posting.unrecognised_skills.join(", ")}</Alert>
            )}
          </fieldset>
        )}
      </form>
    </div>
  );
}
