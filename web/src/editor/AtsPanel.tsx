import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api, must, problemText } from "../api/client";
import type { Schemas } from "../api/client";
import { Alert, Button } from "../components/ui";

type Report = Schemas["ReportOut"];

const STATUS_STYLE = {
  pass: "bg-green-100 text-green-900",
  warn: "bg-amber-100 text-amber-900",
  fail: "bg-red-100 text-red-900",
  not_applicable: "bg-slate-100 text-slate-800",
};

export function AtsPanel({
  resumeId,
  report,
  loading,
  failure,
  onShowPage,
}: {
  resumeId: string;
  report: Report | undefined;
  loading: boolean;
  failure: unknown;
  onShowPage: (page: number) => void;
}) {
  const jobId = useId();
  const [job, setJob] = useState("");
  const match = useMutation({
    mutationFn: async () => must(await api.POST("/v1/ats/match", { body: { resume_id: resumeId, job } })),
  });
  return (
    <div className="flex flex-col gap-5">
      {failure ? <Alert>{problemText(failure)}</Alert> : null}
      {loading && !report && <p>Checking…</p>}
      {report && (
        <>
          <div className="flex items-center gap-4">
            <p className="text-4xl font-semibold" aria-label={`ATS score ${report.score} out of 100`}>
              {report.score}
              <span className="text-lg text-slate-700">/100</span>
            </p>
            <p className="text-sm text-slate-700">
              {report.bullets.count} bullets, {report.bullets.with_impact} with a measurable result.
            </p>
          </div>
          <ul className="flex flex-col gap-2" aria-label="Checks">
            {report.checks.map((check) => (
              <li key={check.id} className="rounded-md border border-slate-300 bg-white p-3">
                <div className="flex items-center justify-between gap-2">
                  <span className="font-semibold">{check.name}</span>
                  <span className={`rounded px-2 py-0.5 text-xs font-semibold ${STATUS_STYLE[check.status]}`}>{check.status}</span>
                </div>
                <p className="text-sm">{check.message}</p>
                {check.fix && <p className="text-sm text-slate-800">Fix: {check.fix}</p>}
                {(check.evidence ?? []).find((e) => e.page) && (
                  <Button variant="ghost" className="mt-1" onClick={() => onShowPage((check.evidence ?? []).find((e) => e.page)?.page ?? 1)}>
                    Show on page {(check.evidence ?? []).find((e) => e.page)?.page} ({check.name})
                  </Button>
                )}
                {(check.evidence ?? []).length > 0 && (
                  <p className="text-xs text-slate-700">
                    Where:{" "}
                    {(check.evidence ?? [])
                      .slice(0, 3)
                      .map((e) => [e.page ? `page ${e.page}` : null, e.line ? `line ${e.line}` : null, `“${e.text}”`].filter(Boolean).join(", "))
                      .join("; ")}
                  </p>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <form
        className="flex flex-col gap-2 rounded-md border border-slate-300 bg-white p-3"
        onSubmit={(e) => {
          e.preventDefault();
          match.mutate();
        }}
      >
        <label htmlFor={jobId} className="font-semibold">
          Check against a job: paste the posting
        </label>
        <textarea id={jobId} rows={6} value={job} onChange={(e) => setJob(e.target.value)} className="rounded-md border border-slate-500 p-2" />
        <Button type="submit" className="self-start" disabled={!job.trim() || match.isPending}>
          Compare
        </Button>
        {match.isError && <Alert>{problemText(match.error)}</Alert>}
        {match.data && (
          <div className="flex flex-col gap-2" aria-live="polite">
            <p className="text-2xl font-semibold">Match: {match.data.score}/100</p>
            {match.data.matched_required.length > 0 && (
              <p>
                <span className="font-semibold">Matched: </span>
                {match.data.matched_required.map((hit) => hit.skill).join(", ")}
              </p>
            )}
            {match.data.missing_required.length > 0 && (
              <p>
                <span className="font-semibold">Missing: </span>
                {match.data.missing_required.join(", ")}
              </p>
            )}
            {(match.data.suggestions ?? []).length > 0 && (
              <ul className="list-disc pl-5">
                {(match.data.suggestions ?? []).map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </form>
    </div>
  );
}
