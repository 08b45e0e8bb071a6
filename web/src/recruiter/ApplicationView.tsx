import { useParams } from "@tanstack/react-router";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { api, ApiError, authorizedFetch, must, problemText } from "../api/client";
import { Alert, Button, TextArea } from "../components/ui";
import { LiveStatus, useLiveApplication } from "./live";
import { JobTabs } from "./Ranked";
import { applicationEtag, BlindBanner, candidateLabel, OrgHeader, ScoreBadge, stageName, usePosting, type ApplicationDetail, type Posting } from "./common";
import { ResumePages } from "./ResumePages";
import { ResumePreview } from "./ResumePreview";
import { RejectionForm, RejectionNote, ScoreOverride, Tags } from "./Triage";

type Reason = { skill?: string; evidence?: string };

export function ApplicationView() {
  const { orgId, jobId, applicationId } = useParams({ from: "/app/orgs/$orgId/jobs/$jobId/applications/$applicationId" });
  const posting = usePosting(orgId, jobId);
  const queries = useQueryClient();
  // A colleague's note, move, tags or override shows here without a reload.
  const live = useLiveApplication(orgId, jobId, applicationId);
  const path = { org_id: orgId, posting_id: jobId, application_id: applicationId };
  const detail = useQuery({
    queryKey: ["application", applicationId],
    queryFn: async () =>
      must(await api.GET("/v1/organizations/{org_id}/jobs/{posting_id}/applications/{application_id}", { params: { path } })) as ApplicationDetail,
  });
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const reread = useCallback(() => void queries.invalidateQueries({ queryKey: ["application", applicationId] }), [queries, applicationId]);
  const refresh = async () => {
    await queries.invalidateQueries({ queryKey: ["application", applicationId] });
    await queries.invalidateQueries({ queryKey: ["timeline", applicationId] });
    await queries.invalidateQueries({ queryKey: ["applications", orgId, jobId] });
  };
  /** Run a change; a 412 or 409 means someone else changed the application since it was read. */
  const act = async (change: () => Promise<unknown>, done: string) => {
    setFailure(null);
    setNotice(null);
    try {
      await change();
      setNotice(done);
    } catch (error) {
      setFailure(
        error instanceof ApiError && (error.status === 412 || error.status === 409)
          ? "Someone else changed this application since you opened it; it has been loaded again. Check and try once more."
          : problemText(error),
      );
    }
    await refresh();
  };

  if (posting.error || detail.error) return <Alert>{problemText(posting.error ?? detail.error)}</Alert>;
  if (!posting.data || !detail.data) return <p>Loading…</p>;
  const job = posting.data;
  const application = detail.data;
  const explanation = (application.explanation ?? {}) as { matched_required?: Reason[]; missing_required?: string[]; matched_preferred?: Reason[]; seniority?: string };
  const etag = { "If-Match": applicationEtag(application) };
  const moveTo = (stage: string, rejection_reason: string | null) =>
    act(
      async () =>
        must(
          await api.POST("/v1/organizations/{org_id}/jobs/{posting_id}/applications/{application_id}/move", {
            params: { path },
            headers: etag,
            body: { stage, rejection_reason },
          }),
        ),
      `Moved to ${stageName(job, stage)}.`,
    );

  return (
    <div className="flex flex-col gap-4">
      <OrgHeader orgId={orgId} title={candidateLabel(application)}>
        <JobTabs orgId={orgId} posting={job} current="list" />
      </OrgHeader>
      <BlindBanner posting={job} />
      {application.blinded && <p className="text-sm font-semibold text-violet-950">Identity hidden (blind screening).</p>}
      <LiveStatus state={live} what="application" />
      {failure && <Alert>{failure}</Alert>}
      {notice && <Alert tone="success">{notice}</Alert>}
      <div className="flex flex-wrap items-end gap-3">
        <ScoreBadge application={application} />
        <span>Stage: {stageName(job, application.stage)}</span>
        <div className="flex flex-col gap-1">
          <label htmlFor="move-stage" className="text-sm font-semibold text-slate-800">
            Move to
          </label>
          <select
            id="move-stage"
            className="rounded-md border border-slate-500 bg-white px-2 py-2"
            value={application.stage}
            onChange={(event) => {
              const stage = event.target.value;
              if (stage === "rejected") return setRejecting(true); // asks why first
              void moveTo(stage, null);
            }}
          >
            {job.stages.map((stage) => (
              <option key={stage.id} value={stage.id}>
                {stage.name}
              </option>
            ))}
          </select>
        </div>
        <Button
          variant="secondary"
          onClick={() =>
            act(
              async () =>
                must(
                  await api.PATCH("/v1/organizations/{org_id}/jobs/{posting_id}/applications/{application_id}", {
                    params: { path },
                    headers: etag,
                    body: { shortlisted: !application.shortlisted },
                  }),
                ),
              application.shortlisted ? "Taken off the shortlist." : "Shortlisted.",
            )
          }
        >
          {application.shortlisted ? "Remove from shortlist" : "Add to shortlist"}
        </Button>
        {application.source === "upload" && !application.blinded && <FileLink path={path} />}
      </div>
      {rejecting && (
        <RejectionForm
          candidate={candidateLabel(application)}
          onReject={(reason) => {
            setRejecting(false);
            void moveTo("rejected", reason);
          }}
          onCancel={() => setRejecting(false)}
        />
      )}
      <RejectionNote application={application} />
      <div className="grid gap-4 lg:grid-cols-2">
        <section aria-labelledby="resume" className="rounded-md border border-slate-300 bg-white p-3">
          <h2 id="resume" className="text-lg font-semibold">
            Resume
          </h2>
          <ResumePages
            route={`/v1/organizations/${orgId}/jobs/${jobId}/applications/${applicationId}/resume`}
            label={candidateLabel(application)}
            parsing={application.status === "parsing"}
            renderKey={`${application.status}:${application.blinded}:${job.blind?.enabled}:${job.blind?.hide_schools}`}
            onNotReady={reread}
          />
          <details className="mt-3">
            <summary className="cursor-pointer text-sm font-semibold text-blue-800 underline">The resume as text</summary>
            <ResumePreview resume={application.resume} />
          </details>
        </section>
        <div className="flex flex-col gap-4">
          <section aria-labelledby="why" className="rounded-md border border-slate-300 bg-white p-3">
            <h2 id="why" className="text-lg font-semibold">
              Why this score
            </h2>
            <ul className="mt-2 flex flex-col gap-1 text-sm">
              {(explanation.matched_required ?? []).map((reason) => (
                <li key={reason.skill}>
                  <strong>{reason.skill}</strong>: {reason.evidence}
                </li>
              ))}
              {(explanation.missing_required ?? []).length > 0 && <li>Missing: {explanation.missing_required?.join(", ")}</li>}
              {explanation.seniority && <li>{explanation.seniority}</li>}
            </ul>
          </section>
          <ScoreOverride path={path} application={application} act={act} />
          <Tags path={path} tags={application.tags ?? []} act={act} />
          <Rating path={path} mine={application.rating?.mine ?? null} average={application.rating?.average ?? null} act={act} />
          <Notes path={path} act={act} />
          <Scorecard path={path} stage={application.stage} posting={job} act={act} />
          <Timeline path={path} />
        </div>
      </div>
    </div>
  );
}

type Path = { org_id: string; posting_id: string; application_id: string };
type Act = (change: () => Promise<unknown>, done: string) => Promise<void>;

function FileLink({ path }: { path: Path }) {
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <>
      <Button
        variant="ghost"
        onClick={async () => {
          const response = await authorizedFetch(`/v1/organizations/${path.org_id}/jobs/${path.posting_id}/applications/${path.application_id}/file`);
          if (!response.ok) return setFailure(problemText(await response.json()));
          window.open(URL.createObjectURL(await response.blob()), "_blank", "noopener");
        }}
      >
        Open the uploaded file
      </Button>
      {failure && <Alert>{failure}</Alert>}
    </>
  );
}

function Rating({ path, mine, average, act }: { path: Path; mine: number | null; average: number | null; act: Act }) {
  const [chosen, setChosen] = useState(mine); // checked at once, not when the answer comes back
  return (
    <fieldset className="rounded-md border border-slate-300 bg-white p-3">
      <legend className="px-1 text-lg font-semibold">Your rating</legend>
      <p className="text-sm">{average == null ? "No ratings yet." : `Average ${average.toFixed(1)} / 5`}</p>
      <div className="mt-2 flex gap-3">
        {[1, 2, 3, 4, 5].map((value) => (
          <label key={value} className="flex items-center gap-1 text-sm">
            <input
              type="radio"
              name="rating"
              checked={chosen === value}
              onChange={() => {
                setChosen(value);
                void act(
                  async () =>
                    must(await api.PUT("/v1/organizations/{org_id}/jobs/{posting_id}/applications/{application_id}/rating", { params: { path }, body: { rating: value } })),
                  `Rated ${value} of 5.`,
                );
              }}
            />
            {value}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function Notes({ path, act }: { path: Path; act: Act }) {
  const [body, setBody] = useState("");
  const notes = useQuery({
    queryKey: ["notes", path.application_id],
    queryFn: async () =>
      must(await api.GET("/v1/organizations/{org_id}/jobs/{posting_id}/applications/{application_id}/notes", { params: { path, query: { limit: 100 } } })).items,
  });
  const queries = useQueryClient();
  return (
    <section aria-labelledby="notes" className="rounded-md border border-slate-300 bg-white p-3">
      <h2 id="notes" className="text-lg font-semibold">
        Notes
      </h2>
      <ul className="mt-2 flex flex-col gap-2 text-sm" data-testid="notes">
        {(notes.data ?? []).map((note) => (
          <li key={note.id} className="rounded bg-slate-100 p-2">
            {note.body}
          </li>
        ))}
      </ul>
      <form
        className="mt-2 flex flex-col gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          void act(async () => {
            must(await api.POST("/v1/organizations/{org_id}/jobs/{posting_id}/applications/{application_id}/notes", { params: { path }, body: { body } }));
            setBody("");
            await queries.invalidateQueries({ queryKey: ["notes", path.application_id] });
          }, "Note added.");
        }}
      >
        <TextArea label="New note (@name@example.com mentions a colleague)" rows={3} value={body} onChange={(e) => setBody(e.target.value)} required />
        <Button type="submit" className="self-start">
          Add note
        </Button>
      </form>
    </section>
  );
}

function Scorecard(props: { path: Path; stage: string; posting: Posting; act: Act }) {
  const { path, stage, posting, act } = props;
  const criteria = posting.scorecard_criteria;
  const [values, setValues] = useState<Record<string, number>>({});
  const [summary, setSummary] = useState("");
  const cards = useQuery({
    queryKey: ["scorecards", path.application_id],
    queryFn: async () =>
      must(await api.GET("/v1/organizations/{org_id}/jobs/{posting_id}/applications/{application_id}/scorecards", { params: { path } })),
  });
  const queries = useQueryClient();
  if (criteria.length === 0) return null;
  return (
    <section aria-labelledby="scorecard" className="rounded-md border border-slate-300 bg-white p-3">
      <h2 id="scorecard" className="text-lg font-semibold">
        Scorecard for {stageName(posting, stage)}
      </h2>
      <ul className="text-sm" aria-label="Filed scorecards">
        {(cards.data ?? []).map((card) => (
          <li key={`${card.user_id}-${card.stage}`}>
            {stageName(posting, card.stage)}: {Object.entries(card.criteria).map(([name, value]) => `${name} ${value}`).join(", ")}
            {card.summary ? ` — ${card.summary}` : ""}
          </li>
        ))}
      </ul>
      <form
        className="mt-2 flex flex-col gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          void act(async () => {
            must(
              await api.PUT("/v1/organizations/{org_id}/jobs/{posting_id}/applications/{application_id}/scorecards/{stage}", {
                params: { path: { ...path, stage } },
                body: { criteria: values, summary: summary || null },
              }),
            );
            await queries.invalidateQueries({ queryKey: ["scorecards", path.application_id] });
          }, "Scorecard saved.");
        }}
      >
        {criteria.map((criterion) => (
          <div key={criterion} className="flex items-center gap-2">
            <label htmlFor={`criterion-${criterion}`} className="w-40 text-sm font-semibold">
              {criterion}
            </label>
            <select
              id={`criterion-${criterion}`}
              className="rounded border border-slate-500 bg-white px-1"
              value={values[criterion] ?? ""}
              onChange={(event) => setValues({ ...values, [criterion]: Number(event.target.value) })}
              required
            >
              <option value="" disabled>
                –
              </option>
              {[1, 2, 3, 4, 5].map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </div>
        ))}
        <TextArea label="Summary" rows={2} value={summary} onChange={(e) => setSummary(e.target.value)} />
        <Button type="submit" className="self-start">
          Save scorecard
        </Button>
      </form>
    </section>
  );
}

function Timeline({ path }: { path: Path }) {
  const timeline = useQuery({
    queryKey: ["timeline", path.application_id],
    queryFn: async () =>
      must(await api.GET("/v1/organizations/{org_id}/jobs/{posting_id}/applications/{application_id}/timeline", { params: { path } })),
  });
  return (
    <section aria-labelledby="timeline" className="rounded-md border border-slate-300 bg-white p-3">
      <h2 id="timeline" className="text-lg font-semibold">
        Timeline
      </h2>
      <ol className="mt-2 flex flex-col gap-1 text-sm" data-testid="timeline">
        {(timeline.data ?? []).map((entry, index) => (
          <li key={`${entry.at}-${index}`}>
            <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>: {entry.summary}
          </li>
        ))}
      </ol>
    </section>
  );
}
