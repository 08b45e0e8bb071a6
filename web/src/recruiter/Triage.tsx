// Triage on one application: its tags, the recruiter's score override, and why it was rejected.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { api, must } from "../api/client";
import { Alert, Button, TextInput } from "../components/ui";
import { applicationEtag, type ApplicationDetail } from "./common";
import { addTags, parseOverride, scoreView } from "./workflow";

type Path = { org_id: string; posting_id: string; application_id: string };
type Act = (change: () => Promise<unknown>, done: string) => Promise<void>;

export function Tags({ path, tags, act }: { path: Path; tags: string[]; act: Act }) {
  const [typed, setTyped] = useState("");
  const [refused, setRefused] = useState<string | null>(null);
  const queries = useQueryClient();
  const save = (next: string[], done: string) =>
    act(async () => {
      must(await api.PUT("/v1/organizations/{org_id}/jobs/{posting_id}/applications/{application_id}/tags", { params: { path }, body: { tags: next } }));
      await queries.invalidateQueries({ queryKey: ["applications", path.org_id, path.posting_id] });
    }, done);
  return (
    <section aria-labelledby="tags" className="rounded-md border border-slate-300 bg-white p-3">
      <h2 id="tags" className="text-lg font-semibold">
        Tags
      </h2>
      {tags.length === 0 ? (
        <p className="text-sm text-slate-800">No tags yet.</p>
      ) : (
        <ul className="mt-2 flex flex-wrap gap-2" aria-label="Tags of this application">
          {tags.map((tag) => (
            <li key={tag} className="flex items-center gap-1 rounded-full bg-teal-100 py-0.5 pl-3 pr-1 text-sm text-teal-950">
              {tag}
              <button
                type="button"
                className="rounded-full px-1.5 font-semibold hover:bg-teal-200"
                aria-label={`Remove tag ${tag}`}
                onClick={() => void save(tags.filter((t) => t !== tag), `Tag ${tag} removed.`)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="mt-2 flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          const next = addTags(tags, typed);
          if (!next.refused && next.tags.length === tags.length) next.refused = "Already tagged with that.";
          setRefused(next.refused);
          if (next.refused) return;
          setTyped("");
          void save(next.tags, "Tags saved.");
        }}
      >
        <TextInput
          label="Add tags (comma-separated)"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          error={refused ?? undefined}
          required
        />
        <Button type="submit" variant="secondary">
          Add tags
        </Button>
      </form>
    </section>
  );
}

/** The computed score and the override side by side: the override (when set) is what ranks. */
export function ScoreOverride({ path, application, act }: { path: Path; application: ApplicationDetail; act: Act }) {
  const view = scoreView(application);
  const [typed, setTyped] = useState(application.override_score === null ? "" : String(application.override_score));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setTyped(application.override_score === null ? "" : String(application.override_score)), [application.override_score]);
  const send = (override_score: number | null, done: string) =>
    act(
      async () =>
        must(
          await api.PATCH("/v1/organizations/{org_id}/jobs/{posting_id}/applications/{application_id}", {
            params: { path },
            headers: { "If-Match": applicationEtag(application) },
            body: { override_score },
          }),
        ),
      done,
    );
  return (
    <section aria-labelledby="score" className="rounded-md border border-slate-300 bg-white p-3">
      <h2 id="score" className="text-lg font-semibold">
        Score
      </h2>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="score-detail">
        <dt className="font-semibold">Computed from the resume</dt>
        <dd>{application.score === null ? "Not scored yet" : application.score}</dd>
        <dt className="font-semibold">Recruiter override</dt>
        <dd>{application.override_score === null ? "None" : application.override_score}</dd>
        <dt className="font-semibold">Ranked by</dt>
        <dd>
          {view.shown === null ? "Nothing yet" : view.shown}
          {view.overridden ? " (the override wins over the computed score)" : " (the computed score)"}
        </dd>
      </dl>
      <form
        className="mt-2 flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          const parsed = parseOverride(typed);
          if ("problem" in parsed) return setProblem(parsed.problem);
          setProblem(null);
          void send(parsed.value, `Override set to ${parsed.value}; it now ranks this application.`);
        }}
      >
        <TextInput
          label="Override score (0–100)"
          inputMode="numeric"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          error={problem ?? undefined}
        />
        <Button type="submit" variant="secondary">
          Set override
        </Button>
        {application.override_score !== null && (
          <Button variant="ghost" onClick={() => void send(null, "Override cleared; the computed score ranks again.")}>
            Clear override
          </Button>
        )}
      </form>
    </section>
  );
}

/** Asked before a move to the rejected stage: the reason is kept on the application (optional). */
export function RejectionForm(props: { candidate: string; onReject: (reason: string | null) => void; onCancel: () => void }) {
  const [reason, setReason] = useState("");
  const field = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  useEffect(() => field.current?.focus(), []);
  return (
    <form
      aria-label={`Reject ${props.candidate}`}
      className="flex flex-col gap-2 rounded-md border-l-4 border-red-700 bg-red-50 p-3"
      onSubmit={(event) => {
        event.preventDefault();
        props.onReject(reason.trim() || null);
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") props.onCancel();
      }}
    >
      <label htmlFor={id} className="text-sm font-semibold text-red-950">
        Reason for rejecting {props.candidate} (kept with the application; optional)
      </label>
      <textarea
        id={id}
        ref={field}
        rows={2}
        maxLength={500}
        className="rounded-md border border-slate-500 bg-white px-3 py-2 text-slate-900"
        value={reason}
        onChange={(event) => setReason(event.target.value)}
      />
      <div className="flex gap-2">
        <Button type="submit" variant="danger">
          Reject
        </Button>
        <Button variant="secondary" onClick={props.onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

export function RejectionNote({ application }: { application: ApplicationDetail }) {
  if (application.stage !== "rejected") return null;
  return (
    <Alert tone="info">
      <strong>Rejected.</strong> {application.rejection_reason ? `Reason: ${application.rejection_reason}` : "No reason was given."}
    </Alert>
  );
}
