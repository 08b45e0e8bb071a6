// A job's pipeline and team: rename, reorder, add and remove stages; choose its hiring managers.
// Its own chunk (loaded when the screen opens): the board and lists do not pay for the sortable list.
import { useParams } from "@tanstack/react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { api, ApiError, must, problemText } from "../api/client";
import { Alert, Button, TextInput } from "../components/ui";
import { SortableList } from "../editor/SortableList";
import { JobTabs } from "./Ranked";
import { applicationEtag, OrgHeader, ROLE_NAMES, usePosting, type Posting } from "./common";
import { FIXED_STAGES, moveItem, sameStages, stageIdFor, stagesProblem, type Stage } from "./workflow";

export function JobSettings() {
  const { orgId, jobId } = useParams({ from: "/app/orgs/$orgId/jobs/$jobId/settings" });
  const posting = usePosting(orgId, jobId);
  if (posting.error) return <Alert>{problemText(posting.error)}</Alert>;
  if (!posting.data) return <p>Loading…</p>;
  return (
    <div className="flex flex-col gap-4">
      <OrgHeader orgId={orgId} title={`Stages and team: ${posting.data.title}`}>
        <JobTabs orgId={orgId} posting={posting.data} current="settings" />
      </OrgHeader>
      <div className="grid gap-4 lg:grid-cols-2">
        <StagesEditor orgId={orgId} posting={posting.data} />
        <HiringManagers orgId={orgId} posting={posting.data} />
      </div>
    </div>
  );
}

/** A 412 means a colleague saved the job meanwhile: it is read again and the person decides once more. */
function useJobChange(orgId: string, posting: Posting) {
  const queries = useQueryClient();
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: async ({ send }: { send: () => Promise<Posting>; done: string }) => send(),
    onSuccess: async (next, { done }) => {
      queries.setQueryData(["posting", orgId, next.id], next);
      setFailure(null);
      setNotice(done);
      await queries.invalidateQueries({ queryKey: ["applications", orgId, posting.id] });
    },
    onError: async (error) => {
      setNotice(null);
      if (error instanceof ApiError && error.status === 412) {
        setFailure("Someone else changed this job meanwhile; it was loaded again. Check and save once more.");
        await queries.invalidateQueries({ queryKey: ["posting", orgId, posting.id] });
      } else setFailure(problemText(error));
    },
  });
  return { mutation, failure, notice, setFailure };
}

function StagesEditor({ orgId, posting }: { orgId: string; posting: Posting }) {
  const saved = posting.stages as Stage[];
  const [stages, setStages] = useState<Stage[]>(saved);
  const [newName, setNewName] = useState("");
  const [moved, setMoved] = useState<{ id: string; down: boolean } | null>(null);
  const { mutation, failure, notice, setFailure } = useJobChange(orgId, posting);
  const hint = useId();
  // New stages stored (a save, or a colleague's): start again from them. A new version for another reason
  // (the hiring managers saved beside) keeps the edits in progress.
  const stored = useRef(saved);
  useEffect(() => {
    if (!sameStages(stored.current, saved)) setStages(saved);
    stored.current = saved;
  }, [saved]);
  // The move buttons keep the keyboard where it was: on the moved stage's button (or its other one at an end).
  useEffect(() => {
    if (!moved) return;
    const row = document.querySelector(`[data-entry-id="${moved.id}"]`);
    const buttons = [...(row?.querySelectorAll<HTMLButtonElement>("button[aria-label^='Move ']") ?? [])];
    const wanted = buttons.find((button) => button.ariaLabel?.endsWith(moved.down ? " down" : " up") && !button.disabled);
    (wanted ?? buttons.find((button) => !button.disabled))?.focus();
  }, [moved, stages]);

  const changed = !sameStages(saved, stages);
  const rename = (id: string, name: string) => setStages(stages.map((stage) => (stage.id === id ? { ...stage, name } : stage)));

  return (
    <section aria-labelledby="stages-heading" className="flex flex-col gap-3 rounded-md border border-slate-300 bg-white p-3">
      <h2 id="stages-heading" className="text-lg font-semibold">
        Pipeline stages
      </h2>
      <p id={hint} className="text-sm text-slate-800">
        Rename a stage in place; reorder with the arrow buttons or by dragging the handle (space lifts it, the arrow
        keys move it, space drops it). Applied, Hired and Rejected stay; a stage still holding applications cannot go.
      </p>
      {failure && <Alert>{failure}</Alert>}
      {notice && <Alert tone="success">{notice}</Alert>}
      <SortableList
        items={stages}
        ids={stages.map((stage) => stage.id)}
        listLabel="Stages in order"
        label={(stage) => stage.name.trim() || stage.id}
        onMove={(from, to) => {
          setStages(moveItem(stages, from, to));
          setMoved({ id: stages[from]?.id ?? "", down: to > from });
        }}
        render={(stage, index, handle) => (
          <div className="flex items-center gap-2 rounded-md border border-slate-300 bg-slate-50 px-2 py-1">
            <span className="w-6 text-sm text-slate-800" aria-hidden="true">
              {index + 1}.
            </span>
            <label className="sr-only" htmlFor={`stage-${stage.id}`}>
              Name of stage {index + 1}
            </label>
            <input
              id={`stage-${stage.id}`}
              className="min-w-0 flex-1 rounded-md border border-slate-500 bg-white px-2 py-1"
              value={stage.name}
              maxLength={60}
              aria-describedby={hint}
              onChange={(event) => rename(stage.id, event.target.value)}
            />
            {handle}
            {!FIXED_STAGES.has(stage.id) && (
              <Button variant="ghost" aria-label={`Remove stage ${stage.name.trim() || stage.id}`} onClick={() => setStages(stages.filter((s) => s.id !== stage.id))}>
                Remove
              </Button>
            )}
          </div>
        )}
      />
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          const name = newName.trim();
          if (!name) return;
          const id = stageIdFor(name, stages.map((stage) => stage.id));
          // New stages go before Hired, where the work happens, and can be moved from there.
          const at = stages.findIndex((stage) => stage.id === "hired");
          setStages(at < 0 ? [...stages, { id, name }] : [...stages.slice(0, at), { id, name }, ...stages.slice(at)]);
          setNewName("");
        }}
      >
        <TextInput label="New stage" value={newName} onChange={(event) => setNewName(event.target.value)} maxLength={60} required />
        <Button type="submit" variant="secondary">
          Add stage
        </Button>
      </form>
      <div className="flex gap-2">
        <Button
          disabled={!changed || mutation.isPending}
          onClick={() => {
            const problem = stagesProblem(stages);
            if (problem) return setFailure(problem);
            const body = { stages: stages.map((stage) => ({ id: stage.id, name: stage.name.trim() })) };
            mutation.mutate({
              done: "Stages saved.",
              send: async () =>
                must(
                  await api.PUT("/v1/organizations/{org_id}/jobs/{posting_id}/stages", {
                    params: { path: { org_id: orgId, posting_id: posting.id } },
                    headers: { "If-Match": applicationEtag(posting) },
                    body,
                  }),
                ) as Posting,
            });
          }}
        >
          Save stages
        </Button>
        <Button variant="secondary" disabled={!changed} onClick={() => {
            setStages(saved);
            setFailure(null);
          }}>
          Undo changes
        </Button>
      </div>
    </section>
  );
}

function HiringManagers({ orgId, posting }: { orgId: string; posting: Posting }) {
  const members = useQuery({
    queryKey: ["members", orgId],
    queryFn: async () =>
      must(await api.GET("/v1/organizations/{org_id}/members", { params: { path: { org_id: orgId }, query: { limit: 100 } } })).items,
  });
  const { mutation, failure, notice } = useJobChange(orgId, posting);
  const everyone = members.data ?? [];
  const onJob = new Set(posting.hiring_manager_ids);
  const managers = everyone.filter((member) => onJob.has(member.user_id));
  // Hiring managers first: they are who this list is for; anyone in the organisation may be added.
  const candidates = everyone
    .filter((member) => !onJob.has(member.user_id))
    .sort((a, b) => Number(b.role === "hiring_manager") - Number(a.role === "hiring_manager"));
  const [chosen, setChosen] = useState("");
  const who = (member: (typeof everyone)[number]) => (member.name ? `${member.name} (${member.email})` : member.email);
  const save = (ids: string[], done: string) =>
    mutation.mutate({
      done,
      send: async () =>
        must(
          await api.PATCH("/v1/organizations/{org_id}/jobs/{posting_id}", {
            params: { path: { org_id: orgId, posting_id: posting.id } },
            headers: { "If-Match": applicationEtag(posting) },
            body: { hiring_manager_ids: ids },
          }),
        ) as Posting,
    });

  return (
    <section aria-labelledby="managers-heading" className="flex flex-col gap-3 rounded-md border border-slate-300 bg-white p-3">
      <h2 id="managers-heading" className="text-lg font-semibold">
        Hiring managers
      </h2>
      <p className="text-sm text-slate-800">
        A hiring manager sees only the jobs they are on, where they read, rate and comment.
      </p>
      {members.error && <Alert>{problemText(members.error)}</Alert>}
      {failure && <Alert>{failure}</Alert>}
      {notice && <Alert tone="success">{notice}</Alert>}
      {managers.length === 0 ? (
        <p className="text-sm">No hiring managers on this job yet.</p>
      ) : (
        <ul className="flex flex-col gap-2" aria-label="Hiring managers on this job">
          {managers.map((member) => (
            <li key={member.user_id} className="flex items-center justify-between gap-2 rounded-md border border-slate-300 px-2 py-1 text-sm">
              <span>
                {who(member)} <span className="text-slate-800">· {ROLE_NAMES[member.role]}</span>
              </span>
              <Button
                variant="ghost"
                aria-label={`Remove ${member.email} from this job`}
                disabled={mutation.isPending}
                onClick={() => save(posting.hiring_manager_ids.filter((id) => id !== member.user_id), `${member.email} is no longer on this job.`)}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          const member = candidates.find((m) => m.user_id === chosen);
          if (!member) return;
          setChosen("");
          save([...posting.hiring_manager_ids, member.user_id], `${member.email} is a hiring manager on this job.`);
        }}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor="add-manager" className="text-sm font-semibold text-slate-800">
            Add a hiring manager
          </label>
          <select id="add-manager" className="rounded-md border border-slate-500 bg-white px-2 py-2" value={chosen} onChange={(e) => setChosen(e.target.value)} required>
            <option value="">Choose a member…</option>
            {candidates.map((member) => (
              <option key={member.user_id} value={member.user_id}>
                {who(member)} · {ROLE_NAMES[member.role]}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="secondary" disabled={mutation.isPending || candidates.length === 0}>
          Add to this job
        </Button>
      </form>
    </section>
  );
}
