import { Link, useParams } from "@tanstack/react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, authorizedFetch, must, problemText } from "../api/client";
import { streamEvents } from "../api/events";
import { Alert, Button, TextInput } from "../components/ui";
import { RejectionForm } from "./Triage";
import { LiveStatus, pollInterval, useLiveApplications, type LiveState } from "./live";
import { tagFilter } from "./workflow";
import { BlindBanner, candidateLabel, OrgHeader, Reasons, ScoreBadge, stageName, TagList, usePosting, type Application, type Posting } from "./common";

type Filters = { stage: string; min_score: string; skill: string; tag: string; q: string; shortlisted: boolean };
const NO_FILTERS: Filters = { stage: "", min_score: "", skill: "", tag: "", q: "", shortlisted: false };

/** A job's applications. A colleague's change arrives over the live subscription (`useLiveApplications`
 * re-reads the list); while that socket is down the list polls, slowly. */
export function useApplications(orgId: string, jobId: string, live: LiveState, filters: Filters = NO_FILTERS) {
  return useQuery({
    queryKey: ["applications", orgId, jobId, filters],
    refetchInterval: pollInterval(live),
    queryFn: async () =>
      must(
        await api.GET("/v1/organizations/{org_id}/jobs/{posting_id}/applications", {
          params: {
            path: { org_id: orgId, posting_id: jobId },
            query: {
              limit: 100,
              stage: filters.stage || undefined,
              min_score: filters.min_score ? Number(filters.min_score) : undefined,
              skill: filters.skill ? filters.skill.split(",").map((s) => s.trim()).filter(Boolean) : undefined,
              tag: tagFilter(filters.tag),
              q: filters.q || undefined,
              shortlisted: filters.shortlisted ? true : undefined,
            },
          },
        }),
      ).items,
  });
}

export function JobTabs({ orgId, posting, current }: { orgId: string; posting: Posting; current: "list" | "board" | "settings" }) {
  const tab = (active: boolean) =>
    `rounded-md px-3 py-2 text-sm font-semibold ${active ? "bg-blue-700 text-white" : "border border-slate-400 bg-white text-slate-900"}`;
  return (
    <nav aria-label="Views of the applications" className="flex gap-2">
      <Link to="/app/orgs/$orgId/jobs/$jobId" params={{ orgId, jobId: posting.id }} className={tab(current === "list")} aria-current={current === "list" ? "page" : undefined}>
        Ranked list
      </Link>
      <Link to="/app/orgs/$orgId/jobs/$jobId/pipeline" params={{ orgId, jobId: posting.id }} className={tab(current === "board")} aria-current={current === "board" ? "page" : undefined}>
        Pipeline
      </Link>
      <Link to="/app/orgs/$orgId/jobs/$jobId/edit" params={{ orgId, jobId: posting.id }} className={tab(false)}>
        Edit job
      </Link>
      <Link to="/app/orgs/$orgId/jobs/$jobId/settings" params={{ orgId, jobId: posting.id }} className={tab(current === "settings")} aria-current={current === "settings" ? "page" : undefined}>
        Stages and team
      </Link>
    </nav>
  );
}

export function RankedApplications() {
  const { orgId, jobId } = useParams({ from: "/app/orgs/$orgId/jobs/$jobId" });
  const posting = usePosting(orgId, jobId);
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const live = useLiveApplications(orgId, jobId);
  const applications = useApplications(orgId, jobId, live, filters);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  if (posting.error) return <Alert>{problemText(posting.error)}</Alert>;
  if (!posting.data) return <p>Loading…</p>;
  const items = applications.data ?? [];
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="flex flex-col gap-4">
      <OrgHeader orgId={orgId} title={`Applications: ${posting.data.title}`}>
        <JobTabs orgId={orgId} posting={posting.data} current="list" />
      </OrgHeader>
      <BlindBanner posting={posting.data} />
      <LiveStatus state={live} what="list" />
      <form
        aria-label="Filters"
        className="flex flex-wrap items-end gap-3 rounded-md border border-slate-300 bg-white p-3"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(draft);
        }}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor="filter-stage" className="text-sm font-semibold text-slate-800">
            Stage
          </label>
          <select id="filter-stage" className="rounded-md border border-slate-500 bg-white px-2 py-2" value={draft.stage} onChange={(e) => setDraft({ ...draft, stage: e.target.value })}>
            <option value="">Any</option>
            {posting.data.stages.map((stage) => (
              <option key={stage.id} value={stage.id}>
                {stage.name}
              </option>
            ))}
          </select>
        </div>
        <TextInput label="Minimum score" type="number" min={0} max={100} value={draft.min_score} onChange={(e) => setDraft({ ...draft, min_score: e.target.value })} />
        <TextInput label="Has skills" placeholder="Python, Docker" value={draft.skill} onChange={(e) => setDraft({ ...draft, skill: e.target.value })} />
        <TextInput label="Tagged (any of)" placeholder="remote, senior" value={draft.tag} onChange={(e) => setDraft({ ...draft, tag: e.target.value })} />
        <TextInput label="Search resumes and notes" value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
        <label className="flex items-center gap-2 text-sm font-semibold">
          <input type="checkbox" checked={draft.shortlisted} onChange={(e) => setDraft({ ...draft, shortlisted: e.target.checked })} />
          Shortlisted only
        </label>
        <Button type="submit">Apply filters</Button>
      </form>
      <div className="flex flex-wrap items-end gap-3">
        <BulkMoveBar orgId={orgId} posting={posting.data} selected={selected} onMoved={() => setSelected(new Set())} />
        <CsvExport orgId={orgId} jobId={jobId} />
      </div>
      {applications.error && <Alert>{problemText(applications.error)}</Alert>}
      {items.length === 0 && applications.isSuccess && <p>No applications match.</p>}
      <ol className="flex flex-col gap-2" aria-label="Ranked applications">
        {items.map((application, index) => (
          <RankedRow
            key={application.id}
            orgId={orgId}
            posting={posting.data}
            application={application}
            rank={index + 1}
            selected={selected.has(application.id)}
            onToggle={() => toggle(application.id)}
          />
        ))}
      </ol>
    </div>
  );
}

function RankedRow(props: { orgId: string; posting: Posting; application: Application; rank: number; selected: boolean; onToggle: () => void }) {
  const { orgId, posting, application, rank } = props;
  const label = candidateLabel(application);
  return (
    <li className="flex gap-3 rounded-md border border-slate-300 bg-white p-3" data-testid="ranked-row">
      <input type="checkbox" aria-label={`Select ${label}`} checked={props.selected} onChange={props.onToggle} className="mt-1" />
      <span className="w-8 text-sm text-slate-800">#{rank}</span>
      <ScoreBadge application={application} />
      <div className="flex flex-1 flex-col gap-1">
        <div className="flex flex-wrap items-center gap-2">
          <Link
            to="/app/orgs/$orgId/jobs/$jobId/applications/$applicationId"
            params={{ orgId, jobId: posting.id, applicationId: application.id }}
            className="font-semibold text-blue-800 underline"
          >
            {label}
          </Link>
          <span className="rounded bg-slate-200 px-2 text-sm">{stageName(posting, application.stage)}</span>
          {application.shortlisted && <span className="rounded bg-green-100 px-2 text-sm text-green-900">Shortlisted</span>}
          {application.years != null && <span className="text-sm">{application.years} years</span>}
          {application.rating?.average != null && <span className="text-sm">Rated {application.rating.average.toFixed(1)} / 5</span>}
          <TagList application={application} label={label} />
        </div>
        <Reasons application={application} />
        {application.snippet && <p className="text-sm text-slate-800">…{application.snippet.replaceAll("[[", "").replaceAll("]]", "")}…</p>}
      </div>
    </li>
  );
}

type Job = { id: string; status: string; progress: number };

/** CSV export: a job on the worker; its progress is followed over the job's event stream, then the file
 * is fetched with the session (the download URL needs the Authorization header) and handed to the browser. */
function CsvExport({ orgId, jobId }: { orgId: string; jobId: string }) {
  const [job, setJob] = useState<Job | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [href, setHref] = useState<string | null>(null);

  async function start() {
    setFailure(null);
    setHref(null);
    try {
      const response = await authorizedFetch(`/v1/organizations/${orgId}/jobs/${jobId}/applications/export`, {
        method: "POST",
        headers: { "Idempotency-Key": crypto.randomUUID() },
      });
      const body = await response.json();
      if (response.status !== 202) throw body;
      const download = response.headers.get("Location") ?? `/v1/organizations/${orgId}/jobs/${jobId}/applications/exports/${body.id}`;
      setJob(body as Job);
      let last = body as Job;
      await streamEvents(`/v1/jobs/${body.id}/events`, ({ event, data }) => {
        if (event === "job") {
          last = data as unknown as Job;
          setJob(last);
        }
      }, new AbortController().signal);
      const file = await authorizedFetch(download);
      if (!file.ok) throw await file.json();
      setJob({ ...last, status: "succeeded", progress: 100 });
      setHref(URL.createObjectURL(await file.blob()));
    } catch (error) {
      setFailure(problemText(error, "The export failed."));
      setJob(null);
    }
  }

  const running = job !== null && href === null;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button variant="secondary" onClick={start} disabled={running}>
        Export CSV
      </Button>
      {running && (
        <span className="flex items-center gap-2 text-sm">
          <span id="export-progress">Export: {job.status}, {job.progress}%</span>
          <progress aria-labelledby="export-progress" max={100} value={job.progress} />
        </span>
      )}
      {href && (
        <a href={href} download="applications.csv" className="text-sm font-semibold text-blue-800 underline">
          Download applications.csv
        </a>
      )}
      {failure && <Alert>{failure}</Alert>}
    </div>
  );
}

/** Move every selected application to one stage (all or nothing). */
export function BulkMoveBar(props: { orgId: string; posting: Posting; selected: Set<string>; onMoved: () => void }) {
  const { orgId, posting, selected } = props;
  const [target, setTarget] = useState(posting.stages[1]?.id ?? "applied");
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const queries = useQueryClient();
  const [rejecting, setRejecting] = useState(false);
  const bulk = useMutation({
    mutationFn: async (rejection_reason: string | null) =>
      must(
        await api.POST("/v1/organizations/{org_id}/jobs/{posting_id}/applications/bulk-move", {
          params: { path: { org_id: orgId, posting_id: posting.id } },
          body: { application_ids: [...selected], stage: target, rejection_reason },
        }),
      ),
    onSuccess: async (result) => {
      setFailure(null);
      setNotice(`Moved ${result.moved.length} to ${stageName(posting, target)}.`);
      props.onMoved();
      await queries.invalidateQueries({ queryKey: ["applications", orgId, posting.id] });
    },
    onError: (error) => {
      setNotice(null);
      setFailure(problemText(error));
    },
  });
  return (
    <div className="flex flex-wrap items-end gap-3">
      <div className="flex flex-col gap-1">
        <label htmlFor="bulk-stage" className="text-sm font-semibold text-slate-800">
          Move selected to
        </label>
        <select id="bulk-stage" className="rounded-md border border-slate-500 bg-white px-2 py-2" value={target} onChange={(e) => setTarget(e.target.value)}>
          {posting.stages.map((stage) => (
            <option key={stage.id} value={stage.id}>
              {stage.name}
            </option>
          ))}
        </select>
      </div>
      <Button disabled={selected.size === 0 || bulk.isPending} onClick={() => (target === "rejected" ? setRejecting(true) : bulk.mutate(null))}>
        Move {selected.size} selected
      </Button>
      {rejecting && (
        <RejectionForm
          candidate={`${selected.size} selected`}
          onReject={(reason) => {
            setRejecting(false);
            bulk.mutate(reason);
          }}
          onCancel={() => setRejecting(false)}
        />
      )}
      {failure && <Alert>{failure}</Alert>}
      {notice && <Alert tone="success">{notice}</Alert>}
    </div>
  );
}
