// Shared pieces of the recruiter screens: the organisation switcher, role notices, typed shapes.
import { Link, useNavigate } from "@tanstack/react-router";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { api, must, type Schemas } from "../api/client";
import { compactTags, scoreView } from "./workflow";

export type Organization = Schemas["MyOrganization"];
export type Posting = Schemas["PostingOut"];
export type Application = Schemas["ApplicationOut"];
export type ApplicationDetail = Schemas["ApplicationDetail"];
export type Role = Organization["role"];

/** The ETag the API gives applications and jobs: moves and edits send it back as If-Match. */
export const applicationEtag = (application: { version: number }) => `"r${application.version}"`;

export function useOrganizations() {
  return useQuery({
    queryKey: ["organizations"],
    queryFn: async () => must(await api.GET("/v1/organizations", { params: { query: { limit: 100 } } })).items,
  });
}

export function useOrganization(orgId: string): Organization | undefined {
  return useOrganizations().data?.find((org) => org.id === orgId);
}

export function usePosting(orgId: string, jobId: string) {
  return useQuery({
    queryKey: ["posting", orgId, jobId],
    queryFn: async () =>
      must(
        await api.GET("/v1/organizations/{org_id}/jobs/{posting_id}", {
          params: { path: { org_id: orgId, posting_id: jobId } },
        }),
      ) as Posting,
  });
}

export const ROLE_NAMES: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  recruiter: "Recruiter",
  hiring_manager: "Hiring manager",
  viewer: "Viewer",
};

const WRITERS: ReadonlySet<Role> = new Set<Role>(["owner", "admin", "recruiter"]);
export const canWrite = (role: Role | undefined) => role !== undefined && WRITERS.has(role);

/** Heading row of every organisation screen: which organisation (a switcher), where, and your role. */
export function OrgHeader({ orgId, title, children }: { orgId: string; title: string; children?: ReactNode }) {
  const organizations = useOrganizations();
  const navigate = useNavigate();
  const current = organizations.data?.find((org) => org.id === orgId);
  return (
    <div className="mb-4 flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-3">
        <label htmlFor="org-switcher" className="text-sm font-semibold text-slate-800">
          Organisation
        </label>
        <select
          id="org-switcher"
          className="rounded-md border border-slate-500 bg-white px-2 py-1"
          value={orgId}
          onChange={(event) => navigate({ to: "/app/orgs/$orgId", params: { orgId: event.target.value } })}
        >
          {(organizations.data ?? []).map((org) => (
            <option key={org.id} value={org.id}>
              {org.name}
            </option>
          ))}
        </select>
        {current && (
          <span className="rounded bg-slate-200 px-2 py-0.5 text-sm text-slate-900" data-testid="my-role">
            You are {ROLE_NAMES[current.role].toLowerCase()}
          </span>
        )}
        <nav aria-label="Organisation" className="flex gap-3 text-sm font-semibold">
          <Link to="/app/orgs/$orgId" params={{ orgId }} className="text-blue-800 underline">
            Jobs
          </Link>
          <Link to="/app/orgs/$orgId/settings" params={{ orgId }} className="text-blue-800 underline">
            Settings
          </Link>
          <Link to="/app/orgs" className="text-blue-800 underline">
            All organisations
          </Link>
        </nav>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">{title}</h1>
        {children}
      </div>
      {current && !canWrite(current.role) && (
        <p className="text-sm text-slate-800">
          Your role can read{current.role === "hiring_manager" ? ", rate and comment" : ""}; changes are refused.
        </p>
      )}
    </div>
  );
}

/** Blind screening, shown wherever candidates are listed so nobody forgets why names are missing. */
export function BlindBanner({ posting }: { posting: Posting }) {
  if (!posting.blind?.enabled) return null;
  return (
    <div role="note" data-testid="blind-banner" className="rounded-md border-l-4 border-violet-800 bg-violet-50 p-3 text-sm text-violet-950">
      <strong>Blind screening is on.</strong> Names, contacts{posting.blind?.hide_schools ? ", schools" : ""} and
      other identifying details stay hidden below admin until a candidate is shortlisted.
    </div>
  );
}

export function candidateLabel(application: Application): string {
  if (application.blinded || !application.name) return `Candidate ${application.id.slice(0, 6)}`;
  return application.name;
}

export function stageName(posting: Posting | undefined, stageId: string): string {
  return posting?.stages.find((stage) => stage.id === stageId)?.name ?? stageId;
}

/** The ranking score; a recruiter's override wins and is marked as such, with the computed score beside it. */
export function ScoreBadge({ application }: { application: Application }) {
  const view = scoreView(application);
  return (
    <span className="inline-flex items-center gap-1">
      <span
        role="img"
        className={`inline-block min-w-12 rounded px-2 py-0.5 text-center text-sm font-semibold text-white ${view.overridden ? "bg-amber-800" : "bg-slate-800"}`}
        aria-label={view.label}
      >
        {view.shown === null ? "…" : view.shown}
      </span>
      {view.overridden && (
        <span className="text-xs text-slate-800" aria-hidden="true">
          set by recruiter{view.computed === null ? "" : ` (scored ${view.computed})`}
        </span>
      )}
    </span>
  );
}

type Reason = { skill?: string; evidence?: string };

/** The explanation in one line each: what matched, what is missing, and the years. */
export function Reasons({ application }: { application: Application }) {
  const explanation = (application.explanation ?? {}) as {
    matched_required?: Reason[];
    missing_required?: string[];
    seniority?: string;
    error?: string;
  };
  if (explanation.error) return <p className="text-sm text-red-800">Could not be read: {String(explanation.error)}</p>;
  const matched = (explanation.matched_required ?? []).map((reason) => reason.skill).filter(Boolean);
  const missing = explanation.missing_required ?? [];
  return (
    <ul className="text-sm text-slate-800">
      {matched.length > 0 && <li>Has: {matched.join(", ")}</li>}
      {missing.length > 0 && <li>Missing: {missing.join(", ")}</li>}
      {explanation.seniority && <li>{explanation.seniority}</li>}
    </ul>
  );
}

/** An application's tags as a labelled list. `max` (on a board card) shows that many places, the last one
 * counting the rest, whose names stay in its accessible name and tooltip. */
export function TagList({ application, label, max = Infinity }: { application: Application; label: string; max?: number }) {
  const tags = application.tags ?? [];
  if (tags.length === 0) return null;
  const { shown, more } = compactTags(tags, max);
  const small = Number.isFinite(max);
  const chip = `rounded-full bg-teal-100 text-teal-950 ${small ? "px-1.5 text-xs" : "px-2 text-sm"}`;
  return (
    <ul className="flex flex-wrap gap-1" aria-label={`Tags of ${label}`} data-testid="tags">
      {shown.map((tag) => (
        <li key={tag} className={chip}>
          {tag}
        </li>
      ))}
      {more.length > 0 && (
        <li className={chip} title={more.join(", ")}>
          <span aria-hidden="true">+{more.length}</span>
          <span className="sr-only">and {more.join(", ")}</span>
        </li>
      )}
    </ul>
  );
}
