import { Link } from "@tanstack/react-router";
import { useSignedIn } from "../auth";

const points = [
  ["Start from what you have", "Import your old resume as PDF or Word, a JSON Resume file, or begin from a sample."],
  ["See the real thing", "The preview is the PDF itself, redrawn as you type. Switch templates and design in one click."],
  ["Pass the machines", "The ATS check scores your resume the way applicant tracking systems read it, bullet by bullet."],
  ["Send it anywhere", "Export PDF, Word, HTML, text, Markdown or JSON, or share a link that you can expire or revoke."],
];

export function Landing() {
  const signedIn = useSignedIn();
  return (
    <div className="flex flex-col gap-10 py-8">
      <section className="max-w-3xl">
        <h1 className="text-4xl font-semibold leading-tight">Build a resume that gets you on the shortlist.</h1>
        <p className="mt-4 text-lg text-slate-700">
          Shortlist keeps your resume as structured data, typesets it into clean, ATS-safe templates, and tells you
          what an applicant tracking system will make of it, before a recruiter ever sees it.
        </p>
        <div className="mt-6 flex gap-3">
          {signedIn ? (
            <Link to="/app" className="rounded-md bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800">
              Open my resumes
            </Link>
          ) : (
            <>
              <Link to="/sign-up" className="rounded-md bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800">
                Create your resume
              </Link>
              <Link to="/sign-in" className="rounded-md border border-slate-500 bg-white px-4 py-2 font-semibold hover:bg-slate-100">
                Sign in
              </Link>
            </>
          )}
        </div>
      </section>
      <section aria-labelledby="how" className="grid gap-4 md:grid-cols-2">
        <h2 id="how" className="sr-only">
          What you can do
        </h2>
        {points.map(([title, text]) => (
          <div key={title} className="rounded-lg border border-slate-300 bg-white p-5">
            <h3 className="font-semibold">{title}</h3>
            <p className="mt-1 text-slate-700">{text}</p>
          </div>
        ))}
      </section>
    </div>
  );
}
