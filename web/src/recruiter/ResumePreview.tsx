// The application's frozen resume (JSON Resume), as the recruiter may see it: blind screening has already
// removed what they must not see, so whatever is present is shown.
type Entry = Record<string, unknown>;

const text = (value: unknown) => (typeof value === "string" ? value : "");
const entries = (value: unknown): Entry[] => (Array.isArray(value) ? (value.filter((item) => item && typeof item === "object") as Entry[]) : []);

export function ResumePreview({ resume }: { resume: Record<string, unknown> | null | undefined }) {
  if (!resume) return <p className="text-sm">No resume content (the file is still being read, or could not be).</p>;
  const basics = (resume.basics ?? {}) as Entry;
  return (
    <article className="mt-2 flex flex-col gap-3 text-sm" data-testid="resume-preview">
      {(text(basics.name) || text(basics.label)) && (
        <header>
          {text(basics.name) && <p className="text-base font-semibold">{text(basics.name)}</p>}
          {text(basics.label) && <p>{text(basics.label)}</p>}
        </header>
      )}
      {text(basics.summary) && <p>{text(basics.summary)}</p>}
      {entries(resume.work).length > 0 && (
        <section>
          <h3 className="font-semibold">Experience</h3>
          <ul className="flex flex-col gap-2">
            {entries(resume.work).map((job, index) => (
              <li key={index}>
                <p className="font-semibold">
                  {text(job.position)}
                  {text(job.name) && `, ${text(job.name)}`}{" "}
                  <span className="font-normal text-slate-800">
                    {text(job.startDate)}
                    {(text(job.startDate) || text(job.endDate)) && "–"}
                    {text(job.endDate)}
                  </span>
                </p>
                {text(job.summary) && <p>{text(job.summary)}</p>}
                <ul className="list-disc pl-5">
                  {(Array.isArray(job.highlights) ? job.highlights : []).map((line, at) => (
                    <li key={at}>{text(line)}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </section>
      )}
      {entries(resume.education).length > 0 && (
        <section>
          <h3 className="font-semibold">Education</h3>
          <ul>
            {entries(resume.education).map((school, index) => (
              <li key={index}>
                {[text(school.studyType), text(school.area), text(school.institution)].filter(Boolean).join(", ")}
              </li>
            ))}
          </ul>
        </section>
      )}
      {entries(resume.skills).length > 0 && (
        <section>
          <h3 className="font-semibold">Skills</h3>
          <p>
            {entries(resume.skills)
              .map((skill) => [text(skill.name), ...(Array.isArray(skill.keywords) ? skill.keywords.map(text) : [])].filter(Boolean).join(": "))
              .join("; ")}
          </p>
        </section>
      )}
    </article>
  );
}
