import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type KeyboardCoordinateGetter,
} from "@dnd-kit/core";
import { Link, useParams } from "@tanstack/react-router";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, ApiError, problemText } from "../api/client";
import { Alert } from "../components/ui";
import { RejectionForm } from "./Triage";
import { LiveStatus, useLiveApplications } from "./live";
import { BulkMoveBar, JobTabs, useApplications } from "./Ranked";
import { applicationEtag, BlindBanner, candidateLabel, OrgHeader, Reasons, ScoreBadge, stageName, TagList, usePosting, type Application, type Posting } from "./common";

const COLUMN = "stage:";
/** Places for tags on a card (the narrow column); the last one counts any more. */
const CARD_TAGS = 3;

/** Arrow keys jump a lifted card to the next or previous column (dnd-kit's default moves it 25 px). */
export const columnKeys: KeyboardCoordinateGetter = (event, { context }) => {
  const { collisionRect, droppableRects } = context;
  if (!collisionRect) return undefined;
  const columns = [...droppableRects.values()].sort((a, b) => a.left - b.left);
  const center = collisionRect.left + collisionRect.width / 2;
  let target;
  if (event.code === "ArrowRight") target = columns.find((rect) => rect.left > center);
  else if (event.code === "ArrowLeft") target = [...columns].reverse().find((rect) => rect.left + rect.width < center);
  else return undefined;
  if (!target) return undefined;
  event.preventDefault();
  return { x: target.left + (target.width - collisionRect.width) / 2, y: target.top + 40 };
};

export function Pipeline() {
  const { orgId, jobId } = useParams({ from: "/app/orgs/$orgId/jobs/$jobId/pipeline" });
  const posting = usePosting(orgId, jobId);
  const live = useLiveApplications(orgId, jobId);
  const applications = useApplications(orgId, jobId, live);
  const queries = useQueryClient();
  const [failure, setFailure] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [rejecting, setRejecting] = useState<Application | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnKeys }),
  );

  if (posting.error) return <Alert>{problemText(posting.error)}</Alert>;
  if (!posting.data) return <p>Loading…</p>;
  const job = posting.data;
  const items = applications.data ?? [];
  const byId = new Map(items.map((application) => [application.id, application]));
  const label = (id: unknown) => {
    const application = byId.get(String(id));
    return application ? candidateLabel(application) : "the card";
  };
  const column = (id: unknown) => stageName(job, String(id ?? "").replace(COLUMN, ""));
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${label(active.id)}. Left and right arrows choose the stage, space drops.`,
    onDragOver: ({ active, over }) => (over ? `${label(active.id)} is over ${column(over.id)}.` : `${label(active.id)} is over no stage.`),
    onDragEnd: ({ active, over }) => (over ? `${label(active.id)} dropped in ${column(over.id)}.` : "Dropped outside the board."),
    onDragCancel: ({ active }) => `Moving ${label(active.id)} was cancelled.`,
  };

  async function move(application: Application, stage: string, rejection_reason: string | null = null) {
    setFailure(null);
    const key = ["applications", orgId, jobId];
    await queries.cancelQueries({ queryKey: key });
    // Shown in the new column at once; put back by the refetch below if the server refuses.
    queries.setQueriesData<Application[]>({ queryKey: key }, (old) =>
      old?.map((item) => (item.id === application.id ? { ...item, stage } : item)),
    );
    const { error, response } = await api.POST("/v1/organizations/{org_id}/jobs/{posting_id}/applications/{application_id}/move", {
      params: { path: { org_id: orgId, posting_id: jobId, application_id: application.id } },
      headers: { "If-Match": applicationEtag(application) },
      body: { stage, rejection_reason },
    });
    if (!response.ok) {
      const problem = new ApiError(response.status, (error ?? {}) as never);
      setFailure(
        response.status === 412 || response.status === 409
          ? `${candidateLabel(application)} was changed by someone else meanwhile; the board now shows the latest. Move again if you still want to.`
          : problemText(problem),
      );
    }
    await queries.invalidateQueries({ queryKey: key });
  }

  function onDragEnd({ active, over }: DragEndEvent) {
    const application = byId.get(String(active.id));
    if (!application || !over) return;
    const stage = String(over.id).replace(COLUMN, "");
    if (stage === application.stage) return;
    if (stage === "rejected") setRejecting(application); // asks why first; the card stays until then
    else void move(application, stage);
  }

  return (
    <div className="flex flex-col gap-4">
      <OrgHeader orgId={orgId} title={`Pipeline: ${job.title}`}>
        <JobTabs orgId={orgId} posting={job} current="board" />
      </OrgHeader>
      <BlindBanner posting={job} />
      <p className="text-sm text-slate-800">
        Drag a card to another stage, or focus its handle and press space, the arrow keys, then space.
      </p>
      <LiveStatus state={live} what="board" />
      {failure && <Alert>{failure}</Alert>}
      {rejecting && (
        <RejectionForm
          candidate={candidateLabel(rejecting)}
          onReject={(reason) => {
            setRejecting(null);
            void move(rejecting, "rejected", reason);
          }}
          onCancel={() => setRejecting(null)}
        />
      )}
      <BulkMoveBar orgId={orgId} posting={job} selected={selected} onMoved={() => setSelected(new Set())} />
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd} accessibility={{ announcements }}>
        <div className="flex items-stretch gap-3 overflow-x-auto pb-2" data-testid="board">
          {job.stages.map((stage) => (
            <Column key={stage.id} stageId={stage.id} name={stage.name}>
              {items
                .filter((application) => application.stage === stage.id)
                .map((application) => (
                  <Card
                    key={application.id}
                    orgId={orgId}
                    posting={job}
                    application={application}
                    selected={selected.has(application.id)}
                    onToggle={() =>
                      setSelected((current) => {
                        const next = new Set(current);
                        if (next.has(application.id)) next.delete(application.id);
                        else next.add(application.id);
                        return next;
                      })
                    }
                  />
                ))}
            </Column>
          ))}
        </div>
      </DndContext>
    </div>
  );
}

function Column({ stageId, name, children }: { stageId: string; name: string; children: React.ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id: COLUMN + stageId });
  return (
    <section
      ref={setNodeRef}
      aria-label={`Stage ${name}`}
      data-testid={`column-${stageId}`}
      className={`flex min-h-64 w-56 shrink-0 flex-col gap-2 rounded-md border p-2 ${isOver ? "border-blue-700 bg-blue-50" : "border-slate-300 bg-slate-100"}`}
    >
      <h2 className="text-sm font-semibold">{name}</h2>
      <ul className="flex flex-col gap-2">{children}</ul>
    </section>
  );
}

function Card(props: { orgId: string; posting: Posting; application: Application; selected: boolean; onToggle: () => void }) {
  const { orgId, posting, application } = props;
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: application.id });
  const label = candidateLabel(application);
  const style = transform ? { transform: `translate(${transform.x}px, ${transform.y}px)` } : undefined;
  return (
    <li ref={setNodeRef} style={style} className={`rounded-md border border-slate-300 bg-white p-2 shadow-sm ${isDragging ? "z-10 opacity-80" : ""}`} data-testid="card">
      <div className="flex items-center gap-2">
        <button
          type="button"
          className="cursor-grab rounded border border-slate-400 px-1 text-slate-900"
          aria-label={`Move ${label}`}
          {...attributes}
          {...listeners}
        >
          ⠿
        </button>
        <input type="checkbox" aria-label={`Select ${label}`} checked={props.selected} onChange={props.onToggle} />
        <ScoreBadge application={application} />
      </div>
      <Link
        to="/app/orgs/$orgId/jobs/$jobId/applications/$applicationId"
        params={{ orgId, jobId: posting.id, applicationId: application.id }}
        className="mt-1 block font-semibold text-blue-800 underline"
      >
        {label}
      </Link>
      <TagList application={application} label={label} max={CARD_TAGS} />
      <Reasons application={application} />
    </li>
  );
}
